"""Elderly care (BRIEF R9) and proactive governance (B2).

- The **elders register** (`Elder`) mirrors the registry: every active resident aged 60+, with
  flags derived from the registry (80+, disabled, low income) and from the household (living
  alone, empty nest). `services.elders_sync` keeps it in step; a move-out closes the elder's
  plans and cancels future visits in the registry's transaction.
- **Ability assessment** after GB/T 42195-2022: the items, their points, the level cut-offs and
  the adjustments are rows (`AssessmentItem`, `LevelBand`, `LevelAdjustment`) loaded by a data
  migration from `fixtures/gbt42195.json`, so a correction is data, not code.
- **Catalogue** (`ServiceCategory`, `Service`, `SubsidyRule`), **care plans** and **visits**
  with the six facts of electronic visit verification (service, elder, place, provider,
  start, end), supervision call-backs and ratings.
- **Day-care** attendance and **apartments** (rooms, beds, admissions, waiting list); a bed is
  held by one elder at a time (`care_bed_one_active_admission`).
- **Proactive rules** (`ProactiveRule`, data) raise `ProactiveTask`s, one per rule, subject and
  period (`care_task_once_per_period`), which grid workers clear with a visit log (`VisitLog`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.care.choices import (
    ArrangementKind,
    AssessmentReason,
    Assignee,
    DischargeReason,
    ElderStatus,
    Level,
    PlanStatus,
    RuleKind,
    TaskStatus,
    Unit,
    VisitStatus,
    WaitingStatus,
)
from linli.core.models import PublicIdModel, TimeStampedModel
from linli.registry.models import Community, Grid, Household, Resident

USER = settings.AUTH_USER_MODEL


class Elder(PublicIdModel):
    """An elder served by the community (a resident aged 60+). Flags are copied from the
    registry by `services.elders_sync` (so lists filter without recomputing ages), never typed."""

    resident = models.OneToOneField(
        Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="elder"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ElderStatus.choices, default=ElderStatus.ACTIVE
    )
    over_80 = models.BooleanField(_("80+"), default=False)
    disabled = models.BooleanField(_("disabled or semi-disabled"), default=False)
    living_alone = models.BooleanField(_("living alone"), default=False)
    empty_nest = models.BooleanField(_("empty nest"), default=False)
    low_income = models.BooleanField(_("low income"), default=False)
    level = models.CharField(_("ability level"), max_length=10, choices=Level.choices, blank=True)
    assessed_on = models.DateField(_("last assessed"), null=True, blank=True)
    emergency_name = models.CharField(_("emergency contact"), max_length=50, blank=True)
    emergency_phone_encrypted = models.TextField(_("emergency phone (encrypted)"), blank=True)
    emergency_phone_hash = models.CharField(_("emergency phone hash"), max_length=64, blank=True)
    emergency_phone_masked = models.CharField(_("emergency phone"), max_length=20, blank=True)
    health_notes = models.TextField(_("health notes"), blank=True)
    left_on = models.DateField(_("left the register"), null=True, blank=True)

    class Meta:
        verbose_name = _("elder")
        verbose_name_plural = _("elders")
        ordering = ["household_id", "id"]
        indexes = [
            models.Index(fields=["community", "status"], name="care_elder_comm_status"),
            models.Index(fields=["grid", "status"], name="care_elder_grid_status"),
        ]

    def __str__(self) -> str:
        return self.resident.name


class Arrangement(TimeStampedModel):
    """Where and how an elder is cared for (family, day-care, institution, away), with dates;
    the history is kept, one current row at most."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="arrangements"
    )
    kind = models.CharField(_("arrangement"), max_length=12, choices=ArrangementKind.choices)
    place = models.CharField(_("place"), max_length=100, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("care arrangement")
        verbose_name_plural = _("care arrangements")
        ordering = ["elder_id", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["elder"], condition=Q(ended_on__isnull=True), name="care_one_arrangement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.kind}"


# --- GB/T 42195-2022 as data ------------------------------------------------------------------


class AssessmentItem(models.Model):
    """One of the 26 items of the assessment form: its dimension, number and allowed points
    (`options`: a list of {"points": n, "label": "..."})."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    dimension = models.CharField(_("dimension"), max_length=40)
    dimension_name = models.CharField(_("dimension name"), max_length=40)
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("item"), max_length=40)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    options = models.JSONField(_("answers and their points"), default=list)
    clause = models.CharField(_("clause of the standard"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class LevelBand(models.Model):
    """A level's range of total points (inclusive); `rank` 0 is the best level."""

    level = models.CharField(_("level"), max_length=10, choices=Level.choices, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    min_total = models.PositiveSmallIntegerField(_("from points"))
    max_total = models.PositiveSmallIntegerField(_("to points"))
    clause = models.CharField(_("clause of the standard"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("ability level band")
        verbose_name_plural = _("ability level bands")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.level} {self.min_total}-{self.max_total}"


class LevelAdjustment(models.Model):
    """An adjustment of the level the total gives. `condition`: "item_at_most" (the item's
    points ≤ value), "flag" (an assessment flag — dementia — is set) or "count_at_least" (a
    counted answer — care-risk events in 30 days — ≥ value). `effect`: "set" (the level becomes
    `target`) or "worsen" (one level worse, at most the worst)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    description = models.CharField(_("description"), max_length=200)
    condition = models.CharField(_("condition"), max_length=20)
    subject = models.CharField(_("item or flag"), max_length=40)
    value = models.SmallIntegerField(_("value"), default=0)
    effect = models.CharField(_("effect"), max_length=10)
    target = models.CharField(_("target level"), max_length=10, blank=True)
    clause = models.CharField(_("clause of the standard"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("level adjustment")
        verbose_name_plural = _("level adjustments")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.code


class Assessment(PublicIdModel):
    """One ability assessment: every answer, the totals, the level, why, by whom and when.
    Answers and notes are sensitive (only care workers, the admin and the elder read them;
    every read is audited)."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="assessments"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=15, choices=AssessmentReason.choices)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        USER, verbose_name=_("assessor"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict)
    dementia = models.BooleanField(_("diagnosed dementia or mental disorder"), default=False)
    risk_events = models.PositiveSmallIntegerField(
        _("care-risk events in the last 30 days"), default=0
    )
    dimension_totals = models.JSONField(_("points by dimension"), default=dict)
    total = models.PositiveSmallIntegerField(_("total points"))
    base_level = models.CharField(_("level by points"), max_length=10, choices=Level.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    adjustments = models.JSONField(_("adjustments applied"), default=list)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("ability assessment")
        verbose_name_plural = _("ability assessments")
        ordering = ["elder_id", "-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__lte=90), name="care_assessment_total_90")
        ]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.assessed_on} {self.level}"


# --- catalogue and plans ----------------------------------------------------------------------


class ServiceCategory(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """One of the 50 customised services: unit and price (yuan per unit)."""

    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    price = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2)
    minutes = models.PositiveSmallIntegerField(_("minutes per visit"), default=60)

    class Meta:
        verbose_name = _("care service")
        verbose_name_plural = _("care services")
        ordering = ["category__order", "id"]

    def __str__(self) -> str:
        return self.name


class SubsidyRule(models.Model):
    """Who gets how many subsidised units a month of a category, at what share of the price.
    A rule applies when every flag it names is true and the level is at least `min_rank`."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    flags = models.JSONField(_("required flags"), default=list)
    min_rank = models.PositiveSmallIntegerField(_("from level rank"), default=0)
    units_per_month = models.PositiveSmallIntegerField(_("subsidised units a month"))
    share = models.DecimalField(_("subsidised share"), max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("subsidy rule")
        verbose_name_plural = _("subsidy rules")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """Who delivers care services in a community (a service organisation or the centre)."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("care provider")
        verbose_name_plural = _("care providers")
        ordering = ["community_id", "id"]

    def __str__(self) -> str:
        return self.name


class CarePlan(PublicIdModel):
    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="plans"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    closed_reason = models.CharField(_("closing reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        ordering = ["elder_id", "-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["elder"], condition=Q(status="active"), name="care_one_active_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.starts_on}"


class PlanItem(models.Model):
    """A service of a plan, `per_week` times a week at `hour` o'clock."""

    plan = models.ForeignKey(
        CarePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    per_week = models.PositiveSmallIntegerField(_("times a week"))
    hour = models.PositiveSmallIntegerField(_("at (hour)"), default=9)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(per_week__gte=1, per_week__lte=7), name="care_item_per_week"
            ),
            models.CheckConstraint(condition=Q(hour__gte=6, hour__lte=20), name="care_item_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}×{self.per_week}"


class Visit(PublicIdModel):
    """A door visit: scheduled from a plan, then checked in and out with the six facts of visit
    verification — service, elder, place, provider (and worker), start, end."""

    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="visits"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        CarePlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("scheduled at"))
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.SCHEDULED
    )
    worker = models.ForeignKey(
        USER,
        verbose_name=_("care worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    checked_in_at = models.DateTimeField(_("started"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("ended"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    notes = models.TextField(_("care notes"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=200, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    units = models.DecimalField(_("units delivered"), max_digits=6, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "service", "scheduled_at"],
                condition=Q(plan__isnull=False),
                name="care_visit_once_per_slot",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="care_visit_out_after_in",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="care_visit_rating_1_5",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "scheduled_at"], name="care_visit_comm_time"),
            models.Index(fields=["elder", "status", "checked_in_at"], name="care_visit_elder"),
            models.Index(fields=["status", "scheduled_at"], name="care_visit_status_time"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.scheduled_at:%Y-%m-%d %H:%M}"


class CallBack(TimeStampedModel):
    """A supervision call-back: staff phoned the elder about a visit and wrote down the answer."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="callbacks"
    )
    staff = models.ForeignKey(
        USER, verbose_name=_("staff"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed = models.BooleanField(_("the elder confirms the visit"))
    answer = models.CharField(_("answer"), max_length=200)

    class Meta:
        verbose_name = _("supervision call-back")
        verbose_name_plural = _("supervision call-backs")
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.confirmed}"


# --- day-care and apartments ------------------------------------------------------------------


class DayCentre(models.Model):
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("day-care centre")
        verbose_name_plural = _("day-care centres")
        ordering = ["community_id", "id"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    centre = models.ForeignKey(
        DayCentre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="attendance"
    )
    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    meals = models.PositiveSmallIntegerField(_("meals"), default=0)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("day-care attendance")
        verbose_name_plural = _("day-care attendance")
        ordering = ["-day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "elder", "day"], name="care_attend_once"),
            models.CheckConstraint(condition=Q(meals__lte=3), name="care_attend_meals"),
        ]
        indexes = [models.Index(fields=["elder", "day"], name="care_attend_elder_day")]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.day}"


class Apartment(models.Model):
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    area_m2 = models.PositiveIntegerField(_("floor area (m²)"), default=0)

    class Meta:
        verbose_name = _("elderly apartment")
        verbose_name_plural = _("elderly apartments")
        ordering = ["community_id", "id"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    apartment = models.ForeignKey(
        Apartment, verbose_name=_("apartment"), on_delete=models.PROTECT, related_name="rooms"
    )
    number = models.CharField(_("room"), max_length=10)

    class Meta:
        verbose_name = _("apartment room")
        verbose_name_plural = _("apartment rooms")
        ordering = ["apartment_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["apartment", "number"], name="care_room_unique")
        ]

    def __str__(self) -> str:
        return self.number


class Bed(models.Model):
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="beds"
    )
    label = models.CharField(_("bed"), max_length=10)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room_id", "label"]
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="care_bed_unique")]

    def __str__(self) -> str:
        return f"{self.room.number}-{self.label}"


class Admission(PublicIdModel):
    """An elder's stay in a bed. The database holds one open stay per bed and per elder."""

    bed = models.ForeignKey(
        Bed, verbose_name=_("bed"), on_delete=models.PROTECT, related_name="admissions"
    )
    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="admissions"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(
        _("level on admission"), max_length=10, choices=Level.choices, blank=True
    )
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=10, choices=DischargeReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("admission")
        verbose_name_plural = _("admissions")
        ordering = ["-admitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"],
                condition=Q(discharged_on__isnull=True),
                name="care_bed_one_active_admission",
            ),
            models.UniqueConstraint(
                fields=["elder"],
                condition=Q(discharged_on__isnull=True),
                name="care_elder_one_active_admission",
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True)
                | Q(discharged_on__gte=models.F("admitted_on")),
                name="care_admission_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.elder_id}@{self.bed_id}"


class WaitingEntry(PublicIdModel):
    """An application for an apartment bed, ordered by `selectors.waiting_list`'s rules."""

    apartment = models.ForeignKey(
        Apartment, verbose_name=_("apartment"), on_delete=models.PROTECT, related_name="waiting"
    )
    elder = models.ForeignKey(
        Elder, verbose_name=_("elder"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField(_("applied on"))
    status = models.CharField(
        _("status"), max_length=10, choices=WaitingStatus.choices, default=WaitingStatus.WAITING
    )

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["applied_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["apartment", "elder"], condition=Q(status="waiting"), name="care_wait_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.applied_on}"


# --- proactive governance ---------------------------------------------------------------------


class ProactiveRule(models.Model):
    """A rule the sweep evaluates. For `no_contact`: elders with every flag in `flags` and no
    visit of any kind (care visit, visit log, day-care) for `days` days. `due_hours`: the task is
    due that long after it is raised; `escalate_hours` after the due time it escalates."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    flags = models.JSONField(_("required flags"), default=list)
    days = models.PositiveSmallIntegerField(_("days"), default=0)
    due_hours = models.PositiveSmallIntegerField(_("due after (hours)"), default=48)
    escalate_hours = models.PositiveSmallIntegerField(_("escalate after due (hours)"), default=24)
    assignee = models.CharField(
        pgettext_lazy("care task", "for"), max_length=12, choices=Assignee.choices
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("proactive rule")
        verbose_name_plural = _("proactive rules")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ProactiveTask(PublicIdModel):
    """A visit to make before anyone calls. One per rule, subject and period (the sweep may run
    any number of times)."""

    rule = models.ForeignKey(
        ProactiveRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="tasks"
    )
    subject = models.CharField(_("subject"), max_length=40)
    period = models.CharField(_("period"), max_length=20)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    elder = models.ForeignKey(
        Elder,
        verbose_name=_("elder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    title = models.CharField(_("title"), max_length=200)
    assignee = models.ForeignKey(
        USER,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"))
    due_at = models.DateTimeField(_("due at"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    visit_log = models.ForeignKey(
        "VisitLog",
        verbose_name=_("visit log"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proactive task")
        verbose_name_plural = _("proactive tasks")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject", "period"], name="care_task_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["community", "status", "due_at"], name="care_task_comm_status"),
            models.Index(fields=["grid", "status"], name="care_task_grid_status"),
        ]

    def __str__(self) -> str:
        return self.title


class VisitLog(PublicIdModel):
    """A grid worker's (or care worker's) visit to a household (走访): purpose, who was met,
    findings, follow-ups; a finding may have filed a Community 110 request."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    visitor = models.ForeignKey(
        USER, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+"
    )
    visited_at = models.DateTimeField(_("visited at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    met = models.CharField(_("who was met"), max_length=100, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    request_id = models.PositiveIntegerField(_("Community 110 request"), null=True, blank=True)
    request_number = models.CharField(_("request number"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("visit log")
        verbose_name_plural = _("visit logs")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["household", "visited_at"], name="care_log_household"),
            models.Index(fields=["community", "visited_at"], name="care_log_comm_time"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_at:%Y-%m-%d}"
