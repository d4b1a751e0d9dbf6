"""The desk's settings: the duty roster and the escalation contacts."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linli.accounts.selectors import actor_for_active_user_id
from linli.core.audit import audit_record
from linli.core.errors import Conflict, CoreError, DomainError, NotFound
from linli.core.escalation import GRID_BRANCH_SECRETARY, LEVELS
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for, role_perms
from linli.core.roles import Reach
from linli.hotline.errors import HotlineError
from linli.hotline.models import DutyAssignment, GridEscalationContact, ServiceRequest
from linli.hotline.permissions import MANAGE, WORK
from linli.hotline.routing import ROSTER
from linli.registry.models import Grid


@transaction.atomic
def duty_add(
    *,
    actor: Actor,
    community_id: int,
    grid_id: int | None,
    user_id: int,
    weekday: int | None,
    is_fallback: bool,
) -> DutyAssignment:
    if community_id not in communities_for(actor, MANAGE):
        raise NotFound(_("Not found."))
    if weekday is not None and not 0 <= weekday <= 6:
        raise DomainError(_("Choose a weekday."), code=CoreError.INVALID_CHOICE, field="weekday")
    who = actor_for_active_user_id(user_id)
    if (
        grid_id is not None
        and not Grid.objects.filter(pk=grid_id, community_id=community_id).exists()
    ):
        raise DomainError(
            _("Choose a grid of this community."), code=CoreError.INVALID_CHOICE, field="grid"
        )
    probe = ServiceRequest(community_id=community_id, grid_id=grid_id)
    if who is None or not _could_work(who, probe):
        raise DomainError(
            _("This person cannot work requests here."),
            code=HotlineError.INVALID_ASSIGNEE,
            field="user",
        )
    row = DutyAssignment.objects.create(
        community_id=community_id,
        grid_id=grid_id,
        user_id=user_id,
        weekday=weekday,
        is_fallback=is_fallback,
    )
    ROSTER.changed()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=row,
        community_id=community_id,
        after={"grid": grid_id, "user": user_id, "weekday": weekday, "fallback": is_fallback},
    )
    return row


def _could_work(who: Actor, probe: ServiceRequest) -> bool:
    """Whether `who` could work a request of the probe's community and grid (no query for
    the probe itself: the grants are checked against its fields)."""
    for grant in who.grants:
        if WORK not in role_perms(grant.role):
            continue
        if grant.reach == Reach.GRID:
            if probe.grid_id in grant.grid_ids:
                return True
        elif probe.community_id in grant.community_ids:
            return True
    return False


@transaction.atomic
def duty_remove(*, actor: Actor, duty_id: int) -> None:
    row = access(actor, MANAGE, DutyAssignment.objects.all(), pk=duty_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=row,
        community_id=row.community_id,
        before={"grid": row.grid_id, "user": row.user_id, "weekday": row.weekday},
        after={"removed": True},
    )
    row.delete()
    ROSTER.changed()


@transaction.atomic
def escalation_contact_set(
    *,
    actor: Actor,
    community_id: int,
    grid_id: int | None,
    level: str,
    name: str,
    phone: str = "",
    user_id: int | None = None,
) -> GridEscalationContact:
    """Set (create or replace) the configured contact at one level for a grid or community."""
    if community_id not in communities_for(actor, MANAGE):
        raise NotFound(_("Not found."))
    if level not in LEVELS:
        raise DomainError(_("Choose a level."), code=CoreError.INVALID_CHOICE, field="level")
    if level == GRID_BRANCH_SECRETARY and grid_id is None:
        raise DomainError(
            _("A branch secretary belongs to a grid."), code=CoreError.REQUIRED, field="grid"
        )
    if not (name or "").strip():
        raise DomainError(_("Enter a name."), code=CoreError.REQUIRED, field="name")
    if (
        grid_id is not None
        and not Grid.objects.filter(pk=grid_id, community_id=community_id).exists()
    ):
        raise DomainError(
            _("Choose a grid of this community."), code=CoreError.INVALID_CHOICE, field="grid"
        )
    if user_id is not None and actor_for_active_user_id(user_id) is None:
        raise DomainError(_("Unknown account."), code=CoreError.INVALID_CHOICE, field="user")
    try:
        where: dict[str, Any] = (
            {"grid_id": grid_id} if grid_id is not None else {"grid__isnull": True}
        )
        row, created = GridEscalationContact.objects.update_or_create(
            community_id=community_id,
            level=level,
            **where,
            defaults={"name": name.strip()[:100], "phone": phone.strip()[:30], "user_id": user_id},
        )
    except IntegrityError as exc:
        raise Conflict(
            _("Someone set this contact a moment ago; reload and try again."),
            code=CoreError.CONFLICT,
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=row,
        community_id=community_id,
        after={"grid": grid_id, "level": level, "name": row.name, "user": user_id},
    )
    return row
