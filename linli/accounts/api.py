"""Accounts API (`/api/accounts/`): who am I, issuing one-time codes, resident activation and
password reset. The two anonymous endpoints check CSRF themselves (ninja checks it only for
authenticated operations) and are throttled by the services."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from django.contrib.auth import login
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.utils import check_csrf

from linli.accounts import services, throttle
from linli.accounts.selectors import actor_for_user
from linli.core.errors import PermissionDenied
from linli.core.permissions import Actor, role_perms
from linli.core.web import actor_of

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
    perms: set[str] = set()
    for role in actor.roles:
        perms |= role_perms(role)
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
        permissions=sorted(perms),
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
