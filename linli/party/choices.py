"""The Party organisation's fixed vocabularies, its two small state machines and the bounds
of what a page or an API client may send.

A member's *standing* only moves forward: probationary (预备党员) → full (正式党员), through
`services.member_confirm_full`. A member's *relation* (组织关系) is active in this community
or transferred out; `member_transfer_out` and `member_transfer_in` are the only ways across,
and each crossing writes a `Transfer` row, so the history is never lost. The services move
both through `sources_of` (one conditional UPDATE from the states the table allows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Community Party committee")
    GRID_BRANCH = "grid_branch", _("Grid Party branch")
    THEMED_BRANCH = "themed_branch", _("Themed Party branch")
    BUILDING_GROUP = "building_group", _("Building Party group")


class Theme(models.TextChoices):
    """The four bonds themed branches are built on (四缘)."""

    ASPIRATION = "aspiration", _("Aspiration (志缘)")
    OCCUPATION = "occupation", _("Occupation (业缘)")
    INTEREST = "interest", _("Interest (趣缘)")
    AFFECTION = "affection", _("Affection (情缘)")


class OfficeRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    GROUP_LEADER = "group_leader", _("Group leader")


class Standing(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


STANDING_TRANSITIONS: dict[str, set[str]] = {
    Standing.PROBATIONARY: {Standing.FULL},
    Standing.FULL: set(),
}


class Relation(models.TextChoices):
    """Where the member's organisational relation (组织关系) is held."""

    ACTIVE = "active", _("In this community")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")


RELATION_TRANSITIONS: dict[str, set[str]] = {
    Relation.ACTIVE: {Relation.TRANSFERRED_OUT},
    Relation.TRANSFERRED_OUT: {Relation.ACTIVE},
}


class TransferKind(models.TextChoices):
    IN = "in", _("Transferred in")
    OUT = "out", _("Transferred out")
    INTERNAL = "internal", _("Moved between organisations")


class ActivityKind(models.TextChoices):
    """The regular forms of organisational life (三会一课, 主题党日) and service."""

    MEMBERS_MEETING = "members_meeting", _("Members' meeting")
    COMMITTEE_MEETING = "committee_meeting", _("Committee meeting")
    GROUP_MEETING = "group_meeting", _("Group meeting")
    PARTY_LECTURE = "party_lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("Theme Party day")
    SERVICE = "service", _("Volunteer service")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Nearness(models.IntegerChoices):
    """How near a suggested household or member lives to a central household: a shared
    staircase first, then the same building, then the same grid (see docs/party.md)."""

    SAME_UNIT = 0, _("Same unit")
    SAME_BUILDING = 1, _("Same building")
    SAME_GRID = 2, _("Same grid")
    ELSEWHERE = 3, _("Elsewhere")


def sources_of(transitions: Mapping[str, set[str]], target: str) -> set[str]:
    """The states a transition table lets an object leave for `target`."""
    return {source for source, targets in transitions.items() if target in targets}


# ---------------------------------------------------------------- bounds of input (issue 8)

# Ids fit the database's bigint; a larger number is not an id, never a database error.
MAX_ID = 2**63 - 1
# No Party member joined, and no activity was held, before the Party's founding; years of
# filters and exports lie between its founding and a date no record reaches.
EARLIEST_DAY = dt.date(1921, 7, 1)
MIN_YEAR = EARLIEST_DAY.year
MAX_YEAR = 2100
# List pages stop long before any offset could overflow.
MAX_PAGE = 100_000
