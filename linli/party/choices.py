"""The Party organisation's fixed vocabularies and its two small state machines.

A member's *standing* only moves forward: probationary (预备党员) → full (正式党员), through
`services.member_confirm_full`. A member's *relation* (组织关系) is active in this community
or transferred out; `member_transfer_out` and `member_transfer_in` are the only ways across,
and each crossing writes a `Transfer` row, so the history is never lost. The services move a
member only through `STANDING_MACHINE` and `RELATION_MACHINE` (`core.states`).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine


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


class StandingTransition(models.TextChoices):
    CONFIRM_FULL = "confirm_full", _("Confirm as full member")


STANDING_MACHINE = StateMachine(
    field="standing",
    status_labels=Standing,
    transition_labels=StandingTransition,
    allowed_from={StandingTransition.CONFIRM_FULL: (Standing.PROBATIONARY,)},
)


class Relation(models.TextChoices):
    """Where the member's organisational relation (组织关系) is held."""

    ACTIVE = "active", _("In this community")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")


class RelationTransition(models.TextChoices):
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")


RELATION_MACHINE = StateMachine(
    field="relation",
    status_labels=Relation,
    transition_labels=RelationTransition,
    allowed_from={
        RelationTransition.TRANSFER_OUT: (Relation.ACTIVE,),
        RelationTransition.TRANSFER_IN: (Relation.TRANSFERRED_OUT,),
    },
)


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


# No Party member joined, and no activity was held, before the Party's founding.
EARLIEST_DAY = dt.date(1921, 7, 1)
