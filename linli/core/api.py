"""The JSON API root (`/api/`, OpenAPI docs at `/api/docs`). Each app contributes a router;
domain errors become JSON with their HTTP status here, in one place."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import SessionAuth

from linli.core.audit_permissions import VIEW_AUDIT
from linli.core.errors import DomainError, NotFound
from linli.core.permissions import Actor, has_perm
from linli.core.selectors import AuditFilters, audit_list


class ActorSessionAuth(SessionAuth):
    """Session sign-in (with CSRF for writes); resolves the request's actor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = super().authenticate(request, key)
        if not user:
            return None
        return request.actor  # type: ignore[attr-defined, no-any-return]


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


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"code": "invalid_input", "message": _("Invalid input."), "details": exc.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "unauthenticated", "message": _("Sign in first.")}, status=401
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
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=200),
) -> Any:
    who: Actor = request.auth  # type: ignore[attr-defined]
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


def register_routers() -> None:
    from linli.accounts.api import router as accounts_router
    from linli.hotline.api import router as hotline_router
    from linli.party.api import router as party_router
    from linli.registry.api import router as registry_router
    from linli.registry.api_import import router as import_router
    from linli.riders.api import router as riders_router
    from linli.volunteers.api import router as volunteers_router

    api.add_router("/registry/", registry_router)
    api.add_router("/accounts/", accounts_router)
    api.add_router("/audit/", audit_router)
    api.add_router("/registry/import/", import_router)
    api.add_router("/party/", party_router)
    api.add_router("/hotline/", hotline_router)
    api.add_router("/volunteers/", volunteers_router)
    api.add_router("/riders/", riders_router)


register_routers()
