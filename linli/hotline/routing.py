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

from django.db.models import BooleanField, F, IntegerField, QuerySet, Value

from linli.accounts.selectors import (
    community_admin_assignments,
    grid_worker_assignments,
    staff_contact,
)
from linli.core.escalation import GRID_BRANCH_SECRETARY, EscalationContact, EscalationLevel
from linli.core.escalation import escalation_chain as party_chain
from linli.hotline.models import DutyAssignment, GridEscalationContact


@dataclass(frozen=True)
class Pick:
    """Who a new request goes to: the user id and the name a request shows for him."""

    user_id: int
    label: str


# The four sources of `pick`, in order of preference.
_GRID_ROSTER, _GRID_WORKER, _COMMUNITY_ROSTER, _COMMUNITY_ADMIN = range(4)


def _candidates(source: int, qs: QuerySet[Any], roster: bool) -> QuerySet[Any]:
    none = Value(None, output_field=IntegerField())
    return qs.order_by().values(
        src=Value(source, output_field=IntegerField()),
        uid=F("user_id"),
        day=F("weekday") if roster else none,
        fallback=F("is_fallback") if roster else Value(False, output_field=BooleanField()),
        row=F("id"),
        display=F("user__display_name"),
        login=F("user__username"),
    )


def pick(community_id: int, grid_id: int | None, at: dt.datetime) -> Pick | None:
    """Who a request filed at `at` is assigned to (None: nobody is configured), in one
    query: the grid's roster row for the weekday, else the grid's roster fallback, else the
    grid's first grid worker, else the community's roster (rows without a grid) the same
    way, else its first admin. A roster row for the weekday wins over an every-day row."""
    weekday = at.weekday()
    parts: list[QuerySet[Any]] = []
    if grid_id is not None:
        parts.append(
            _candidates(
                _GRID_ROSTER,
                DutyAssignment.objects.filter(community_id=community_id, grid_id=grid_id),
                True,
            )
        )
        parts.append(
            _candidates(
                _GRID_WORKER,
                grid_worker_assignments(grid_id),
                False,
            )
        )
    parts.append(
        _candidates(
            _COMMUNITY_ROSTER,
            DutyAssignment.objects.filter(community_id=community_id, grid__isnull=True),
            True,
        )
    )
    parts.append(
        _candidates(
            _COMMUNITY_ADMIN,
            community_admin_assignments(community_id),
            False,
        )
    )
    rows = [
        r for r in parts[0].union(*parts[1:], all=True) if r["day"] is None or r["day"] == weekday
    ]
    if not rows:
        return None
    best = min(rows, key=lambda r: (r["src"], r["fallback"], r["day"] is None, r["row"]))
    return Pick(user_id=int(best["uid"]), label=best["display"] or best["login"])


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
