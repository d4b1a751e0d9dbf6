"""The request desk's vocabularies and its explicit state machine.

A request moves only through the named services in `linli.hotline.services`; each service
names its transition here, and `REQUEST_MACHINE` (`linli.core.states`) refuses anything the
table does not allow and settles races with one conditional UPDATE.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ON_SITE = "on_site", _("On site")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    MERGED = "merged", _("Merged as duplicate")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.ON_SITE)
# Statuses that count in the rates; of the cancelled, only those staff cancelled count
# (`selectors.counted_q`).
COUNTED_STATUSES = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.ON_SITE,
    Status.RESOLVED,
    Status.CLOSED,
)


class Transition(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted (first contact)")
    CHECK_IN = "check_in", _("Checked in at the door")
    RESOLVE = "resolve", _("Resolved")
    RATE = "rate", _("Rated by the resident")
    REOPEN = "reopen", _("Reopened")
    CLOSE = "close", _("Closed")
    CANCEL = "cancel", _("Cancelled")
    MERGE = "merge", _("Merged as duplicate")


# transition → statuses it may start from. Where it leads is decided by the service (a rating
# of 1–2 leads back to "accepted", 3–5 to "closed").
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    Transition.ACCEPT: (Status.SUBMITTED,),
    Transition.CHECK_IN: (Status.ACCEPTED,),
    Transition.RESOLVE: (Status.ACCEPTED, Status.ON_SITE),
    Transition.RATE: (Status.RESOLVED,),
    Transition.REOPEN: (Status.RESOLVED, Status.CLOSED),
    Transition.CLOSE: (Status.RESOLVED,),
    Transition.CANCEL: (Status.SUBMITTED, Status.ACCEPTED, Status.ON_SITE),
    Transition.MERGE: (Status.SUBMITTED, Status.ACCEPTED, Status.ON_SITE),
}


REQUEST_MACHINE = StateMachine(
    allowed_from=ALLOWED_FROM,
    status_labels=Status,
    transition_labels=Transition,
    field="status",
)


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone (staff intake)")
    PORTAL = "portal", _("Resident portal")
    OPEN311 = "open311", _("Open311")
    SAFETY_OUTPOST = "safety_outpost", _("Safety outpost report")
    FOUND_ON_VISIT = "found_on_visit", _("Found on a visit")


# Channels through which another module files on behalf of a client it has authenticated
# itself (Open311's api_key, the riders' station); see `services.request_file`.
INTEGRATION_CHANNELS = (Channel.OPEN311, Channel.SAFETY_OUTPOST)
# Channels whose filer is the resident himself, who may choose to publish his description
# (anonymised). Words taken down on the phone or sent from a rider's report never are.
PUBLIC_TEXT_CHANNELS = (Channel.PORTAL, Channel.OPEN311)


class VerdictSource(models.TextChoices):
    """Who gave the verdict a request carries: the resident himself (portal, API), or staff
    who wrote down what he said on the phone (kept apart and counted on the rates, so that
    nobody grades their own work unseen)."""

    RESIDENT = "resident", _("The resident")
    STAFF_RECORDED_CALL = "staff_recorded_call", _("Recorded by staff from a call")


class CancelSource(models.TextChoices):
    """Who withdrew a request. The resident's own withdrawal leaves the rates; a request
    staff cancel stays counted in them (with its missed deadlines)."""

    RESIDENT = "resident", _("The resident")
    STAFF = "staff", _("Staff")


class Priority(models.TextChoices):
    """The 12345 hotline's four feedback classes."""

    EMERGENCY = "emergency", _("Risk to life or property")
    UTILITY = "utility", _("Water, power, gas, heating")
    GENERAL = "general", _("General")
    COMPLEX = "complex", _("Complex")


# Default time limits in minutes (first contact, at the door, resolved) per priority, after
# the 12345 practice. A limit of None means "no such limit" (no door visit is promised for a
# general enquiry). Utilities promise the door within 2 h, which is also their contact limit.
DEFAULT_LIMITS: dict[str, tuple[int | None, int | None, int]] = {
    Priority.EMERGENCY: (15, 30, 2 * 60),
    Priority.UTILITY: (2 * 60, 2 * 60, 24 * 60),
    Priority.GENERAL: (2 * 60, None, 7 * 24 * 60),
    Priority.COMPLEX: (2 * 60, None, 15 * 24 * 60),
}


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    DATE = "date", _("Date")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ON_SITE = "on_site", _("Checked in at the door")
    RESOLVED = "resolved", _("Resolved")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    MERGED = "merged", _("Merged as duplicate")
    REASSIGNED = "reassigned", _("Reassigned")
    ESCALATED = "escalated", _("Escalated")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    UPDATE = "update", _("Update")
    NOTE = "note", _("Internal note")


class DueState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


RATING_REOPENS_AT_MOST = 2  # a rating of 1 or 2 reopens the request and escalates it
SATISFIED_AT_LEAST = 4  # ratings of 4 and 5 count as satisfied
REOPEN_WINDOW_DAYS = 7  # the resident may reopen within this many days of the resolution
DUPLICATE_WINDOW_DAYS = 7
MAX_PHOTOS = 3
MAX_DESCRIPTION = 4000
