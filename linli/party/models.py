"""The Party organisation of a community (BRIEF R2): the four-level chain (community
committee → grid branch → building group → central household), themed branches, offices,
members linked to residents, the 三带 network and organisational life.

Nothing here is hard-deleted: offices end, links end and members transfer out, each with a
date, so the history of who held what and who looked after whom stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.models import PublicIdModel, TimeStampedModel
from linli.party.choices import (
    ActivityKind,
    AttendanceStatus,
    OfficeRole,
    OrgKind,
    Relation,
    Standing,
    Theme,
    TransferKind,
)
from linli.registry.models import Building, Community, Grid, Household, Resident


class Organisation(TimeStampedModel):
    """One Party organisation: the community committee, a grid branch (one per grid), a themed
    branch (one of the four bonds) or a building group (one per building, under its grid
    branch). `grid` is set for grid branches and building groups so that a grid worker's
    scope reaches them."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=100)
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
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")
        ordering = ["community_id", "kind", "grid_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(kind=OrgKind.COMMITTEE),
                name="party_org_one_committee",
            ),
            models.UniqueConstraint(
                fields=["grid"],
                condition=Q(kind=OrgKind.GRID_BRANCH),
                name="party_org_one_branch_per_grid",
            ),
            models.UniqueConstraint(
                fields=["building"],
                condition=Q(kind=OrgKind.BUILDING_GROUP),
                name="party_org_one_group_per_building",
            ),
            models.CheckConstraint(
                condition=(Q(kind=OrgKind.THEMED_BRANCH) & ~Q(theme=""))
                | (~Q(kind=OrgKind.THEMED_BRANCH) & Q(theme="")),
                name="party_org_theme_iff_themed",
            ),
            models.CheckConstraint(
                condition=Q(kind=OrgKind.COMMITTEE, parent__isnull=True)
                | (~Q(kind=OrgKind.COMMITTEE) & Q(parent__isnull=False)),
                name="party_org_only_committee_is_root",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[OrgKind.GRID_BRANCH, OrgKind.BUILDING_GROUP])
                | Q(grid__isnull=False),
                name="party_org_grid_for_grid_levels",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrgKind.BUILDING_GROUP) | Q(building__isnull=False),
                name="party_org_building_for_group",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Member(PublicIdModel):
    """A Party member whose organisational relation is (or was) held in this community.

    Usually linked to a resident record; a member who does not live here (a commuter, a
    member whose relation is parked here) is recorded by `name` with a note instead. The
    resident's own record stays the one place for personal data: no ID or phone here.
    `account` is the member's Linli staff account when they have one (the community secretary
    is a staff user, say): only then may a work phone be shown for them.
    """

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_memberships",
    )
    name = models.CharField(
        _("name"), max_length=50, blank=True, help_text=_("Only for a member who is not a resident")
    )
    non_resident_note = models.CharField(_("note (non-resident)"), max_length=200, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_member",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    joined_on = models.DateField(_("joined the Party on"))
    standing = models.CharField(
        _("standing"), max_length=20, choices=Standing.choices, default=Standing.FULL
    )
    relation = models.CharField(
        _("organisational relation"),
        max_length=20,
        choices=Relation.choices,
        default=Relation.ACTIVE,
    )

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")
        ordering = ["organisation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(resident__isnull=False),
                name="party_member_one_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | ~Q(name=""),
                name="party_member_resident_or_name",
            ),
        ]
        indexes = [models.Index(fields=["community", "relation"], name="party_member_comm_rel")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.resident.name if self.resident_id and self.resident else self.name


class Office(TimeStampedModel):
    """An office held by a member in an organisation, from a date until it ends. The
    "action branch secretary" (行动支部书记) mark goes with a secretary's office."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="offices",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="offices"
    )
    role = models.CharField(_("office"), max_length=20, choices=OfficeRole.choices)
    is_action_secretary = models.BooleanField(_("action branch secretary"), default=False)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["organisation_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(role=OfficeRole.SECRETARY, ended_on__isnull=True),
                name="party_office_one_secretary",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(role=OfficeRole.GROUP_LEADER, ended_on__isnull=True),
                name="party_office_one_group_leader",
            ),
            models.UniqueConstraint(
                fields=["organisation", "member", "role"],
                condition=Q(ended_on__isnull=True),
                name="party_office_no_duplicate",
            ),
            models.CheckConstraint(
                condition=Q(is_action_secretary=False) | Q(role=OfficeRole.SECRETARY),
                name="party_office_action_mark_secretary",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="party_office_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()}"


class Transfer(TimeStampedModel):
    """One move of a member's organisational relation: in from elsewhere, out to elsewhere, or
    between two organisations of this community."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="transfers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TransferKind.choices)
    on = models.DateField(_("date"))
    from_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external = models.CharField(
        _("organisation elsewhere"), max_length=200, blank=True, help_text=_("Where from or to")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["member_id", "on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=TransferKind.IN) | Q(to_organisation__isnull=False),
                name="party_transfer_in_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(kind=TransferKind.OUT) | Q(from_organisation__isnull=False),
                name="party_transfer_out_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} · {self.on}"


class CentralHousehold(PublicIdModel):
    """A Party-member central household (党员中心户, 三带): a member's home that looks after
    the members and households around it. `host` is the member whose home it is and who
    neighbours contact."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    host = models.ForeignKey(
        Member, verbose_name=_("host member"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        Organisation,
        verbose_name=_("building Party group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="central_households",
    )
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("central household")
        verbose_name_plural = _("central households")
        ordering = ["community_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(ended_on__isnull=True),
                name="party_central_one_per_household",
            )
        ]

    def __str__(self) -> str:
        return str(_("Central household %(address)s")) % {"address": self.household.address}


class HouseholdLink(TimeStampedModel):
    """A resident household looked after by a central household. One open link per
    household: a home has one central household to turn to."""

    central = models.ForeignKey(
        CentralHousehold,
        verbose_name=_("central household"),
        on_delete=models.PROTECT,
        related_name="household_links",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    linked_on = models.DateField(_("linked on"))
    ended_on = models.DateField(_("unlinked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("household link")
        verbose_name_plural = _("household links")
        ordering = ["central_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(ended_on__isnull=True),
                name="party_hlink_one_open_per_household",
            )
        ]

    def __str__(self) -> str:
        return f"{self.central} ↔ {self.household}"


class MemberLink(TimeStampedModel):
    """A Party member who serves with a central household. One open link per member."""

    central = models.ForeignKey(
        CentralHousehold,
        verbose_name=_("central household"),
        on_delete=models.PROTECT,
        related_name="member_links",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="links"
    )
    linked_on = models.DateField(_("linked on"))
    ended_on = models.DateField(_("unlinked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("member link")
        verbose_name_plural = _("member links")
        ordering = ["central_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True),
                name="party_mlink_one_open_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.central} ↔ {self.member}"


class Activity(TimeStampedModel):
    """One meeting or activity of an organisation (三会一课, theme day, service)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField(_("date"), db_index=True)
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class Attendance(models.Model):
    """Whether one member attended one activity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(
        _("attendance"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"], name="party_attendance_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.member} · {self.get_status_display()}"
