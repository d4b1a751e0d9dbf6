"""The new-employment workers' station (广小新·共享家, BRIEF R7): delivery riders, couriers and
ride-hailing drivers registered with their platform and work station, linked to a resident or
not; their visits to the station, meals in the riders' canteen (小哥食堂), the summer class for
their children (爱"新"暑托班) and their safety-outpost reports (平安前哨), which become
Community 110 requests and earn points once verified.

A non-resident's phone is stored encrypted with a lookup hash and shown masked; children's
data (names, birth dates, notes) live only on the enrolment, which only the class staff see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import PublicIdModel, TimeStampedModel
from linli.registry.choices import Gender
from linli.riders.choices import (
    EnrolmentStatus,
    Meal,
    Payment,
    ReportCategory,
    ReportStatus,
    VisitPurpose,
    WorkerKind,
    WorkerStatus,
)


class Station(TimeStampedModel):
    """The community's station for new-employment workers, with its canteen."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="station_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Worker(PublicIdModel):
    """A registered new-employment worker (新就业群体): rider, courier or driver."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        "registry.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    points_account = models.ForeignKey(
        "volunteers.PointsAccount",
        verbose_name=_("points account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("works as"), max_length=10, choices=WorkerKind.choices)
    platform = models.CharField(_("platform"), max_length=50)
    work_station = models.CharField(_("work station"), max_length=100, blank=True)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True)
    phone_hash = models.CharField(_("phone lookup hash"), max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(
        _("status"), max_length=10, choices=WorkerStatus.choices, default=WorkerStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("new-employment worker")
        verbose_name_plural = _("new-employment workers")
        ordering = ["community_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(resident__isnull=False),
                name="worker_one_per_resident",
            ),
            models.UniqueConstraint(
                fields=["community", "phone_hash"],
                condition=~Q(phone_hash=""),
                name="worker_unique_phone",
            ),
        ]
        indexes = [models.Index(fields=["community", "kind"], name="worker_comm_kind")]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_phone(self) -> str:
        """The masked phone: the registry's for a resident, the stored one otherwise."""
        if self.resident_id and self.resident:
            return self.resident.phone_masked
        return self.phone_masked


class StationVisit(models.Model):
    """One visit to the station (rest, charging, water, repair, an activity)."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="visits"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_at = models.DateTimeField(_("time"), db_index=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=VisitPurpose.choices)

    class Meta:
        verbose_name = _("station visit")
        verbose_name_plural = _("station visits")
        ordering = ["-visited_at", "-id"]

    def __str__(self) -> str:
        return f"{self.worker} {self.visited_at:%Y-%m-%d %H:%M}"


class CanteenMeal(models.Model):
    """A meal in the riders' canteen: subsidised for registered workers, or paid in full."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="meals"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="meals"
    )
    day = models.DateField(_("date"), db_index=True)
    meal = models.CharField(_("meal"), max_length=10, choices=Meal.choices)
    payment = models.CharField(_("payment"), max_length=12, choices=Payment.choices)
    price = models.DecimalField(_("price (yuan)"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("canteen meal")
        verbose_name_plural = _("canteen meals")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "day", "meal"], name="meal_once_per_sitting"),
            models.CheckConstraint(condition=Q(price__gte=0), name="meal_price_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.day} {self.meal}"


class SummerClass(TimeStampedModel):
    """The summer class for workers' children (爱"新"暑托班): dates, place and capacity.
    `enrolled` counts enrolled children; a conditional update keeps it ≤ capacity."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(_("place"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    enrolled = models.PositiveSmallIntegerField(_("children enrolled"), default=0)

    class Meta:
        verbose_name = _("summer class")
        verbose_name_plural = _("summer classes")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="class_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(enrolled__lte=F("capacity")), name="class_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Enrolment(PublicIdModel):
    """A worker's child in the summer class. Children's data: only the class staff see it."""

    summer_class = models.ForeignKey(
        SummerClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="enrolments"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("parent"), on_delete=models.PROTECT, related_name="enrolments"
    )
    child_name = models.CharField(_("child's name"), max_length=50)
    child_birth_date = models.DateField(_("child's birth date"))
    child_gender = models.CharField(_("child's gender"), max_length=1, choices=Gender.choices)
    notes = models.CharField(_("allergies and health notes"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["summer_class_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["summer_class", "worker", "child_name"],
                condition=~Q(status="withdrawn"),
                name="enrolment_once_per_child",
            )
        ]

    def __str__(self) -> str:
        return self.child_name


class SafetyReport(PublicIdModel):
    """A safety-outpost report (平安前哨) from a worker on the street: what, where, a photo. It
    becomes a Community 110 request (channel: safety outpost) and earns points once verified."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="reports"
    )
    category = models.CharField(_("category"), max_length=10, choices=ReportCategory.choices)
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what is wrong"))
    photo = models.ImageField(_("photo"), upload_to="riders/reports/%Y/%m/", blank=True)
    # The type Pillow detected when the photo was checked; the file is named and served by it.
    photo_type = models.CharField(_("photo type"), max_length=30, blank=True)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ReportStatus.choices,
        default=ReportStatus.NOT_FORWARDED,
    )
    hotline_request_id = models.UUIDField(_("Community 110 request"), null=True, blank=True)
    hotline_number = models.CharField(_("Community 110 number"), max_length=30, blank=True)
    forward_error = models.CharField(_("why it was not forwarded"), max_length=200, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("verified or rejected at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified or rejected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.PositiveSmallIntegerField(_("points earned"), default=0)
    reject_reason = models.CharField(_("why it was rejected"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("safety report")
        verbose_name_plural = _("safety reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="report_comm_status")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.place}"
