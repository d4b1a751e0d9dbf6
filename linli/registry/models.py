"""The registry of places and people (BRIEF R1):
community → grid → building → unit (staircase) → household → resident, with residency history.

Nothing here is hard-deleted: people and households move out and keep their history.
Personal fields (citizen ID, phone) are stored encrypted with a keyed hash for lookup and a
masked copy for display; see `linli.core.pii`.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core import dates
from linli.core.models import PublicIdModel, TimeStampedModel
from linli.registry.choices import (
    DisabilityLevel,
    Gender,
    HouseholdStatus,
    MoveReason,
    Relation,
    ResidentStatus,
    Tag,
    Tenure,
)
from linli.registry.masks import reduced_citizen_id, reduced_phone


class Community(PublicIdModel):
    """A residential community (社区) led by its Party committee and residents' committee."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    subdistrict = models.CharField(_("subdistrict"), max_length=100)
    district = models.CharField(_("district"), max_length=100)
    city = models.CharField(_("city"), max_length=100)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    service_phone = models.CharField(_("Community 110 phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grid(TimeStampedModel):
    """A grid (网格): the patch of buildings one grid worker looks after."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="grids"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["community_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="grid_unique_number")
        ]

    def __str__(self) -> str:
        return self.name


class Building(TimeStampedModel):
    """A residential building (楼栋), numbered within its community."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="buildings"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="buildings"
    )
    number = models.CharField(_("building number"), max_length=20)
    floors = models.PositiveSmallIntegerField(_("floors"))
    has_elevator = models.BooleanField(_("has an elevator"), default=False)
    year_built = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community_id", "grid_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="building_unique_number")
        ]

    def __str__(self) -> str:
        return _("Building %(number)s") % {"number": self.number}


class Unit(TimeStampedModel):
    """A unit / staircase (单元) of a building."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="units"
    )
    number = models.PositiveSmallIntegerField(_("unit number"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_unique_number")
        ]

    def __str__(self) -> str:
        return _("Unit %(number)s") % {"number": self.number}


class Household(PublicIdModel):
    """A household (户) living in one flat. `building` repeats `unit.building` so that scope
    filters need one join less; services keep them equal."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="households"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="households"
    )
    room = models.CharField(_("room"), max_length=20)
    floor = models.SmallIntegerField(_("floor"))
    area_m2 = models.DecimalField(
        _("registered floor area (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    tenure = models.CharField(_("tenure"), max_length=10, choices=Tenure.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building_id", "unit_id", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "room"],
                condition=Q(status="active"),
                name="household_one_active_per_room",
            ),
            models.CheckConstraint(condition=Q(area_m2__gte=0), name="household_area_nonneg"),
        ]
        indexes = [
            # Serves the household lists in address order (a page need not sort them all).
            models.Index(
                fields=["community", "status", "building", "unit", "room"],
                name="household_comm_status_addr",
            )
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def address(self) -> str:
        """The room code residents use: building-unit-room, e.g. 12-2-301."""
        return f"{self.building.number}-{self.unit.number}-{self.room}"


class Resident(PublicIdModel):
    """A person registered in the community (居民). Age, 60+, 80+ and infant derive from
    `birth_date`; disability from `disability_level`."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="residents",
    )
    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, db_index=True)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), db_index=True)
    citizen_id_encrypted = models.TextField(_("citizen ID (encrypted)"), blank=True)
    citizen_id_hash = models.CharField(_("citizen ID lookup hash"), max_length=64, blank=True)
    citizen_id_masked = models.CharField(_("citizen ID"), max_length=18, blank=True)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True)
    phone_hash = models.CharField(_("phone lookup hash"), max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    relation = models.CharField(
        _("relation to household head"), max_length=20, choices=Relation.choices
    )
    disability_level = models.CharField(
        _("disability level"),
        max_length=4,
        choices=DisabilityLevel.choices,
        default=DisabilityLevel.NONE,
    )
    is_low_income = models.BooleanField(_("low-income / hardship"), default=False)
    is_unemployed = models.BooleanField(_("unemployed"), default=False)
    is_land_lost_farmer = models.BooleanField(_("land-lost farmer"), default=False)
    is_party_member = models.BooleanField(_("Party member"), default=False)
    is_new_employment_worker = models.BooleanField(_("new-employment worker"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id_hash"],
                condition=~Q(citizen_id_hash=""),
                name="resident_unique_citizen_id",
            ),
        ]
        indexes = [
            models.Index(
                fields=["community", "status", "household"], name="resident_comm_status_hh"
            ),
            models.Index(fields=["name"], name="resident_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: dt.date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def age(self) -> int:
        return self.age_on(dates.local_today())

    @property
    def disclosure_full(self) -> bool:
        """Whether the reader sees the birth date and the usual masks. It depends on whether he
        may reveal this resident's numbers: `selectors.with_disclosure` annotates
        `reader_may_reveal` (`selectors.disclose` sets it on one row). A row read without it
        shows the reduced form, the safe default. docs/permissions.md states the rule."""
        return bool(getattr(self, "reader_may_reveal", False))

    @property
    def shown_birth_date(self) -> dt.date | None:
        """The birth date, or None for readers who see only the age."""
        return self.birth_date if self.disclosure_full else None

    @property
    def shown_citizen_id(self) -> str:
        masked = self.citizen_id_masked
        return masked if self.disclosure_full else reduced_citizen_id(masked)

    @property
    def shown_phone(self) -> str:
        return self.phone_masked if self.disclosure_full else reduced_phone(self.phone_masked)

    @property
    def tags(self) -> list[str]:
        """Every tag that applies today, derived and recorded."""
        age = self.age
        tags: list[str] = []
        if age >= 60:
            tags.append(Tag.ELDERLY)
        if age >= 80:
            tags.append(Tag.OVER_80)
        if age < 3:
            tags.append(Tag.INFANT)
        if self.disability_level != DisabilityLevel.NONE:
            tags.append(Tag.DISABLED)
        if self.is_low_income:
            tags.append(Tag.LOW_INCOME)
        if self.is_unemployed:
            tags.append(Tag.UNEMPLOYED)
        if self.is_land_lost_farmer:
            tags.append(Tag.LAND_LOST)
        if self.is_party_member:
            tags.append(Tag.PARTY_MEMBER)
        if self.is_new_employment_worker:
            tags.append(Tag.NEW_EMPLOYMENT)
        return tags

    @property
    def tag_labels(self) -> list[str]:
        return [str(Tag(t).label) for t in self.tags]


class Residency(TimeStampedModel):
    """One stay of a resident in a household: moved in on a date, maybe moved out on another."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("resident"), on_delete=models.PROTECT, related_name="residencies"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="residencies",
    )
    moved_in = models.DateField(_("moved in"))
    move_in_reason = models.CharField(
        _("reason for moving in"), max_length=20, choices=MoveReason.choices
    )
    moved_out = models.DateField(_("moved out"), null=True, blank=True)
    move_out_reason = models.CharField(
        _("reason for moving out"), max_length=20, choices=MoveReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        ordering = ["resident_id", "moved_in", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(moved_out__isnull=True),
                name="residency_one_open_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(moved_out__isnull=True) | Q(moved_out__gte=models.F("moved_in")),
                name="residency_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.household}"


class ImportBatch(PublicIdModel):
    """One uploaded resident spreadsheet (BRIEF R1 import) and the outcome of its last check.

    The parsed rows are kept encrypted (they hold citizen IDs and phones) only until the batch
    is committed; the counts and the error table stay for the preview and the audit trail.
    A batch belongs to the community it imports into and only that community's admins see it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Has errors")

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("uploaded by (name)"), max_length=150, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rows_encrypted = models.TextField(_("parsed rows (encrypted)"), blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    ok_rows = models.PositiveIntegerField(_("rows without errors"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    new_households = models.PositiveIntegerField(_("new households"), default=0)
    new_residents = models.PositiveIntegerField(_("new residents"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("unchanged rows"), default=0)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-created_at"], name="importbatch_comm_created")
        ]

    def __str__(self) -> str:
        return self.file_name or str(self.public_id)
