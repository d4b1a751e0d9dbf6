"""Enumerations and the explicit state machines of volunteering (BRIEF R6).

Every status moves only along the transitions declared here (`linli.core.states`), and only
through the named services in `linli.volunteers.services` / `linli.volunteers.points`; anything
else is a domain error (`invalid_transition`), and of two people acting at once one wins.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine


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


class OrgTransition(models.TextChoices):
    INCUBATE = "incubate", _("Start incubation")
    REGISTER = "register", _("Register")
    GRADUATE = "graduate", _("Graduate")
    WITHDRAW = "withdraw", _("Withdraw")


ORG_MACHINE = StateMachine(
    field="stage",
    status_labels=OrgStage,
    transition_labels=OrgTransition,
    allowed_from={
        OrgTransition.INCUBATE: (OrgStage.APPLIED,),
        OrgTransition.REGISTER: (OrgStage.INCUBATING,),
        OrgTransition.GRADUATE: (OrgStage.REGISTERED,),
        OrgTransition.WITHDRAW: (OrgStage.APPLIED, OrgStage.INCUBATING, OrgStage.REGISTERED),
    },
)

# Where each transition leads (the pipeline is a line: one stage per transition).
ORG_STAGE_AFTER: dict[str, str] = {
    OrgTransition.INCUBATE: OrgStage.INCUBATING,
    OrgTransition.REGISTER: OrgStage.REGISTERED,
    OrgTransition.GRADUATE: OrgStage.GRADUATED,
    OrgTransition.WITHDRAW: OrgStage.WITHDRAWN,
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


class Audience(models.TextChoices):
    """Who an activity is for: volunteers (hours and points) or the community's residents
    (a lecture, a festival, a class held in a venue booking). One engine runs both: capacity,
    waiting list, QR check-in."""

    VOLUNTEERS = "volunteers", _("Volunteers")
    RESIDENTS = "residents", _("Residents")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("Open for sign-up")
    CLOSED = "closed", _("Sign-up closed")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityTransition(models.TextChoices):
    CLOSE = "close", _("Close sign-up")
    REOPEN = "reopen", _("Reopen sign-up")
    FINISH = "finish", _("Finish")
    CANCEL = "cancel", _("Cancel")


ACTIVITY_MACHINE = StateMachine(
    status_labels=ActivityStatus,
    transition_labels=ActivityTransition,
    allowed_from={
        ActivityTransition.CLOSE: (ActivityStatus.OPEN,),
        ActivityTransition.REOPEN: (ActivityStatus.CLOSED,),
        ActivityTransition.FINISH: (ActivityStatus.OPEN, ActivityStatus.CLOSED),
        ActivityTransition.CANCEL: (ActivityStatus.OPEN, ActivityStatus.CLOSED),
    },
)

ACTIVITY_STATUS_AFTER: dict[str, str] = {
    ActivityTransition.CLOSE: ActivityStatus.CLOSED,
    ActivityTransition.REOPEN: ActivityStatus.OPEN,
    ActivityTransition.FINISH: ActivityStatus.FINISHED,
    ActivityTransition.CANCEL: ActivityStatus.CANCELLED,
}


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CHECKED_IN = "checked_in", _("Checked in")
    CHECKED_OUT = "checked_out", _("Checked out")
    CONFIRMED = "confirmed", _("Hours confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class SignupTransition(models.TextChoices):
    PROMOTE = "promote", _("Give the freed place")
    CANCEL = "cancel", _("Cancel the sign-up")
    CHECK_IN = "check_in", _("Check in")
    CHECK_OUT = "check_out", _("Check out")
    CONFIRM = "confirm", _("Confirm the hours")


SIGNUP_MACHINE = StateMachine(
    status_labels=SignupStatus,
    transition_labels=SignupTransition,
    allowed_from={
        SignupTransition.PROMOTE: (SignupStatus.WAITLISTED,),
        SignupTransition.CANCEL: (SignupStatus.WAITLISTED, SignupStatus.SIGNED_UP),
        SignupTransition.CHECK_IN: (SignupStatus.SIGNED_UP,),
        SignupTransition.CHECK_OUT: (SignupStatus.CHECKED_IN,),
        SignupTransition.CONFIRM: (SignupStatus.CHECKED_OUT,),
    },
)

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


class RedemptionTransition(models.TextChoices):
    PICK_UP = "pick_up", _("Hand over")
    CANCEL = "cancel", _("Cancel the redemption")


REDEMPTION_MACHINE = StateMachine(
    status_labels=RedemptionStatus,
    transition_labels=RedemptionTransition,
    allowed_from={
        RedemptionTransition.PICK_UP: (RedemptionStatus.RESERVED,),
        RedemptionTransition.CANCEL: (RedemptionStatus.RESERVED,),
    },
)
