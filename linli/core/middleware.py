"""Turns domain errors that escape a page view into proper responses: NotFound is a 404 (the
object is absent or outside the actor's scope), any other DomainError a 400 page with its
message. Never a 500 for bad input."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation

from linli.core.errors import DomainError, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, NotFound):
            raise Http404(exc.message) from exc
        if isinstance(exc, DomainError):
            return render(request, "error.html", {"error": exc}, status=exc.status)
        return None


class LanguageMiddleware(LocaleMiddleware):
    """Chinese first: the language is the one the person chose with the switch (cookie), else
    zh-Hans — not the browser's Accept-Language, which on many shared or work phones says
    English although the person reads Chinese."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else ""
        except LookupError:
            language = ""
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
