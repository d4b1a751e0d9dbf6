"""Accounts API (`/api/accounts/`): who am I, issuing one-time codes, resident activation and
password reset, and API tokens (list, make, revoke: session only). The two anonymous endpoints
check CSRF themselves (ninja checks it only for
authenticated operations) and are throttled by the services."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.contrib.auth import login
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.params.functions import Path as PathParam
from ninja.utils import check_csrf

from linli.accounts import selectors, services, throttle
from linli.accounts.models import ApiToken
from linli.accounts.selectors import actor_for_user
from linli.core.api import ActorSessionAuth
from linli.core.errors import PermissionDenied
from linli.core.permissions import Actor, perms_of
from linli.core.web import MAX_QUERY_INT, actor_of

router = Router(tags=["accounts"])


class GrantOut(Schema):
    role: str
    community_ids: list[int]
    grid_ids: list[int]
    household_id: int | None


class MeOut(Schema):
    user_id: int | None
    name: str
    grants: list[GrantOut]
    permissions: list[str]


class InvitationIn(Schema):
    resident_id: UUID
    purpose: Literal["activation", "password_reset"] = "activation"
    reason: str = Field("", max_length=500)


class InvitationOut(Schema):
    code: str
    purpose: str


class ActivateIn(Schema):
    code: str = Field(max_length=30)
    phone: str = Field(max_length=30)
    password: str = Field(max_length=128)


class PasswordResetOut(Schema):
    detail: str


def _csrf_checked(request: HttpRequest) -> None:
    """Anonymous writes still need the CSRF token (a page elsewhere must not post them)."""
    if check_csrf(request) is not None:
        raise PermissionDenied(_("CSRF check failed. Reload the page and try again."))


def _me(actor: Actor) -> MeOut:
    return MeOut(
        user_id=actor.user_id,
        name=actor.label,
        grants=[
            GrantOut(
                role=g.role,
                community_ids=sorted(g.community_ids),
                grid_ids=sorted(g.grid_ids),
                household_id=g.household_id,
            )
            for g in actor.grants
        ],
        permissions=sorted(perms_of(actor)),
    )


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    return _me(actor_of(request))


@router.post("/invitations", response={201: InvitationOut})
def invitation_issue(request: HttpRequest, payload: InvitationIn) -> Status[InvitationOut]:
    code = services.invitation_issue(
        actor=actor_of(request),
        resident_public_id=payload.resident_id,
        purpose=payload.purpose,
        reason=payload.reason,
    )
    return Status(201, InvitationOut(code=code, purpose=payload.purpose))


@router.post("/activate", auth=None, response={201: MeOut})
def activate(request: HttpRequest, payload: ActivateIn) -> Status[MeOut]:
    _csrf_checked(request)
    user = services.resident_account_activate(
        **payload.dict(), client_address=throttle.client_address(request)
    )
    login(request, user, backend="linli.accounts.backends.LinliBackend")
    return Status(201, _me(actor_for_user(user)))


@router.post("/password-reset", auth=None, response={200: PasswordResetOut})
def password_reset(request: HttpRequest, payload: ActivateIn) -> PasswordResetOut:
    _csrf_checked(request)
    services.resident_password_reset(
        **payload.dict(), client_address=throttle.client_address(request)
    )
    return PasswordResetOut(detail=_("Your new password is set. Sign in with it."))


class AccountsTokenIn(Schema):
    name: str = Field(max_length=100)
    access: Literal["read", "write"] = "read"
    domains: list[str] = Field(max_length=50)
    days: int = Field(90, ge=1, le=services.TOKEN_MAX_DAYS)
    # A service account the caller manages; absent: a token for the caller himself.
    user_id: int | None = Field(None, ge=1, le=MAX_QUERY_INT)


class AccountsTokenOut(Schema):
    id: int
    name: str
    user: str
    prefix: str
    access: str
    domains: list[str]
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class AccountsTokenCreatedOut(AccountsTokenOut):
    token: str


def _token_out(row: ApiToken) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "user": str(row.user),
        "prefix": f"{services.TOKEN_PREFIX}{row.key_id}",
        "access": row.access,
        "domains": list(row.domains),
        "expires_at": row.expires_at,
        "last_used_at": row.last_used_at,
        "revoked_at": row.revoked_at,
    }


# Token management takes a signed-in session (the services also refuse a token's actor).
_session_only = ActorSessionAuth()


@router.get("/tokens", response=list[AccountsTokenOut], auth=_session_only)
def tokens(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's own tokens and those of the service accounts he manages (never the
    tokens themselves: only their prefixes)."""
    return [_token_out(row) for row in selectors.api_tokens_for(actor_of(request))[:200]]


@router.post("/tokens", response={201: AccountsTokenCreatedOut}, auth=_session_only)
def token_create(request: HttpRequest, payload: AccountsTokenIn) -> Status[dict[str, Any]]:
    """Make a token; the answer carries it once (`token`), it cannot be read again."""
    row, token = services.api_token_create(
        actor=actor_of(request),
        name=payload.name,
        access_level=payload.access,
        domains=payload.domains,
        days=payload.days,
        owner_id=payload.user_id,
    )
    return Status(201, {**_token_out(row), "token": token})


@router.post("/tokens/{token_id}/revoke", response=AccountsTokenOut, auth=_session_only)
def token_revoke(
    request: HttpRequest, token_id: int = PathParam(..., ge=1, le=MAX_QUERY_INT)
) -> dict[str, Any]:
    row = services.api_token_revoke(actor=actor_of(request), token_id=token_id)
    return _token_out(row)
