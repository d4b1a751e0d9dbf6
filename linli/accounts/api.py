"""Accounts API (`/api/accounts/`): who am I, issuing invitation codes, resident activation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth import login
from django.http import HttpRequest
from ninja import Router, Schema, Status

from linli.accounts import services
from linli.core.permissions import Actor, role_perms

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
    household_id: UUID


class InvitationOut(Schema):
    code: str


class ActivateIn(Schema):
    code: str
    phone: str
    password: str


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    actor: Actor = request.auth  # type: ignore[attr-defined]
    perms: set[str] = set()
    for role in actor.roles:
        perms |= role_perms(role)
    return {
        "user_id": actor.user_id,
        "name": actor.label,
        "grants": [
            {
                "role": g.role,
                "community_ids": sorted(g.community_ids),
                "grid_ids": sorted(g.grid_ids),
                "household_id": g.household_id,
            }
            for g in actor.grants
        ],
        "permissions": sorted(perms),
    }


@router.post("/invitations", response={201: InvitationOut})
def invitation_issue(request: HttpRequest, payload: InvitationIn) -> Any:
    code = services.invitation_issue(
        actor=request.auth,  # type: ignore[attr-defined]
        household_public_id=str(payload.household_id),
    )
    return Status(201, {"code": code})


@router.post("/activate", auth=None, response={201: MeOut})
def activate(request: HttpRequest, payload: ActivateIn) -> Any:
    user = services.resident_account_activate(**payload.dict())
    login(request, user, backend="linli.accounts.backends.LinliBackend")
    from linli.accounts.selectors import actor_for_user

    request.auth = actor_for_user(user)  # type: ignore[attr-defined]
    return Status(201, me(request))
