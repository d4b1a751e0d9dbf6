"""The cadre training base (issue 10 item 7): a catalogue of courses in categories, taught by
internal or external lecturers; classes booked by visiting organisations, with a timetable of
sessions, lodging (one bed per trainee and night), catering per day, a roster and check-in.

What the database guarantees:

- a lecturer is never in two sessions at once: on PostgreSQL an exclusion constraint over
  `tstzrange(starts_at, ends_at)` per lecturer (migration 0002; cancelled sessions excluded), on
  SQLite the write transaction (IMMEDIATE, so writers queue) with an overlap check; the same
  holds for a classroom;
- a bed is never given twice for one night: a unique constraint on (bed, night), both databases;
- fees and prices are decimals with two places (fen), never floats.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import PublicIdModel, TimeStampedModel
from linli.training.choices import ClassStatus, CourseFormat, LecturerKind


class CourseCategory(TimeStampedModel):
    """One of the base's course categories (e.g. 党建引领基层治理)."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("course category")
        verbose_name_plural = _("course categories")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="training_category_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Lecturer(TimeStampedModel):
    """Who teaches: the base's own staff and Party cadres (internal) or invited experts."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=LecturerKind.choices)
    affiliation = models.CharField(_("affiliation and title"), max_length=120, blank=True)
    topics = models.CharField(_("topics"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("lecturer")
        verbose_name_plural = _("lecturers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="training_lecturer_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Course(TimeStampedModel):
    """A course of the catalogue. `fee` is per trainee for one session of the course."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        CourseCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    title = models.CharField(_("title"), max_length=120)
    format = models.CharField(_("format"), max_length=12, choices=CourseFormat.choices)
    site = models.CharField(
        _("site"), max_length=80, blank=True, help_text=_("Where a site visit goes, e.g. 映像文昌.")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    fee = models.DecimalField(_("fee per trainee (yuan)"), max_digits=10, decimal_places=2)
    lecturers = models.ManyToManyField(
        Lecturer, verbose_name=_("lecturers"), related_name="courses", blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["category__order", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "title"], name="training_course_unique"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="training_course_fee_nonneg"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="training_course_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingClass(PublicIdModel):
    """A class booked by a visiting organisation. The contact's phone is stored encrypted and
    shown masked (`core.pii`)."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("class number"), max_length=20)
    name = models.CharField(_("class name"), max_length=120)
    organisation = models.CharField(_("visiting organisation"), max_length=120)
    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=30, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50)
    contact_phone_encrypted = models.TextField(_("contact phone (encrypted)"), blank=True)
    contact_phone_masked = models.CharField(_("contact phone"), max_length=20, blank=True)
    starts_on = models.DateField(_("arrives on"))
    ends_on = models.DateField(_("leaves on"))
    trainee_count = models.PositiveIntegerField(_("trainees"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ClassStatus.choices,
        default=ClassStatus.ENQUIRY,
        db_index=True,
    )
    dietary_notes = models.CharField(_("dietary notes"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["community", "starts_on"], name="training_class_start")]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="training_class_code"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_class_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(trainee_count__gt=0), name="training_class_trainees_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class Session(TimeStampedModel):
    """One course taught to one class at a time, by one lecturer, in one classroom. `fee` is the
    course's fee per trainee when the session was planned (the quote's price)."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="sessions"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    lecturer = models.ForeignKey(
        Lecturer,
        verbose_name=_("lecturer"),
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("classroom or site"), max_length=80, blank=True)
    fee = models.DecimalField(_("fee per trainee (yuan)"), max_digits=10, decimal_places=2)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["lecturer", "starts_at"], name="training_session_lecturer"),
            models.Index(fields=["room", "starts_at"], name="training_session_room"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="training_session_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d %H:%M}"


class LodgingRoom(TimeStampedModel):
    """A guest room of the base. `rate` is the price of one bed for one night."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("room number"), max_length=20)
    rate = models.DecimalField(_("price per bed and night (yuan)"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("guest room")
        verbose_name_plural = _("guest rooms")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="training_room_unique"),
            models.CheckConstraint(condition=Q(rate__gte=0), name="training_room_rate_nonneg"),
        ]

    def __str__(self) -> str:
        return self.number


class Bed(models.Model):
    room = models.ForeignKey(
        LodgingRoom, verbose_name=_("room"), on_delete=models.CASCADE, related_name="beds"
    )
    label = models.CharField(_("bed"), max_length=10)

    class Meta:
        verbose_name = _("bed")
        verbose_name_plural = _("beds")
        ordering = ["room__number", "label"]
        constraints = [
            models.UniqueConstraint(fields=["room", "label"], name="training_bed_unique")
        ]

    def __str__(self) -> str:
        return f"{self.room.number}-{self.label}"


class BedNight(models.Model):
    """One bed given to one class for one night (the night that starts on `night`). The unique
    constraint is the guarantee that a bed is never given twice for one night."""

    bed = models.ForeignKey(Bed, verbose_name=_("bed"), on_delete=models.PROTECT, related_name="+")
    night = models.DateField(_("night of"))
    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="bed_nights"
    )
    rate = models.DecimalField(_("price (yuan)"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("bed-night")
        verbose_name_plural = _("bed-nights")
        constraints = [
            models.UniqueConstraint(fields=["bed", "night"], name="training_bed_once_a_night")
        ]
        indexes = [models.Index(fields=["night"], name="training_bednight_night")]

    def __str__(self) -> str:
        return f"{self.bed_id} {self.night}"


class MealPlan(models.Model):
    """Meals of one class on one day: how many of each, at what price, and dietary notes."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="meals"
    )
    day = models.DateField(_("day"))
    breakfasts = models.PositiveIntegerField(_("breakfasts"), default=0)
    lunches = models.PositiveIntegerField(_("lunches"), default=0)
    dinners = models.PositiveIntegerField(_("dinners"), default=0)
    breakfast_price = models.DecimalField(
        _("breakfast price"), max_digits=6, decimal_places=2, default=Decimal("15.00")
    )
    lunch_price = models.DecimalField(
        _("lunch price"), max_digits=6, decimal_places=2, default=Decimal("30.00")
    )
    dinner_price = models.DecimalField(
        _("dinner price"), max_digits=6, decimal_places=2, default=Decimal("30.00")
    )
    dietary_notes = models.CharField(_("dietary notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("meal plan")
        verbose_name_plural = _("meal plans")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "day"], name="training_meal_day")
        ]

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.day}"

    @property
    def total(self) -> Decimal:
        return (
            self.breakfasts * self.breakfast_price
            + self.lunches * self.lunch_price
            + self.dinners * self.dinner_price
        )


class Trainee(models.Model):
    """A name on a class's roster (no ID number or phone: the visiting organisation keeps
    those)."""

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="trainees"
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("post"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """A trainee checked in to a session."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.CASCADE, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(_("checked in at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="training_attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.trainee_id}"
