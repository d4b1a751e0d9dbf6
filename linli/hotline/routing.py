"""Who a new request goes to, and who stands above the grid worker when it escalates.

Routing: the grid's duty roster for today's weekday, else the grid's fallback, else the grid
workers assigned to the grid, else the community's duty officer (roster rows without a grid),
else its fallback, else a community admin. Escalation: the Party organisation's chain through
`linli.core.escalation` when it knows anyone, else this desk's configured contacts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q

from linli.accounts import signin_cache
from linli.accounts.selectors import (
    community_admin_assignments,
    grid_worker_assignments,
    staff_contact,
)
from linli.core import memo
from linli.core.escalation import GRID_BRANCH_SECRETARY, EscalationContact, EscalationLevel
from linli.core.escalation import escalation_chain as party_chain
from linli.hotline.models import DutyAssignment, GridEscalationContact


@dataclass(frozen=True)
class Pick:
    """Who a new request goes to: the user id and the name a request shows for him."""

    user_id: int
    label: str


# What `pick` reads of a roster row or a role assignment.
_PICK_FIELDS = ("user_id", "user__display_name", "user__username")


def _picked(row: dict[str, Any]) -> Pick:
    return Pick(
        user_id=int(row["user_id"]), label=row["user__display_name"] or row["user__username"]
    )


# Who a grid's requests go to changes rarely and every filing asks: each process remembers the
# answer per grid and weekday (linli.core.memo) while neither the roster (this token, changed by
# the roster's services and the admin) nor anyone's roles or name (the sign-in token) changed.
ROSTER = memo.Token("hotline-roster")
_picks: memo.Memo[Pick | None] = memo.Memo(ROSTER, signin_cache.TOKEN)


def pick(community_id: int, grid_id: int | None, at: dt.datetime) -> Pick | None:
    """Who a request filed at `at` is assigned to (None: nobody is configured), remembered
    per community, grid and weekday (`_pick` reads it)."""
    weekday = at.weekday()
    return _picks.get(
        (community_id, grid_id, weekday), lambda: _pick(community_id, grid_id, weekday)
    )


def _pick(community_id: int, grid_id: int | None, weekday: int) -> Pick | None:
    """Who a request filed on `weekday` is assigned to (None: nobody is configured): the grid's
    roster row for the weekday, else the grid's roster fallback, else the grid's first grid
    worker, else the community's roster (rows without a grid) the same way, else its first
    admin. A roster row for the weekday wins over an every-day row. One small query when the
    grid has a roster (both rosters come in it); each further source is asked only when the
    ones before it named nobody."""
    grids = Q(grid__isnull=True) if grid_id is None else Q(grid_id=grid_id) | Q(grid__isnull=True)
    roster = list(
        DutyAssignment.objects.filter(grids, community_id=community_id)
        .filter(Q(weekday=weekday) | Q(weekday__isnull=True))
        .order_by("is_fallback", F("weekday").asc(nulls_last=True), "id")
        .values("grid_id", *_PICK_FIELDS)
    )
    own = [row for row in roster if row["grid_id"] is not None]
    if own:
        return _picked(own[0])
    if grid_id is not None:
        worker = grid_worker_assignments(grid_id).order_by("id").values(*_PICK_FIELDS).first()
        if worker is not None:
            return _picked(worker)
    shared = [row for row in roster if row["grid_id"] is None]
    if shared:
        return _picked(shared[0])
    admin = community_admin_assignments(community_id).order_by("id").values(*_PICK_FIELDS).first()
    return _picked(admin) if admin is not None else None


def route(community_id: int, grid_id: int | None, at: dt.datetime) -> int | None:
    """The user id a request filed at `at` is assigned to (None: nobody is configured)."""
    picked = pick(community_id, grid_id, at)
    return picked.user_id if picked else None


def escalation_contact(
    community_id: int, grid_id: int | None, level: int
) -> EscalationContact | None:
    """The person at `level` above the grid worker: the Party tree's when it names one, else
    the configured contact for the grid (branch secretary) or the community (secretary)."""
    if level <= EscalationLevel.GRID_WORKER:
        return None
    wanted = EscalationLevel(level).key
    for contact in party_chain(community_id, grid_id):
        if contact.level == wanted:
            return contact
    qs = GridEscalationContact.objects.filter(community_id=community_id, level=wanted)
    row = (
        qs.filter(grid_id=grid_id).first() if wanted == GRID_BRANCH_SECRETARY and grid_id else None
    ) or qs.filter(grid__isnull=True).first()
    if row is None:
        return None
    return EscalationContact(level=wanted, name=row.name, phone=row.phone, user_id=row.user_id)


def user_phone(user_id: int | None) -> tuple[str, str]:
    """(display name, work phone) of a staff user, for notifications."""
    contact = staff_contact(user_id) if user_id else None
    return (contact.name, contact.work_phone) if contact else ("", "")
