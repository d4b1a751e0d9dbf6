"""Enumerations and state machines of the new-employment workers' station (BRIEF R7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine


class WorkerKind(models.TextChoices):
    RIDER = "rider", _("Delivery rider")
    COURIER = "courier", _("Courier")
    DRIVER = "driver", _("Ride-hailing driver")


class WorkerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class VisitPurpose(models.TextChoices):
    REST = "rest", _("Rest")
    CHARGING = "charging", _("Charging")
    WATER = "water", _("Water and heating meals")
    REPAIR = "repair", _("Vehicle repair")
    ACTIVITY = "activity", _("Activity or training")
    OTHER = "other", _("Other")


class Meal(models.TextChoices):
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


class Payment(models.TextChoices):
    SUBSIDISED = "subsidised", _("Subsidised")
    PAID = "paid", _("Paid in full")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentTransition(models.TextChoices):
    PROMOTE = "promote", _("Give the freed place")
    WITHDRAW = "withdraw", _("Withdraw")


ENROLMENT_MACHINE = StateMachine(
    status_labels=EnrolmentStatus,
    transition_labels=EnrolmentTransition,
    allowed_from={
        EnrolmentTransition.PROMOTE: (EnrolmentStatus.WAITLISTED,),
        EnrolmentTransition.WITHDRAW: (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED),
    },
)


class ReportCategory(models.TextChoices):
    ROAD = "road", _("Road hazard")
    FIRE = "fire", _("Fire hazard")
    FACILITY = "facility", _("Damaged public facility")
    ORDER = "order", _("Public order")
    OTHER = "other", _("Other hazard")


class ReportStatus(models.TextChoices):
    """A safety-outpost report: stored, forwarded to Community 110 (where it is handled), then
    verified by the station (and paid in points) or rejected."""

    NOT_FORWARDED = "not_forwarded", _("Not yet forwarded")
    FORWARDED = "forwarded", _("Forwarded to Community 110")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class ReportTransition(models.TextChoices):
    FORWARD = "forward", _("Forward to Community 110")
    VERIFY = "verify", _("Verify")
    REJECT = "reject", _("Reject")


REPORT_MACHINE = StateMachine(
    status_labels=ReportStatus,
    transition_labels=ReportTransition,
    allowed_from={
        ReportTransition.FORWARD: (ReportStatus.NOT_FORWARDED,),
        ReportTransition.VERIFY: (ReportStatus.FORWARDED,),
        ReportTransition.REJECT: (ReportStatus.FORWARDED,),
    },
)

# Price of a canteen meal in yuan: subsidised for registered workers, and in full.
MEAL_PRICES: dict[str, str] = {Payment.SUBSIDISED: "8.00", Payment.PAID: "15.00"}
