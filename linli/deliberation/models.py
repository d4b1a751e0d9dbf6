"""Deliberation (BRIEF R11): matters under 四议两公开, residents' meetings, public notices with
their objection logs, votes and written consents counted by heads and by area (Civil Code art.
278), and elevator retrofits per staircase with their cost split.

The registry knows flats (households) and their registered floor area but not who owns them;
`Property` adds the owner identity a vote needs (one row per flat: exclusive area, owner key —
the same key for one owner's several flats, one key for a flat's co-owners). Votes snapshot the
electorate into `Elector` rows (one per head) when they open.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.models import PublicIdModel, TimeStampedModel
from linli.deliberation.choices import (
    BaseRule,
    Channel,
    Choice,
    MeetingKind,
    MeetingStatus,
    NoticeStatus,
    ObjectionReason,
    ObjectionStatus,
    Scope,
    SignIn,
    Stage,
    Step,
    StepOutcome,
    VoteStatus,
)
from linli.registry.models import Building, Community, Grid, Household, Resident, Unit

USER = settings.AUTH_USER_MODEL


class RuleSet(TimeStampedModel):
    """A community's decision rules as data: the base rule (art. 278 major / ordinary, or
    unanimity), local add-ons (Yangzhou: the staircase's unanimous written consent), notice and
    reply periods, elevator subsidies by storeys and cost coefficients by floor."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    base_rule = models.CharField(_("base rule"), max_length=12, choices=BaseRule.choices)
    staircase_unanimous = models.BooleanField(
        _("the staircase concerned must consent unanimously"), default=False
    )
    notice_days = models.PositiveSmallIntegerField(_("notice at least (days)"), default=7)
    reply_days = models.PositiveSmallIntegerField(_("objections answered within (days)"), default=3)
    subsidies = models.JSONField(_("subsidies [storeys from, yuan]"), default=list, blank=True)
    floor_coefficients = models.JSONField(_("cost coefficients by floor"), default=dict, blank=True)
    source = models.CharField(_("source of the rule"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["community_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="ruleset_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Property(TimeStampedModel):
    """The ownership of one flat (产权): registered exclusive area and the owner's key."""

    household = models.OneToOneField(
        Household, verbose_name=_("flat"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.DecimalField(_("exclusive area (m²)"), max_digits=9, decimal_places=2)
    owner_key = models.CharField(_("owner key"), max_length=64)
    owner_label = models.CharField(_("owner"), max_length=60)
    co_owners = models.PositiveSmallIntegerField(_("co-owners"), default=1)
    owner_resident = models.ForeignKey(
        Resident,
        verbose_name=_("owner living here"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("property")
        verbose_name_plural = _("properties")
        ordering = ["unit_id", "household_id"]
        constraints = [
            models.CheckConstraint(condition=Q(area__gte=0), name="property_area_nonneg"),
        ]
        indexes = [models.Index(fields=["community", "owner_key"], name="property_owner")]

    def __str__(self) -> str:
        return f"{self.owner_label} {self.area} m²"


class ScopedModel(PublicIdModel):
    """Something about a staircase, a building, a grid or the whole community."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def place(self) -> str:
        if self.unit is not None and self.building is not None:
            return f"{self.building.number}-{self.unit.number}"
        if self.building is not None:
            return str(self.building)
        if self.grid_id:
            return str(self.grid)
        return str(self.community)


class Matter(ScopedModel):
    """A matter taken through 四议两公开, one step active at a time (`step`)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    base_rule = models.CharField(
        _("kind of matter"), max_length=12, choices=BaseRule.choices, default=BaseRule.ORDINARY
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, default=Step.PROPOSAL)
    proposed_on = models.DateField(_("proposed on"))

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["community", "step"], name="matter_comm_step")]

    def __str__(self) -> str:
        return self.title


class MatterStep(TimeStampedModel):
    """One completed step of a matter: who, when, outcome and documents."""

    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="steps"
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=StepOutcome.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    documents = models.CharField(_("documents"), max_length=300, blank=True)
    by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_label = models.CharField(_("recorded by (name)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("step of a matter")
        verbose_name_plural = _("steps of matters")
        ordering = ["matter_id", "id"]
        constraints = [models.UniqueConstraint(fields=["matter", "step"], name="matterstep_once")]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.step}"


class Meeting(ScopedModel):
    """A meeting: agenda, sign-in against the quorum (more than half of those invited),
    minutes and decisions."""

    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    starts_at = models.DateTimeField(_("starts at"))
    place_name = models.CharField(_("place"), max_length=100)
    agenda = models.TextField(_("agenda"))
    invited = models.PositiveIntegerField(_("invited"))
    attendees = models.PositiveIntegerField(_("signed in"), default=0)
    minutes = models.TextField(pgettext_lazy("deliberation", "minutes"), blank=True)
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["community", "status"], name="meeting_comm_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def quorum(self) -> int:
        """More than half of those invited: the smallest number above invited / 2."""
        return self.invited // 2 + 1

    @property
    def quorate(self) -> bool:
        return self.attendees >= self.quorum


class Attendance(models.Model):
    """One household signed in at a meeting (by staff or by scanning the meeting's QR code)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    via = models.CharField(_("signed in"), max_length=6, choices=SignIn.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "household"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.household_id}"


class Decision(models.Model):
    """A decision of a meeting, linked to the matter it resolves."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    text = models.TextField(_("decision"))
    votes_for = models.PositiveIntegerField(pgettext_lazy("deliberation", "for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstaining"), default=0)
    adopted = models.BooleanField(_("adopted"), default=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting_id", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class ElevatorProject(ScopedModel):
    """An elevator retrofit for one staircase (unit), through its stages."""

    title = models.CharField(_("title"), max_length=200)
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(
        _("stage"), max_length=14, choices=Stage.choices, default=Stage.PROPOSED
    )
    stuck_reason = models.CharField(_("why it is stuck"), max_length=300, blank=True)
    vote = models.OneToOneField(
        "deliberation.Vote",
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project",
    )
    total_cost_fen = models.BigIntegerField(_("total cost (fen)"))
    subsidy_fen = models.BigIntegerField(_("subsidy (fen)"), default=0)
    maintenance_fen = models.BigIntegerField(_("maintenance per year (fen)"), default=0)
    electricity_fen = models.BigIntegerField(_("electricity per year (fen)"), default=0)
    proposed_on = models.DateField(_("proposed on"))
    signed_on = models.DateField(_("consent reached on"), null=True, blank=True)
    in_service_on = models.DateField(_("in service since"), null=True, blank=True)

    class Meta:
        verbose_name = _("elevator project")
        verbose_name_plural = _("elevator projects")
        ordering = ["building_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], name="elevator_one_per_staircase"),
            models.CheckConstraint(
                condition=Q(total_cost_fen__gte=0) & Q(subsidy_fen__gte=0),
                name="elevator_cost_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owners_cost_fen(self) -> int:
        return max(self.total_cost_fen - self.subsidy_fen, 0)


class StageEvent(models.Model):
    """One stage reached by a project: when, who, note and documents."""

    project = models.ForeignKey(
        ElevatorProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="events"
    )
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices)
    on = models.DateField(_("date"))
    by_label = models.CharField(_("by"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    documents = models.CharField(_("documents"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage of a project")
        verbose_name_plural = _("stages of projects")
        ordering = ["project_id", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.stage}"


class CostShare(models.Model):
    """One household's share of a project's cost, maintenance and electricity, and its money."""

    project = models.ForeignKey(
        ElevatorProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="shares"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    floor = models.SmallIntegerField(_("floor"))
    area = models.DecimalField(_("exclusive area (m²)"), max_digits=9, decimal_places=2)
    coefficient = models.DecimalField(_("floor coefficient"), max_digits=6, decimal_places=3)
    share_fen = models.BigIntegerField(_("share of the cost (fen)"))
    maintenance_fen = models.BigIntegerField(_("share of maintenance (fen)"), default=0)
    electricity_fen = models.BigIntegerField(_("share of electricity (fen)"), default=0)
    pledged_fen = models.BigIntegerField(_("pledged (fen)"), default=0)
    collected_fen = models.BigIntegerField(_("collected (fen)"), default=0)

    class Meta:
        verbose_name = _("cost share")
        verbose_name_plural = _("cost shares")
        ordering = ["project_id", "-floor", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "household"], name="costshare_once"),
            models.CheckConstraint(
                condition=Q(collected_fen__gte=0) & Q(pledged_fen__gte=0),
                name="costshare_money_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.household_id}"


class ProjectObjection(PublicIdModel):
    """An owner's objection to a retrofit (light, noise, access) and how it was settled,
    with a compensation agreement where one was made."""

    project = models.ForeignKey(
        ElevatorProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=8, choices=ObjectionReason.choices)
    detail = models.TextField(_("detail"), blank=True)
    lodged_on = models.DateField(_("lodged on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    settlement = models.TextField(_("settlement"), blank=True)
    compensation_fen = models.BigIntegerField(_("compensation (fen)"), default=0)
    agreement_ref = models.CharField(_("compensation agreement"), max_length=100, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection to a project")
        verbose_name_plural = _("objections to projects")
        ordering = ["project_id", "lodged_on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.reason}"


class Notice(ScopedModel):
    """A public notice (公示) with its period, where it is posted, and its objection log."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    on_board = models.BooleanField(_("posted on the board"), default=True)
    on_portal = models.BooleanField(_("posted in the portal"), default=True)
    reply_days = models.PositiveSmallIntegerField(_("objections answered within (days)"), default=3)
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )
    project = models.ForeignKey(
        ElevatorProject,
        verbose_name=_("elevator project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="notice_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Objection(PublicIdModel):
    """A written objection to a notice: who, when, about what; the reply and its date."""

    notice = models.ForeignKey(
        Notice,
        verbose_name=pgettext_lazy("deliberation", "notice"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    objector = models.CharField(_("objector"), max_length=60)
    lodged_on = models.DateField(_("lodged on"))
    about = models.TextField(_("about"))
    due_on = models.DateField(_("reply due"))
    reply = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["notice_id", "lodged_on", "id"]

    def __str__(self) -> str:
        return self.about[:50]


class Vote(ScopedModel):
    """A vote or a round of written consents on a matter or an elevator project. The
    electorate is snapshotted into `Elector` rows when it opens."""

    title = models.CharField(_("title"), max_length=200)
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="votes",
    )
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("rule set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    base_rule = models.CharField(_("rule"), max_length=12, choices=BaseRule.choices)
    staircase_unanimous = models.BooleanField(
        _("unanimity of the staircase required"), default=False
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=8, choices=VoteStatus.choices, default=VoteStatus.OPEN
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Elector(models.Model):
    """One head of a vote's electorate: an owner (or a flat's co-owners) with the summed exclusive
    area of his flats in the scope, in hundredths of m² (exact integer sums in any database)."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="electors"
    )
    owner_key = models.CharField(_("owner key"), max_length=64)
    label = models.CharField(_("owner"), max_length=60)
    area_cm = models.BigIntegerField(_("area (0.01 m²)"))
    flats = models.JSONField(_("flats"), default=list)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("owner living here"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    top_floor = models.SmallIntegerField(_("floor"), default=0)

    class Meta:
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        ordering = ["vote_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "owner_key"], name="elector_one_per_head")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def area(self) -> Decimal:
        return Decimal(self.area_cm) / 100


class Ballot(models.Model):
    """The one ballot of a head (database-guaranteed: one row per elector). A change rewrites
    it and keeps the previous choice in `BallotChange`."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="ballots"
    )
    elector = models.OneToOneField(
        Elector, verbose_name=_("elector"), on_delete=models.CASCADE, related_name="ballot"
    )
    choice = models.CharField(_("choice"), max_length=12, choices=Choice.choices)
    channel = models.CharField(_("signed"), max_length=8, choices=Channel.choices)
    proxy_name = models.CharField(_("proxy"), max_length=60, blank=True)
    authorisation_ref = models.CharField(_("written authorisation"), max_length=100, blank=True)
    signature_ref = models.CharField(_("signature record"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        USER,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by_label = models.CharField(_("recorded by (name)"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["vote", "elector"], name="ballot_one_per_head")
        ]

    def __str__(self) -> str:
        return f"{self.elector_id}: {self.choice}"


class BallotChange(models.Model):
    """The history of a ballot: every earlier choice with who recorded it and when."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="changes"
    )
    choice = models.CharField(_("choice"), max_length=12, choices=Choice.choices)
    channel = models.CharField(_("signed"), max_length=8, choices=Channel.choices)
    recorded_by_label = models.CharField(_("recorded by (name)"), max_length=150, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier ballot")
        verbose_name_plural = _("earlier ballots")
        ordering = ["ballot_id", "id"]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.choice}"
