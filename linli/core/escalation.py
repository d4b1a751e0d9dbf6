"""Who a request escalates to, without the request desk importing the Party organisation.

Community 110 escalates an overdue request up a chain: the grid worker → the grid Party
branch secretary → the community Party secretary. The Party app knows those people; it
registers a source here in its `AppConfig.ready()`. The desk asks `escalation_chain()` and
falls back to its own configured contacts when no source answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EscalationContact:
    """One step of the chain above the grid worker. `level` is "grid_branch_secretary" or
    "community_secretary"; `user_id` is set when the person has a Linli account (then the
    request can be assigned to them); `phone` is a work phone that may be shown to staff."""

    level: str
    name: str
    phone: str = ""
    user_id: int | None = None


GRID_BRANCH_SECRETARY = "grid_branch_secretary"
COMMUNITY_SECRETARY = "community_secretary"
LEVELS = (GRID_BRANCH_SECRETARY, COMMUNITY_SECRETARY)

# A source takes (community_id, grid_id or None) and returns the contacts it knows, in
# chain order; an empty list means "I know nobody here".
EscalationSource = Callable[[int, int | None], list[EscalationContact]]

_SOURCES: list[EscalationSource] = []


def register_escalation_source(source: EscalationSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def escalation_chain(community_id: int, grid_id: int | None) -> list[EscalationContact]:
    """The first registered source that knows anyone for this grid wins."""
    for source in _SOURCES:
        contacts = source(community_id, grid_id)
        if contacts:
            return contacts
    return []
