"""Enumerations and the state machines of venues, bookings, kit loans and service records
(BRIEF R4). Statuses move only along the transitions declared here (`linli.core.states`),
through the named services in `linli.venues.services`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine


class VenueKind(models.TextChoices):
    EXHIBITION = "exhibition", _("Exhibition hall")
    READING_ROOM = "reading_room", _("Reading room")
    MARKET = "market", _("Charity market")
    HALL = "hall", _("Neighbourhood hall")
    MICRO_HOME = "micro_home", _("Party-building micro-home")
    CLASSROOM = "classroom", _("Classroom")
    MEETING_ROOM = "meeting_room", _("Meeting room")
    OTHER = "other", _("Other room")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CHECKED_IN = "checked_in", _("Checked in")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


class BookingTransition(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REFUSE = "refuse", _("Refuse")
    CHECK_IN = "check_in", _("Check in")
    FINISH = "finish", _("Finish")
    NO_SHOW = "no_show", _("Mark no-show")
    CANCEL = "cancel", _("Cancel")


BOOKING_MACHINE = StateMachine(
    status_labels=BookingStatus,
    transition_labels=BookingTransition,
    allowed_from={
        BookingTransition.APPROVE: (BookingStatus.REQUESTED,),
        BookingTransition.REFUSE: (BookingStatus.REQUESTED,),
        BookingTransition.CHECK_IN: (BookingStatus.APPROVED,),
        BookingTransition.FINISH: (BookingStatus.CHECKED_IN,),
        BookingTransition.NO_SHOW: (BookingStatus.APPROVED,),
        BookingTransition.CANCEL: (BookingStatus.REQUESTED, BookingStatus.APPROVED),
    },
)

# Where each transition leads.
BOOKING_AFTER: dict[str, str] = {
    BookingTransition.APPROVE: BookingStatus.APPROVED,
    BookingTransition.REFUSE: BookingStatus.REFUSED,
    BookingTransition.CHECK_IN: BookingStatus.CHECKED_IN,
    BookingTransition.FINISH: BookingStatus.DONE,
    BookingTransition.NO_SHOW: BookingStatus.NO_SHOW,
    BookingTransition.CANCEL: BookingStatus.CANCELLED,
}

# How each status is shown (a Tabler colour).
BOOKING_TONE: dict[str, str] = {
    BookingStatus.REQUESTED: "purple",
    BookingStatus.APPROVED: "blue",
    BookingStatus.REFUSED: "red",
    BookingStatus.CHECKED_IN: "blue",
    BookingStatus.DONE: "secondary",
    BookingStatus.NO_SHOW: "red",
    BookingStatus.CANCELLED: "secondary",
}

# Statuses that hold the venue's time: no two of these overlap on one venue (the exclusion
# constraint on PostgreSQL uses the same list).
HOLDING = (
    BookingStatus.REQUESTED,
    BookingStatus.APPROVED,
    BookingStatus.CHECKED_IN,
    BookingStatus.DONE,
    BookingStatus.NO_SHOW,
)
# Statuses whose hours count as "booked" in the utilisation report.
USED = (
    BookingStatus.APPROVED,
    BookingStatus.CHECKED_IN,
    BookingStatus.DONE,
    BookingStatus.NO_SHOW,
)


class KitKind(models.TextChoices):
    HEALTH = "health", _("Health kit")
    CULTURE = "culture", _("Culture and sports kit")
    CONVENIENCE = "convenience", _("Convenience kit")


class LoanStatus(models.TextChoices):
    BORROWED = "borrowed", _("Borrowed")
    RETURNED = "returned", _("Returned")


class LoanTransition(models.TextChoices):
    RETURN = "return", _("Return")


LOAN_MACHINE = StateMachine(
    status_labels=LoanStatus,
    transition_labels=LoanTransition,
    allowed_from={LoanTransition.RETURN: (LoanStatus.BORROWED,)},
)


class ProviderKind(models.TextChoices):
    ORGANISATION = "organisation", _("Social organisation")
    TEAM = "team", _("Service team")
    BUSINESS = "business", _("Partner business")
    STAFF = "staff", _("Centre staff")


class RecordStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the rating")
    CLOSED = "closed", _("Rated")


class RecordTransition(models.TextChoices):
    RATE = "rate", _("Rate")


RECORD_MACHINE = StateMachine(
    status_labels=RecordStatus,
    transition_labels=RecordTransition,
    allowed_from={RecordTransition.RATE: (RecordStatus.OPEN,)},
)
