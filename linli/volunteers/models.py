"""Volunteers, social organisations and the points economy (BRIEF R6).

- Social organisations move through an incubation pipeline; teams belong to an organisation or
  to the community.
- A volunteer is registered from a resident or, for outsiders, from a name and a phone (stored
  encrypted, shown masked). The record holds what 民政部令第67号 (志愿服务记录与证明出具管理办法)
  asks for: basic information, service records with time and content, training and awards.
- Activities have a capacity held by a seat counter, a waiting list, check-in and check-out and
  hours confirmed by the organiser.
- The points ledger is append-only (TimeOverflow): each entry says what changed, the account's
  stored balance is updated in the same transaction and a check constraint keeps it ≥ 0.
  Earned entries are *lots*; spending and expiry consume lots soonest-expiring first (Odoo
  loyalty) and record what they consumed in `PointsAllocation`, so the ledger itself is never
  rewritten. Service hours live on the volunteer, apart from spendable points.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import PublicIdModel, TimeStampedModel
from linli.registry.choices import Gender
from linli.volunteers.choices import (
    ActivityStatus,
    Audience,
    EntryKind,
    OrgStage,
    OrgType,
    RedemptionStatus,
    SignupStatus,
    TeamKind,
    VolunteerStatus,
)


class PointsPolicy(TimeStampedModel):
    """A community's rules for hours and points: how many points an hour earns, how hours are
    capped per activity, how long points last, what a verified safety report earns."""

    community = models.OneToOneField(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    points_per_hour = models.PositiveSmallIntegerField(_("points per hour"), default=10)
    max_hours_per_activity = models.DecimalField(
        _("most hours one activity can earn"), max_digits=5, decimal_places=2, default=Decimal(8)
    )
    cap_to_schedule = models.BooleanField(
        _("no more hours than the activity was scheduled for"), default=True
    )
    expiry_months = models.PositiveSmallIntegerField(
        _("points expire after (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for points that never expire."),
    )
    safety_report_points = models.PositiveSmallIntegerField(
        _("points for a verified safety report"), default=20
    )

    class Meta:
        verbose_name = _("points policy")
        verbose_name_plural = _("points policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_hours_per_activity__gt=0), name="policy_max_hours_positive"
            )
        ]

    def __str__(self) -> str:
        return str(_("Points policy"))


class EarningRule(TimeStampedModel):
    """Another way to earn points the community defines (a training attended, a good deed)."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    points = models.PositiveSmallIntegerField(_("points"))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("earning rule")
        verbose_name_plural = _("earning rules")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="earningrule_unique_code"),
            models.CheckConstraint(condition=Q(points__gt=0), name="earningrule_points_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class PointsAccount(TimeStampedModel):
    """Whose points these are: a resident, or an outsider known by name (a volunteer or rider
    from outside the community). `balance` is the sum of the account's ledger entries, kept in
    the same transaction as each entry."""

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
    name = models.CharField(_("name"), max_length=50)
    balance = models.IntegerField(_("points balance"), default=0)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="account_balance_nonneg"),
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(resident__isnull=False),
                name="account_one_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PointsEntry(models.Model):
    """One line of the append-only ledger. `ref` names the source (a sign-up, a redemption, a
    safety report) and is unique per kind, so the same source never pays twice."""

    account = models.ForeignKey(
        PointsAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="entries"
    )
    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    points = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    ref = models.CharField(_("source"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="entry_points_nonzero"),
            models.CheckConstraint(condition=Q(balance_after__gte=0), name="entry_balance_nonneg"),
            models.UniqueConstraint(
                fields=["kind", "ref"], condition=~Q(ref=""), name="entry_unique_source"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at"], name="entry_account_at"),
            models.Index(fields=["community", "kind", "created_at"], name="entry_comm_kind_at"),
            models.Index(fields=["account", "expires_at"], name="entry_account_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.points:+d}"


class PointsAllocation(models.Model):
    """How many points of an earned lot a spending, expiry or refund entry took (positive) or
    gave back (negative). A lot's remaining points are its points minus its allocations."""

    entry = models.ForeignKey(
        PointsEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="allocations"
    )
    lot = models.ForeignKey(
        PointsEntry, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="consumed_by"
    )
    points = models.IntegerField(_("points"))

    class Meta:
        verbose_name = _("points allocation")
        verbose_name_plural = _("points allocations")
        indexes = [models.Index(fields=["lot"], name="allocation_lot")]

    def __str__(self) -> str:
        return f"{self.entry_id}→{self.lot_id} {self.points}"


class Volunteer(PublicIdModel):
    """A registered volunteer (志愿者), from the registry or from outside with a phone."""

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
    account = models.OneToOneField(
        PointsAccount,
        verbose_name=_("points account"),
        on_delete=models.PROTECT,
        related_name="volunteer",
    )
    number = models.CharField(_("volunteer number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True)
    phone_hash = models.CharField(_("phone lookup hash"), max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    joined_on = models.DateField(_("registered on"))
    hours_total = models.DecimalField(
        _("confirmed service hours"), max_digits=8, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["community_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(resident__isnull=False),
                name="volunteer_one_per_resident",
            ),
            models.CheckConstraint(condition=Q(hours_total__gte=0), name="volunteer_hours_nonneg"),
        ]
        indexes = [models.Index(fields=["community", "status"], name="volunteer_comm_status")]

    def __str__(self) -> str:
        return self.name

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.replace("，", ",").split(",") if s.strip()]


class Training(TimeStampedModel):
    """A training the volunteer attended (part of the record 民政部令第67号 requires)."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="trainings"
    )
    title = models.CharField(_("training"), max_length=100)
    provider = models.CharField(_("provided by"), max_length=100, blank=True)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=Decimal(0))

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Award(TimeStampedModel):
    """An award or commendation the volunteer received."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="awards"
    )
    title = models.CharField(_("award"), max_length=100)
    issuer = models.CharField(_("awarded by"), max_length=100, blank=True)
    awarded_on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-awarded_on", "-id"]

    def __str__(self) -> str:
        return self.title


class SocialOrganisation(TimeStampedModel):
    """A social organisation incubated by the community (社会组织), with the date it reached
    each stage of the pipeline and the Party organisation that guides it."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    org_type = models.CharField(_("type"), max_length=10, choices=OrgType.choices)
    stage = models.CharField(
        _("stage"), max_length=12, choices=OrgStage.choices, default=OrgStage.APPLIED
    )
    applied_on = models.DateField(_("applied on"))
    incubating_on = models.DateField(_("incubation began on"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    leader = models.ForeignKey(
        Volunteer,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        Volunteer, verbose_name=_("members"), blank=True, related_name="organisations"
    )
    # The party app's organisations are a separate domain; the guiding body is named here as the
    # community writes it (e.g. 文昌花园社区党委) rather than by a cross-domain key.
    guiding_party_org = models.CharField(_("guiding Party organisation"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["community_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="org_unique_name"),
        ]
        indexes = [models.Index(fields=["community", "stage"], name="org_comm_stage")]

    def __str__(self) -> str:
        return self.name


class Team(TimeStampedModel):
    """A civic service team or cultural team (志愿服务队 / 文体队伍), of an organisation or of
    the community itself."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        SocialOrganisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=TeamKind.choices)
    leader = models.ForeignKey(
        Volunteer,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        Volunteer, verbose_name=_("members"), blank=True, related_name="teams"
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["community_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="team_unique")]

    def __str__(self) -> str:
        return self.name


def new_checkin_token() -> str:
    return secrets.token_urlsafe(16)


class Activity(TimeStampedModel):
    """A volunteer activity posted by a team, an organisation or the community. `seats_taken`
    counts sign-ups holding a seat; a conditional update keeps it ≤ capacity under contention."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("what volunteers will do"), blank=True)
    place = models.CharField(_("place"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    audience = models.CharField(
        pgettext_lazy("activity audience", "for"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.VOLUNTEERS,
    )
    seats_taken = models.PositiveIntegerField(_("places taken"), default=0)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    organisation = models.ForeignKey(
        SocialOrganisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hours_cap = models.DecimalField(
        _("most hours a volunteer can earn"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the community's rule."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.OPEN
    )
    checkin_token = models.CharField(
        _("check-in code"), max_length=32, default=new_checkin_token, editable=False
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="activity_capacity_positive"),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")), name="activity_seats_within_capacity"
            ),
        ]
        indexes = [models.Index(fields=["community", "starts_at"], name="activity_comm_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def host(self) -> str:
        """Who posted it, as volunteers read it."""
        if self.team_id and self.team:
            return self.team.name
        if self.organisation_id and self.organisation:
            return self.organisation.name
        return str(_("Community"))

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)


class Signup(PublicIdModel):
    """One person's place at an activity, from sign-up through check-in and check-out. At a
    volunteer activity the place is a volunteer's, ending in confirmed hours (the service record
    民政部令第67号 asks for); at a residents' activity it is a resident's, with no volunteer
    record at all. `resident` is filled whenever the person is a resident (both kinds)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="signups"
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signups",
    )
    resident = models.ForeignKey(
        "registry.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=SignupStatus.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    hours = models.DecimalField(
        _("confirmed hours"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["activity_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "volunteer"],
                condition=~Q(status="cancelled"),
                name="signup_one_live_per_volunteer",
            ),
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=~Q(status="cancelled") & Q(volunteer__isnull=True),
                name="signup_one_live_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(volunteer__isnull=False) | Q(resident__isnull=False),
                name="signup_has_a_person",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="signup_hours_nonneg"
            ),
        ]
        indexes = [
            models.Index(fields=["volunteer", "status"], name="signup_volunteer_status"),
            models.Index(fields=["status", "confirmed_at"], name="signup_status_confirmed"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} @ {self.activity}"

    @property
    def person_name(self) -> str:
        """Who holds the place: the volunteer, or the resident at a residents' activity."""
        if self.volunteer_id and self.volunteer:
            return self.volunteer.name
        return self.resident.name if self.resident_id and self.resident else ""


class StoreItem(TimeStampedModel):
    """Something the points-redemption store (积分兑换超市) offers: price in points, stock and
    how many one person may take. Stock is decremented by a conditional update, never below 0."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    price = models.PositiveIntegerField(_("price (points)"))
    stock = models.IntegerField(_("in stock"), default=0)
    per_person_limit = models.PositiveSmallIntegerField(
        _("most one person may redeem"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    active = models.BooleanField(_("on offer"), default=True)

    class Meta:
        verbose_name = _("store item")
        verbose_name_plural = _("store items")
        ordering = ["community_id", "price", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="storeitem_stock_nonneg"),
            models.CheckConstraint(condition=Q(price__gt=0), name="storeitem_price_positive"),
            models.UniqueConstraint(fields=["community", "name"], name="storeitem_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Redemption(PublicIdModel):
    """One redemption: the points it took, the pickup code the resident shows at the counter,
    and whether it was picked up or cancelled (which gives points and stock back)."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    account = models.ForeignKey(
        PointsAccount,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    item = models.ForeignKey(
        StoreItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="redemptions"
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    points = models.PositiveIntegerField(_("points"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RedemptionStatus.choices,
        default=RedemptionStatus.RESERVED,
    )
    pickup_code = models.CharField(_("pickup code"), max_length=8)
    handled_at = models.DateTimeField(_("picked up or cancelled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="redemption_quantity_pos"),
            models.UniqueConstraint(
                fields=["community", "pickup_code"],
                condition=Q(status="reserved"),
                name="redemption_unique_open_code",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "item", "status"], name="redemption_acct_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"
