"""Venues of the Party–mass service centre and the grids' micro-homes, their opening hours
and closures; bookings (never two overlapping on one venue) and recurring series; the
micro-homes' kits and loans; the convenience-service catalogue, providers, schedules and
service records closed by the resident's rating (BRIEF R4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.models import PublicIdModel, TimeStampedModel
from linli.venues.choices import (
    BOOKING_TONE,
    BookingStatus,
    KitKind,
    LoanStatus,
    ProviderKind,
    RecordStatus,
    VenueKind,
    Weekday,
)


class Venue(TimeStampedModel):
    """A place people book: a hall of the service centre, a micro-home in a grid, a classroom
        of the training base. Who may book it and whether a booking waits for approval are set
        per venue; bookings start and end on its time grid (`slot_minutes`). A photo (optional)
    shows residents and staff what the place looks like."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "registry.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The grid of a micro-home."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=VenueKind.choices)
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(_("where"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=1, default=0)
    capacity = models.PositiveIntegerField(_("capacity"))
    slot_minutes = models.PositiveSmallIntegerField(_("time grid (minutes)"), default=30)
    staff_may_book = models.BooleanField(_("staff may book"), default=True)
    teams_may_book = models.BooleanField(_("teams and organisations may book"), default=True)
    residents_may_book = models.BooleanField(_("residents may book"), default=False)
    needs_approval = models.BooleanField(_("bookings need approval"), default=False)
    active = models.BooleanField(_("in use"), default=True)
    # One optional photo, stored through the storage API under a random name; its content type
    # is the one detected when the file was checked (`core.photos.check_photo`), never the
    # uploader's word.
    photo = models.FileField(_("photo"), upload_to="venues/%Y/%m/", blank=True)
    photo_type = models.CharField(_("photo content type"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["community_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="venue_unique_name"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="venue_capacity_positive"),
            models.CheckConstraint(
                condition=Q(slot_minutes__in=[10, 15, 20, 30, 60]), name="venue_slot_minutes"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """When a venue is open on one weekday (0 = Monday). A weekday without a row is closed."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["venue_id", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "weekday"], name="hours_one_per_weekday"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_range"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="hours_close_after"),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.weekday} {self.opens}-{self.closes}"


class Closure(TimeStampedModel):
    """Days a venue is closed (a holiday, maintenance), with the reason residents see."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="closures"
    )
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["venue_id", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="closure_days_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.first_day}–{self.last_day}"


class BookingSeries(PublicIdModel):
    """A recurring booking (a team every Tuesday 19:00–21:00 for three months): the rule and
    who made it; its dates are ordinary bookings pointing here."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="series"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    purpose = models.CharField(_("purpose"), max_length=200)
    host = models.CharField(_("for (team or organisation)"), max_length=100, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")
        ordering = ["-first_day", "-id"]

    def __str__(self) -> str:
        return f"{self.venue} · {self.purpose}"


class Booking(PublicIdModel):
    """One slot on one venue. No two bookings holding time (requested … no-show) overlap on
    a venue: an exclusion constraint on PostgreSQL (migration 0002), the write transaction
    (BEGIN IMMEDIATE) with the overlap check on SQLite."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    minutes = models.PositiveIntegerField(_("minutes"))
    # Where the start falls in community time, for the utilisation report's grouping (set by
    # the services together with starts_at).
    month = models.DateField(_("month"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    hour = models.PositiveSmallIntegerField(_("hour"))
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    purpose = models.CharField(_("purpose"), max_length=200)
    attendance = models.PositiveIntegerField(_("expected attendance"))
    host = models.CharField(_("for (team or organisation)"), max_length=100, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
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
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    series = models.ForeignKey(
        BookingSeries,
        verbose_name=_("recurring booking"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    activity = models.OneToOneField(
        "volunteers.Activity",
        verbose_name=_("activity held"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "A residents' activity (sign-up, waiting list, check-in) held in this booking."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    visitors = models.PositiveIntegerField(_("visitors"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(attendance__gt=0), name="booking_attendance"),
        ]
        indexes = [
            models.Index(fields=["venue", "starts_at"], name="booking_venue_start"),
            models.Index(fields=["booked_by", "starts_at"], name="booking_user_start"),
            models.Index(fields=["starts_at"], name="booking_start"),
            # Covers the utilisation report's two aggregates (no table reads).
            models.Index(
                fields=["venue", "month", "status", "minutes", "visitors", "weekday", "hour"],
                name="booking_utilisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue} {self.starts_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def placement(starts_at: dt.datetime) -> dict[str, Any]:
        """month, weekday and hour of a start in community time (stored beside it)."""
        local = timezone.localtime(starts_at)
        return {
            "month": local.date().replace(day=1),
            "weekday": local.weekday(),
            "hour": local.hour,
        }

    @property
    def tone(self) -> str:
        """The colour its status is shown in."""
        return BOOKING_TONE.get(self.status, "secondary")


class Kit(TimeStampedModel):
    """One of the three kits of a micro-home (health, culture and sports, convenience)."""

    venue = models.ForeignKey(
        Venue, verbose_name=_("micro-home"), on_delete=models.PROTECT, related_name="kits"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=KitKind.choices)

    class Meta:
        verbose_name = _("kit")
        verbose_name_plural = _("kits")
        ordering = ["venue_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["venue", "kind"], name="kit_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.venue} · {self.get_kind_display()}"


class KitItem(TimeStampedModel):
    """An item of a kit: how many there are and how many are on the shelf now (never below
    zero: a loan takes stock only with a conditional UPDATE)."""

    kit = models.ForeignKey(
        Kit, verbose_name=_("kit"), on_delete=models.PROTECT, related_name="items"
    )
    name = models.CharField(_("item"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"))
    available = models.PositiveIntegerField(_("on the shelf"))
    loan_days = models.PositiveSmallIntegerField(_("loan days"), default=7)

    class Meta:
        verbose_name = _("kit item")
        verbose_name_plural = _("kit items")
        ordering = ["kit_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kit", "name"], name="kititem_unique_name"),
            models.CheckConstraint(
                condition=Q(available__lte=F("quantity")), name="kititem_available_le_quantity"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Loan(PublicIdModel):
    """A kit item lent to a resident: borrowed, due, returned (overdue = borrowed past due)."""

    item = models.ForeignKey(
        KitItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="loans"
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=LoanStatus.choices)
    borrowed_at = models.DateTimeField(_("borrowed at"))
    due_on = models.DateField(_("due on"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-borrowed_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="loan_quantity")]
        indexes = [models.Index(fields=["status", "due_on"], name="loan_status_due")]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


class ServiceCategory(TimeStampedModel):
    """A line of the convenience-service catalogue (居家养老, 法律咨询, 义务理发 …)."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["community_id", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="servicecat_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ServiceProvider(TimeStampedModel):
    """Who provides a service: a social organisation or team, a partner business, staff."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=ProviderKind.choices)
    categories = models.ManyToManyField(
        ServiceCategory, verbose_name=_("services"), related_name="providers", blank=True
    )

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="provider_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ServiceSchedule(TimeStampedModel):
    """A regular session of a service ("free haircuts every second Saturday at 睦邻会馆"); its
    dates are booked on the venue as a recurring booking."""

    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="schedules",
    )
    provider = models.ForeignKey(
        ServiceProvider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    series = models.OneToOneField(
        BookingSeries,
        verbose_name=_("recurring booking"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    every_weeks = models.PositiveSmallIntegerField(_("every n weeks"), default=1)

    class Meta:
        verbose_name = _("service schedule")
        verbose_name_plural = _("service schedules")
        ordering = ["category_id", "id"]

    def __str__(self) -> str:
        return f"{self.category} · {self.series}"


class ServiceRecord(PublicIdModel):
    """Who served whom, when, where and what; the resident's rating (1–5) closes it."""

    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("service"), on_delete=models.PROTECT, related_name="records"
    )
    provider = models.ForeignKey(
        ServiceProvider,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("where"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    served_at = models.DateTimeField(_("served at"))
    what = models.CharField(_("what was done"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=8, choices=RecordStatus.choices)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="record_rating_1_5",
            )
        ]
        indexes = [
            models.Index(fields=["community", "served_at"], name="record_comm_served"),
            models.Index(fields=["household", "status"], name="record_household_status"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.served_at:%Y-%m-%d}"
