"""The infant day-care: classes by age band, children (registry residents aged 0–3) with their
guardians' consent, pickup lists, daily attendance with the morning and noon checks, the staff
roster and the refusal log.

Children's data is sensitive (PIPL arts. 28 and 31): a `Child` row cannot exist without the
consent fields, so nothing about a child is kept before a guardian agreed."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import PublicIdModel, TimeStampedModel
from linli.nursery.choices import (
    MAX_CLASS_SIZE,
    Band,
    ChildStatus,
    HealthResult,
    Mood,
    Presence,
)


class NurseryClass(TimeStampedModel):
    """A class of one band. `capacity` and `children_per_carer` are copied from the band's rule
    when the class is opened (a class may be smaller than the standard allows, never larger)."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    band = models.CharField(_("band"), max_length=10, choices=Band.choices)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    children_per_carer = models.PositiveSmallIntegerField(_("children per carer"))
    room = models.CharField(_("room"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("day-care class")
        verbose_name_plural = _("day-care classes")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="nursery_class_name_unique"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CLASS_SIZE),
                name="nursery_class_capacity_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Child(PublicIdModel):
    """A child of the registry at the day-care: on the waiting list, enrolled (holding one seat
    of his class) or left. The seat number is unique within the class and never above its
    capacity, so the database itself refuses a class over its limit."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        "registry.Resident", verbose_name=_("child"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    nursery_class = models.ForeignKey(
        NurseryClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="children"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ChildStatus.choices, default=ChildStatus.WAITING
    )
    seat = models.PositiveSmallIntegerField(_("seat"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    # Consent (PIPL art. 31): who agreed, when, to what.
    consent_by = models.ForeignKey(
        "registry.Resident",
        verbose_name=_("consent given by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_at = models.DateTimeField(_("consent given at"))
    consent_text = models.TextField(_("what the guardian agreed to"))
    consent_version = models.CharField(_("consent text version"), max_length=20)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    health_checked_on = models.DateField(_("health check date"), null=True, blank=True)
    health_clinic = models.CharField(_("clinic"), max_length=100, blank=True)
    health_result = models.CharField(
        _("health check result"), max_length=10, choices=HealthResult.choices, blank=True
    )
    allergies = models.CharField(_("allergies"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("day-care child")
        verbose_name_plural = _("day-care children")
        ordering = ["nursery_class_id", "seat", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nursery_class", "seat"],
                condition=Q(seat__isnull=False),
                name="nursery_child_seat_unique",
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(seat__gte=1, seat__lte=MAX_CLASS_SIZE),
                name="nursery_child_seat_range",
            ),
            models.CheckConstraint(
                condition=Q(status=ChildStatus.ENROLLED, seat__isnull=False)
                | (~Q(status=ChildStatus.ENROLLED) & Q(seat__isnull=True)),
                name="nursery_child_seat_iff_enrolled",
            ),
            models.UniqueConstraint(
                fields=["resident"],
                condition=~Q(status=ChildStatus.LEFT),
                name="nursery_child_once",
            ),
        ]

    def __str__(self) -> str:
        return self.resident.name


class PickupPerson(TimeStampedModel):
    """Someone who may collect the child: a guardian (a member of the household, who gave or may
    give consent) or a person the guardians authorised. The phone is kept encrypted and shown
    masked; a photo (optional) helps the carer recognise the person at pickup."""

    child = models.ForeignKey(
        Child, verbose_name=_("child"), on_delete=models.CASCADE, related_name="pickup_people"
    )
    resident = models.ForeignKey(
        "registry.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=30)
    is_guardian = models.BooleanField(_("guardian"), default=False)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True)
    phone_hash = models.CharField(_("phone lookup hash"), max_length=64, blank=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    # Optional; stored through Django's storage API under a random name and served only by a
    # scope-checked view (staff views audited), never by a public media URL.
    photo = models.FileField(_("photo"), upload_to="nursery/pickup/%Y/%m/", blank=True)
    photo_type = models.CharField(_("photo content type"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pickup person")
        verbose_name_plural = _("pickup people")
        ordering = ["-is_guardian", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.relation}）"


class Attendance(TimeStampedModel):
    """One child's day: present or absent, arrival, the morning check (晨检) and the noon check,
    and who collected the child when."""

    child = models.ForeignKey(
        Child, verbose_name=_("child"), on_delete=models.CASCADE, related_name="attendance"
    )
    nursery_class = models.ForeignKey(
        NurseryClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices)
    absence_reason = models.CharField(_("reason for absence"), max_length=200, blank=True)
    absence_by_guardian = models.BooleanField(_("absence reported by a guardian"), default=False)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    morning_temperature = models.DecimalField(
        _("morning temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    morning_hands_mouth_ok = models.BooleanField(_("hands and mouth fine"), null=True, blank=True)
    morning_mood = models.CharField(_("mood"), max_length=10, choices=Mood.choices, blank=True)
    noon_temperature = models.DecimalField(
        _("noon temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    noon_ok = models.BooleanField(_("noon check fine"), null=True, blank=True)
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    picked_up_by = models.ForeignKey(
        PickupPerson,
        verbose_name=_("picked up by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["-day", "child_id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "day"], name="nursery_attendance_once"),
            models.CheckConstraint(
                condition=Q(morning_temperature__isnull=True)
                | Q(
                    morning_temperature__gte=Decimal("34.0"),
                    morning_temperature__lte=Decimal("42.0"),
                ),
                name="nursery_attendance_temperature_range",
            ),
        ]
        indexes = [models.Index(fields=["nursery_class", "day"], name="nursery_att_class_day")]


class RosterEntry(TimeStampedModel):
    """A carer on duty in a class on a day."""

    nursery_class = models.ForeignKey(
        NurseryClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="roster"
    )
    day = models.DateField(_("day"))
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    carer_label = models.CharField(_("carer's name"), max_length=150)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster")
        ordering = ["day", "nursery_class_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nursery_class", "day", "carer"], name="nursery_roster_once"
            )
        ]


class PickupRefusal(models.Model):
    """The log of refused pickups: someone not on the list came for the child."""

    child = models.ForeignKey(
        Child, verbose_name=_("child"), on_delete=models.CASCADE, related_name="refusals"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    person_name = models.CharField(_("name given"), max_length=50)
    relation = models.CharField(_("relation given"), max_length=30, blank=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("refused pickup")
        verbose_name_plural = _("refused pickups")
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.person_name
