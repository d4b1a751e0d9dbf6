"""Who a new request goes to, and who stands above the grid worker when it escalates.

Routing: the grid's duty roster for today's weekday, else the grid's fallback, else the grid
workers assigned to the grid, else the community's duty officer (roster rows without a grid),
else its fallback, else a community admin. Escalation: the Party organisation's chain through
`linli.core.escalation` when it knows anyone, else this desk's configured contacts.
"""

from __future__ import annotations

import datetime as dt

from linli.accounts.selectors import first_community_admin_id, first_grid_worker_id, staff_contact
from linli.core.escalation import GRID_BRANCH_SECRETARY, EscalationContact, EscalationLevel
from linli.core.escalation import escalation_chain as party_chain
from linli.hotline.models import DutyAssignment, GridEscalationContact


def _roster_pick(community_id: int, grid_id: int | None, weekday: int) -> int | None:
    where = {"grid_id": grid_id} if grid_id is not None else {"grid__isnull": True}
    rows = list(
        DutyAssignment.objects.filter(community_id=community_id, **where)
        .order_by("is_fallback", "weekday", "id")
        .values_list("user_id", "weekday", "is_fallback")
    )
    for wanted_fallback in (False, True):
        for user_id, day, fallback in rows:
            if fallback == wanted_fallback and (day is None or day == weekday):
                return int(user_id)
    return None


def route(community_id: int, grid_id: int | None, at: dt.datetime) -> int | None:
    """The user id a request filed at `at` is assigned to (None: nobody is configured)."""
    weekday = at.weekday()
    if grid_id is not None:
        picked = _roster_pick(community_id, grid_id, weekday) or first_grid_worker_id(grid_id)
        if picked:
            return picked
    return _roster_pick(community_id, None, weekday) or first_community_admin_id(community_id)


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
