"""Enumerations and the explicit state machines of volunteering (BRIEF R6).

Every status moves only along the transitions listed here, and only through the named services
in `linli.volunteers.services` / `linli.volunteers.points`; anything else is a domain error.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    SERVICE = "service", _("Service")
    CULTURAL = "cultural", _("Cultural")
    OTHER = "other", _("Other")


class OrgStage(models.TextChoices):
    """The incubation pipeline of a social organisation (社会组织孵化)."""

    APPLIED = "applied", _("Applied")
    INCUBATING = "incubating", _("Incubating")
    REGISTERED = "registered", _("Registered")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ORG_TRANSITIONS: dict[str, frozenset[str]] = {
    OrgStage.APPLIED: frozenset({OrgStage.INCUBATING, OrgStage.WITHDRAWN}),
    OrgStage.INCUBATING: frozenset({OrgStage.REGISTERED, OrgStage.WITHDRAWN}),
    OrgStage.REGISTERED: frozenset({OrgStage.GRADUATED, OrgStage.WITHDRAWN}),
    OrgStage.GRADUATED: frozenset(),
    OrgStage.WITHDRAWN: frozenset(),
}

# The date field that records when an organisation reached each stage.
ORG_STAGE_DATE: dict[str, str] = {
    OrgStage.APPLIED: "applied_on",
    OrgStage.INCUBATING: "incubating_on",
    OrgStage.REGISTERED: "registered_on",
    OrgStage.GRADUATED: "graduated_on",
    OrgStage.WITHDRAWN: "withdrawn_on",
}


class TeamKind(models.TextChoices):
    SERVICE = "service", _("Civic service team")
    CULTURAL = "cultural", _("Cultural team")
    OTHER = "other", _("Other team")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("Open for sign-up")
    CLOSED = "closed", _("Sign-up closed")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVITY_TRANSITIONS: dict[str, frozenset[str]] = {
    ActivityStatus.OPEN: frozenset(
        {ActivityStatus.CLOSED, ActivityStatus.FINISHED, ActivityStatus.CANCELLED}
    ),
    ActivityStatus.CLOSED: frozenset(
        {ActivityStatus.OPEN, ActivityStatus.FINISHED, ActivityStatus.CANCELLED}
    ),
    ActivityStatus.FINISHED: frozenset(),
    ActivityStatus.CANCELLED: frozenset(),
}


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CHECKED_IN = "checked_in", _("Checked in")
    CHECKED_OUT = "checked_out", _("Checked out")
    CONFIRMED = "confirmed", _("Hours confirmed")
    CANCELLED = "cancelled", _("Cancelled")


SIGNUP_TRANSITIONS: dict[str, frozenset[str]] = {
    SignupStatus.WAITLISTED: frozenset({SignupStatus.SIGNED_UP, SignupStatus.CANCELLED}),
    SignupStatus.SIGNED_UP: frozenset({SignupStatus.CHECKED_IN, SignupStatus.CANCELLED}),
    SignupStatus.CHECKED_IN: frozenset({SignupStatus.CHECKED_OUT}),
    SignupStatus.CHECKED_OUT: frozenset({SignupStatus.CONFIRMED}),
    SignupStatus.CONFIRMED: frozenset(),
    SignupStatus.CANCELLED: frozenset(),
}

# Sign-ups that hold a seat (the waiting list and cancellations do not).
SEATED = (
    SignupStatus.SIGNED_UP,
    SignupStatus.CHECKED_IN,
    SignupStatus.CHECKED_OUT,
    SignupStatus.CONFIRMED,
)


class EntryKind(models.TextChoices):
    """What a points-ledger entry records. Earnings are positive, spending negative."""

    HOURS = "hours", _("Service hours")
    SAFETY_REPORT = "safety_report", _("Verified safety report")
    RULE = "rule", _("Community rule")
    REDEMPTION = "redemption", _("Redemption")
    REFUND = "refund", _("Redemption cancelled")
    EXPIRY = "expiry", _("Expired")
    ADJUSTMENT = "adjustment", _("Adjustment")


# Entries that count as earning on the leaderboards.
EARNING_KINDS = (EntryKind.HOURS, EntryKind.SAFETY_REPORT, EntryKind.RULE)


class RedemptionStatus(models.TextChoices):
    RESERVED = "reserved", _("Awaiting pickup")
    PICKED_UP = "picked_up", _("Picked up")
    CANCELLED = "cancelled", _("Cancelled")


REDEMPTION_TRANSITIONS: dict[str, frozenset[str]] = {
    RedemptionStatus.RESERVED: frozenset({RedemptionStatus.PICKED_UP, RedemptionStatus.CANCELLED}),
    RedemptionStatus.PICKED_UP: frozenset(),
    RedemptionStatus.CANCELLED: frozenset(),
}
