"""Who a request escalates to, without the request desk importing the Party organisation.

Community 110 escalates an overdue request up a chain: the grid worker → the grid Party
branch secretary → the community Party secretary. The Party app knows those people; it
registers a source here in its `AppConfig.ready()`. The desk asks `escalation_chain()` and
falls back to its own configured contacts when no source answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class EscalationLevel(models.IntegerChoices):
    """The one definition of the chain's steps. A request stores the level it has reached
    (an integer, so "escalate one level" is +1); a contact names its step by `key`."""

    GRID_WORKER = 0, _("Grid worker")
    GRID_BRANCH_SECRETARY = 1, _("Grid Party-branch secretary")
    COMMUNITY_SECRETARY = 2, _("Community secretary")

    @property
    def key(self) -> str:
        """The stable name of the step (`"grid_branch_secretary"`), as contacts carry it."""
        return self.name.lower()

    @classmethod
    def from_key(cls, key: str) -> EscalationLevel | None:
        return next((level for level in cls if level.key == key), None)


# The steps above the grid worker by key: what `EscalationContact.level` and the desk's
# configured contacts hold.
GRID_BRANCH_SECRETARY = EscalationLevel.GRID_BRANCH_SECRETARY.key
COMMUNITY_SECRETARY = EscalationLevel.COMMUNITY_SECRETARY.key
LEVELS = (GRID_BRANCH_SECRETARY, COMMUNITY_SECRETARY)
CONTACT_LEVEL_CHOICES = [
    (EscalationLevel.GRID_BRANCH_SECRETARY.key, EscalationLevel.GRID_BRANCH_SECRETARY.label),
    (EscalationLevel.COMMUNITY_SECRETARY.key, EscalationLevel.COMMUNITY_SECRETARY.label),
]


@dataclass(frozen=True)
class EscalationContact:
    """One step of the chain above the grid worker. `level` is a step's key
    (`GRID_BRANCH_SECRETARY` or `COMMUNITY_SECRETARY`); `user_id` is set when the person has a
    Linli account (then the request can be assigned to them); `phone` is a work phone that
    may be shown to staff."""

    level: str
    name: str
    phone: str = ""
    user_id: int | None = None


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
