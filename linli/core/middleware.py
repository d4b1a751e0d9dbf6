"""Turns domain errors that escape a page view into proper responses: NotFound is a 404 (the
object is absent or outside the actor's scope), any other DomainError a 400 page with its
message. Never a 500 for bad input."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

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
