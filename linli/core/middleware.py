"""Project middleware.

- DomainErrorMiddleware turns domain errors that escape a page view into proper responses:
  NotFound is a 404 (the object is absent or outside the actor's scope), any other DomainError a
  400 page with its message. Never a 500 for bad input.
- RequestBodyMiddleware caps request bodies (413) and turns bodies Django cannot parse into a 400
  (JSON for the API, the error page for pages).
- ApiDocsMiddleware keeps the OpenAPI schema and docs behind sign-in in production.
- LanguageMiddleware: Chinese first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from linli.core.errors import CoreError, DomainError, NotFound


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


class _BodyRefused(Exception):
    """Internal: the request body cannot be accepted (too large or unparsable)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


# What Django raises while reading a request body that the client got wrong. Outside a view
# (CSRF checks, the API's session authentication) these escape as 500s; caught here, they are the
# client's error.
_MALFORMED_BODY = (
    MultiPartParserError,
    TooManyFieldsSent,
    TooManyFilesSent,
    BadRequest,
    UnreadablePostError,
)


def _too_large() -> _BodyRefused:
    return _BodyRefused(413, CoreError.PAYLOAD_TOO_LARGE, _("The request is too large."))


def _malformed() -> _BodyRefused:
    return _BodyRefused(
        400,
        CoreError.INVALID_INPUT,
        _("The request body could not be read; check the form and try again."),
    )


def _refusal(exc: BaseException) -> _BodyRefused | None:
    if isinstance(exc, _BodyRefused):
        return exc
    if isinstance(exc, RequestDataTooBig):
        return _too_large()
    if isinstance(exc, _MALFORMED_BODY):
        return _malformed()
    return None


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(_api_root())


@functools.cache
def _api_root() -> str:
    return reverse("api:api-root")


def _refuse(request: HttpRequest, refused: _BodyRefused) -> HttpResponse:
    """The API's usual error body for /api/, the error page for pages."""
    if is_api_request(request):
        return JsonResponse(
            {"code": refused.code, "message": refused.message}, status=refused.status
        )
    return render(request, "error.html", {"error": refused}, status=refused.status)


class RequestBodyMiddleware:
    """Bounds and reads request bodies before anything else does.

    - A declared Content-Length above settings.LINLI_MAX_BODY_BYTES is refused with 413 before
      a byte of the body is read (Django's own DATA_UPLOAD_MAX_MEMORY_SIZE does not count files).
    - A form POST (multipart or urlencoded) is parsed here, so that a body Django cannot parse
      (multipart without a boundary, too many fields or files, a bad charset) becomes a 400 with
      the API's JSON error body or the error page, instead of a 500 raised later while the CSRF
      check or the API's session authentication reads request.POST. Views and the API then read
      the already parsed request.POST / request.FILES.
    - The same errors raised inside a view (e.g. the API reading an oversized JSON body) get the
      same answers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            self._check(request)
        except Exception as exc:
            refused = _refusal(exc)
            if refused is None:
                raise
            return _refuse(request, refused)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        refused = _refusal(exc)
        return _refuse(request, refused) if refused is not None else None

    @staticmethod
    def _check(request: HttpRequest) -> None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise _malformed() from None
        if length < 0:
            raise _malformed()
        if length > settings.LINLI_MAX_BODY_BYTES:
            raise _too_large()
        if request.method == "POST" and request.content_type in _FORM_TYPES:
            request.POST  # noqa: B018 - parse now, inside this try
            request.FILES  # noqa: B018


_FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


class ApiDocsMiddleware:
    """The OpenAPI schema and its docs page describe every endpoint: in production
    (settings.LINLI_API_DOCS_PUBLIC off, the default unless DEBUG) only signed-in people get
    them. The docs page sends others to sign in; the schema answers 401 with the API's body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not settings.LINLI_API_DOCS_PUBLIC
            and request.path in _api_docs_paths()
            and not request.user.is_authenticated
        ):
            if request.path == reverse("api:openapi-json"):
                return JsonResponse(
                    {"code": CoreError.UNAUTHENTICATED, "message": _("Sign in first.")}, status=401
                )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


@functools.cache
def _api_docs_paths() -> frozenset[str]:
    return frozenset({reverse("api:openapi-json"), reverse("api:openapi-view")})
