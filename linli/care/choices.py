"""Enumerations and state machines of elderly care."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.states import StateMachine


class ElderStatus(models.TextChoices):
    ACTIVE = "active", _("Served")
    LEFT = "left", _("Left the register")


class ArrangementKind(models.TextChoices):
    FAMILY = "family", _("Family care")
    DAYCARE = "daycare", _("Community day-care")
    INSTITUTION = "institution", _("Institution")
    AWAY = "away", _("Away from home")


class AssessmentReason(models.TextChoices):
    FIRST = "first", _("First assessment")
    ROUTINE = "routine", _("Routine assessment")
    IMMEDIATE = "immediate", _("Immediate assessment")
    REASSESSMENT = "reassessment", _("Re-assessment")


class Level(models.TextChoices):
    """The five ability levels of GB/T 42195-2022 (cut-offs are data: `LevelBand`)."""

    INTACT = "intact", _("Ability intact")
    MILD = "mild", _("Mildly impaired")
    MODERATE = "moderate", _("Moderately impaired")
    SEVERE = "severe", _("Severely impaired")
    LOST = "lost", _("Ability completely lost")


class Unit(models.TextChoices):
    VISIT = "visit", _("visit")
    HOUR = "hour", _("hour")
    MEAL = "meal", _("meal")
    MONTH = "month", _("month")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class VisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("Checked in")
    DONE = "done", _("Done, awaiting rating")
    CLOSED = "closed", _("Rated and closed")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class VisitTransition(models.TextChoices):
    CHECK_IN = "check_in", _("Check in")
    CHECK_OUT = "check_out", _("Check out")
    RATE = "rate", _("Rate")
    MISS = "miss", _("Mark missed")
    CANCEL = "cancel", _("Cancel")


VISIT_MACHINE = StateMachine(
    allowed_from={
        VisitTransition.CHECK_IN: (VisitStatus.SCHEDULED, VisitStatus.MISSED),
        VisitTransition.CHECK_OUT: (VisitStatus.IN_PROGRESS,),
        VisitTransition.RATE: (VisitStatus.DONE,),
        VisitTransition.MISS: (VisitStatus.SCHEDULED,),
        VisitTransition.CANCEL: (VisitStatus.SCHEDULED,),
    },
    status_labels=VisitStatus,
    transition_labels=VisitTransition,
)

# A visit checked in more than this many minutes after its scheduled time is late.
LATE_AFTER_MINUTES = 30
# A visit nobody checked in to within this many hours of its time is missed (the sweep).
MISSED_AFTER_HOURS = 4
# Ratings at or below this open a follow-up task.
POOR_RATING = 2


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskTransition(models.TextChoices):
    CLEAR = "clear", _("Clear with a visit")
    CANCEL = "cancel", _("Cancel")


TASK_MACHINE = StateMachine(
    allowed_from={
        TaskTransition.CLEAR: (TaskStatus.OPEN,),
        TaskTransition.CANCEL: (TaskStatus.OPEN,),
    },
    status_labels=TaskStatus,
    transition_labels=TaskTransition,
)


class RuleKind(models.TextChoices):
    """What a proactive rule looks at; its numbers (days, due hours) are data (`ProactiveRule`)."""

    NO_CONTACT = "no_contact", _("Elders matching flags with no visit of any kind for N days")
    MISSED_VISIT = "missed_visit", _("A scheduled care visit was missed")
    OVERDUE_REQUEST = "overdue_request", _("An elder's Community 110 request is overdue")
    HOUSEHOLD_QUARTER = "household_quarter", _("A household not visited this quarter")
    POOR_RATING = "poor_rating", _("A care visit rated poorly")


class Assignee(models.TextChoices):
    GRID_WORKER = "grid_worker", _("The grid's grid worker")
    CARE_WORKER = "care_worker", _("The care team")


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    ADMITTED = "admitted", _("Admitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DischargeReason(models.TextChoices):
    HOME = "home", _("Returned home")
    HOSPITAL = "hospital", _("Moved to hospital or institution")
    DEATH = "death", _("Death")
    OTHER = "other", _("Other")
