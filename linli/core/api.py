"""The JSON API root (`/api/`, OpenAPI docs at `/api/docs`). Each app contributes a router;
domain errors become JSON with their HTTP status here, in one place."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.params.functions import Query as QueryParam
from ninja.security import SessionAuth

from linli.core.audit_permissions import VIEW_AUDIT
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.permissions import Actor, has_perm
from linli.core.selectors import AuditFilters, audit_list
from linli.core.web import MAX_QUERY_INT, actor_of

__all__ = ["QueryParam", "api", "register_router"]


class ActorSessionAuth(SessionAuth):
    """Session sign-in (with CSRF for writes); resolves the request's actor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = super().authenticate(request, key)
        if not user:
            return None
        return actor_of(request)


api = NinjaAPI(
    title="Linli API",
    version="1",
    description="Linli (邻里) community platform. Sign in through /accounts/login/ first.",
    auth=ActorSessionAuth(),
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


register_router("/audit/", audit_router)
