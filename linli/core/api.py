"""The JSON API root (`/api/`, OpenAPI docs at `/api/docs`). Each app contributes a router;
domain errors become JSON with their HTTP status here, in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.params.functions import Query as QueryParam
from ninja.security import HttpBearer, SessionAuth
from pydantic import PlainSerializer, WithJsonSchema

from linli.core.audit_permissions import VIEW_AUDIT
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.permissions import Actor, has_perm
from linli.core.selectors import AuditFilters, audit_list
from linli.core.web import MAX_QUERY_INT, actor_of

__all__ = [
    "QueryParam",
    "api",
    "api_domain",
    "api_domains",
    "register_bearer_verifier",
    "register_router",
]

# Where `config/urls.py` mounts the API.
API_ROOT = "/api/"

# A time of day at a place (opening hours, a weekly slot), answered as "HH:MM". JSON Schema's
# "time" format is RFC 3339's full time with a zone offset, which a wall-clock time has not:
# outputs say what they are instead.
WallTime = Annotated[
    dt.time,
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "08:30"},
        mode="serialization",
    ),
]

# (request, token, domain) -> the token's actor, or None when the token is not one this
# verifier knows. Accounts registers the check of personal access tokens (`linli_pat_...`);
# a verifier raises a DomainError (401, 403, 429) to refuse a token it knows.
BearerVerifier = Callable[[HttpRequest, str, str], Actor | None]
_bearer_verifiers: list[BearerVerifier] = []
_domains: set[str] = set()


def register_bearer_verifier(verifier: BearerVerifier) -> None:
    _bearer_verifiers.append(verifier)


def api_domain(path: str) -> str:
    """The domain an API path belongs to: its first segment under the root
    (`/api/hotline/requests` -> `hotline`). Token scopes name domains."""
    rest = path.split(API_ROOT, 1)[1] if API_ROOT in path else ""
    return rest.split("/", 1)[0]


def api_domains() -> list[str]:
    """Every domain a token may be scoped to (the registered routers' first segments)."""
    return sorted(_domains)


class ActorSessionAuth(SessionAuth):
    """Session sign-in (with CSRF for writes); resolves the request's actor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = super().authenticate(request, key)
        if not user:
            return None
        return actor_of(request)


class Unauthenticated(DomainError):
    """No valid credentials (an unknown, expired or revoked token)."""

    code = CoreError.UNAUTHENTICATED
    status = 401


class ActorBearerAuth(HttpBearer):
    """`Authorization: Bearer linli_pat_...`: a personal access token of a staff member or a
    service account (no CSRF: the browser never sends it on its own). An unknown token is a
    401; the verifier refuses one outside its scope (403) or over its rate (429)."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        domain = api_domain(request.path)
        for verifier in _bearer_verifiers:
            actor = verifier(request, token, domain)
            if actor is not None:
                return actor
        raise Unauthenticated(_("The API token is unknown, expired or revoked."))


api = NinjaAPI(
    title="Linli API",
    version="1",
    description=(
        "Linli (邻里) community platform. Sign in through /accounts/login/ (a session, with "
        "CSRF for writes), or send `Authorization: Bearer linli_pat_...` with a personal access "
        "token made at /accounts/tokens/ (scoped to read or read-write and to some domains, "
        "i.e. the first path segment under /api/; rate-limited per token; 401 unknown, 403 "
        "outside its scope, 429 over its rate)."
    ),
    auth=[ActorBearerAuth(), ActorSessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """`require_perm` in an API operation: the usual error body, like any other 404."""
    return api.create_response(
        request, {"code": CoreError.NOT_FOUND, "message": _("Not found.")}, status=404
    )


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": CoreError.INVALID_INPUT, "message": _("Invalid input."), "details": exc.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": CoreError.UNAUTHENTICATED, "message": _("Sign in first.")}, status=401
    )


class AuditEventOut(Schema):
    at: dt.datetime
    actor: str = Field(alias="actor_label")
    action: str
    object_type: str
    object_id: str
    object_label: str
    field: str
    reason: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


audit_router = Router(tags=["audit"])


@audit_router.get("/events", response=list[AuditEventOut])
def audit_events(
    request: HttpRequest,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: int = QueryParam(1, ge=1, le=MAX_QUERY_INT),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> Any:
    who: Actor = actor_of(request)
    if not has_perm(who, VIEW_AUDIT):
        raise NotFound(_("Not found."))
    qs = audit_list(
        who,
        AuditFilters(
            action=action,
            object_type=object_type,
            object_id=object_id,
            actor=actor,
            since=since,
            until=until,
        ),
    )
    start = (page - 1) * page_size
    return list(qs[start : start + page_size])


def register_router(prefix: str, router: Router) -> None:
    """Mount a domain's ninja router at `/api/<prefix>`; each app calls this from its
    `AppConfig.ready()` (like menus and demo builders), so the API root imports no domain."""
    api.add_router(prefix, router)
    _domains.add(prefix.strip("/").split("/", 1)[0])


register_router("/audit/", audit_router)
