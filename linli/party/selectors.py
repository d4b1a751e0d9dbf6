"""Reads of the Party organisation. Every selector starts from the actor's scope
(`for_actor` / `access`); list selectors fetch what a page shows in a fixed number of queries,
whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import router
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Abs, Coalesce

from linli.core.db import Param, Prepared, from_row
from linli.core.permissions import Actor, access, communities_for, for_actor, narrowed
from linli.party.choices import (
    AttendanceStatus,
    Nearness,
    OfficeRole,
    OrgKind,
    Relation,
)
from linli.party.models import (
    Activity,
    Attendance,
    CentralHousehold,
    HouseholdLink,
    Member,
    MemberLink,
    Office,
    Organisation,
    Transfer,
)
from linli.party.permissions import VIEW
from linli.registry.choices import HouseholdStatus
from linli.registry.models import Building, Grid, Resident

# Re-exported for type annotations in the pages and the API (they read through selectors).
from linli.registry.models import Community as Community
from linli.registry.models import Household as Household

# A central household is "weak" below these (the article: each links 10+ members, 30+ homes).
MIN_MEMBERS = 10
MIN_HOUSEHOLDS = 30

MEMBER_RELATED = (
    "resident__household__building__grid",
    "resident__household__unit",
    "organisation",
)


def party_communities(actor: Actor) -> QuerySet[Community]:
    """The communities whose Party organisation the actor may read."""
    return Community.objects.filter(id__in=list(communities_for(actor, VIEW))).order_by("name")


def community_for(actor: Actor, community_id: int | None) -> Community | None:
    """The community a page is about: the one asked for if the actor reaches it, else the
    first one the actor reaches."""
    communities = list(party_communities(actor))
    for c in communities:
        if c.id == community_id:
            return c
    return communities[0] if communities else None


# ---------------------------------------------------------------- the tree


@dataclass
class OrgNode:
    org: Organisation
    members: int = 0
    secretary: Office | None = None
    offices: list[Office] = field(default_factory=list)
    children: list[OrgNode] = field(default_factory=list)

    @property
    def leader(self) -> Office | None:
        """The secretary, or the group leader of a building group."""
        if self.secretary:
            return self.secretary
        return next((o for o in self.offices if o.role == OfficeRole.GROUP_LEADER), None)


@dataclass
class Tree:
    community: Community
    committee: OrgNode | None
    grid_branches: list[OrgNode]
    themed_branches: list[OrgNode]
    members: int
    probationary: int
    central_households: int


def organisations(actor: Actor, community_id: int) -> QuerySet[Organisation]:
    return for_actor(actor, VIEW, Organisation.objects.filter(community_id=community_id))


def active_offices(actor: Actor, org_ids: list[int]) -> QuerySet[Office]:
    return (
        for_actor(actor, VIEW, Office.objects.filter(organisation_id__in=org_ids))
        .filter(ended_on__isnull=True)
        .select_related("member__resident")
        .order_by("organisation_id", "role", "id")
    )


def _building_order(node: OrgNode) -> tuple[int, str]:
    number = node.org.building.number if node.org.building else ""
    return (int(number) if number.isdigit() else 0, number)


# What the tree page (and the API's tree) shows of an organisation and of an office: a
# community's tree is a few hundred rows, read on every view of the page, so both reads are
# compiled once per actor scope (core.db.Prepared) and their rows made into instances here.
_TREE_ORG = ("id", "name", "kind", "theme", "description", "parent_id", "grid_id", "building_id")
_TREE_OFFICE = (
    "id",
    "organisation_id",
    "member_id",
    "role",
    "is_action_secretary",
    "started_on",
    "ended_on",
)


def _tree_orgs(actor: Actor) -> QuerySet[Any]:
    qs: QuerySet[Any] = (
        for_actor(actor, VIEW, Organisation.objects.all())
        .filter(community_id=Param("community", Organisation, "community"))
        .order_by()
        .values(*_TREE_ORG, "grid__number", "grid__name", "building__number")
        .annotate(member_count=Count("members", filter=Q(members__relation=Relation.ACTIVE)))
        .order_by("kind", "grid__number", "id")
    )
    return qs


def _tree_offices(actor: Actor) -> QuerySet[Any]:
    qs: QuerySet[Any] = (
        for_actor(actor, VIEW, Office.objects.all())
        .filter(organisation__community_id=Param("community", Organisation, "community"))
        .filter(ended_on__isnull=True)
        .order_by("organisation_id", "role", "id")
        .values(
            *_TREE_OFFICE,
            "member__name",
            "member__public_id",
            "member__resident_id",
            "member__resident__name",
        )
    )
    return qs


_TREE = {
    "orgs": Prepared(Organisation, _tree_orgs),
    "offices": Prepared(Office, _tree_offices),
}


def _tree_org(alias: str, row: dict[str, Any]) -> Organisation:
    org = from_row(Organisation, {f: row[f] for f in _TREE_ORG}, using=alias)
    grid = building = None
    if org.grid_id:
        grid = from_row(
            Grid,
            {"id": org.grid_id, "number": row["grid__number"], "name": row["grid__name"]},
            using=alias,
        )
    if org.building_id:
        building = from_row(
            Building, {"id": org.building_id, "number": row["building__number"]}, using=alias
        )
    Organisation.grid.field.set_cached_value(org, grid)
    Organisation.building.field.set_cached_value(org, building)
    setattr(org, "member_count", row["member_count"])  # noqa: B010  (as annotate() would)
    return org


def _tree_office(alias: str, row: dict[str, Any]) -> Office:
    office = from_row(Office, {f: row[f] for f in _TREE_OFFICE}, using=alias)
    resident_id = row["member__resident_id"]
    member = from_row(
        Member,
        {
            "id": office.member_id,
            "public_id": row["member__public_id"],
            "name": row["member__name"],
            "resident_id": resident_id,
        },
        using=alias,
    )
    resident = None
    if resident_id:
        resident = from_row(
            Resident, {"id": resident_id, "name": row["member__resident__name"]}, using=alias
        )
    Member.resident.field.set_cached_value(member, resident)
    Office.member.field.set_cached_value(office, member)
    return office


def org_tree(actor: Actor, community: Community) -> Tree:
    """The whole tree of a community in four queries: organisations with member counts,
    their open offices, the member figures and the number of central households."""
    alias = router.db_for_read(Organisation)
    scope = narrowed(actor, VIEW)
    orgs = [_tree_org(alias, r) for r in _TREE["orgs"].rows(scope, community=community.id)]
    nodes = {o.id: OrgNode(org=o, members=o.member_count) for o in orgs}  # type: ignore[attr-defined]
    for row in _TREE["offices"].rows(scope, community=community.id):
        node = nodes.get(row["organisation_id"])
        if node is None:  # an office of an organisation outside the actor's scope
            continue
        office = _tree_office(alias, row)
        node.offices.append(office)
        if office.role == OfficeRole.SECRETARY:
            node.secretary = office
    committee = None
    grid_branches: list[OrgNode] = []
    themed: list[OrgNode] = []
    for node in nodes.values():
        kind = node.org.kind
        if kind == OrgKind.COMMITTEE:
            committee = node
        elif kind == OrgKind.GRID_BRANCH:
            grid_branches.append(node)
        elif kind == OrgKind.THEMED_BRANCH:
            themed.append(node)
        elif node.org.parent_id in nodes:
            nodes[node.org.parent_id].children.append(node)
    for node in grid_branches:
        node.children.sort(key=_building_order)
    grid_branches.sort(key=lambda n: n.org.grid.number if n.org.grid else 0)
    figures = (
        for_actor(actor, VIEW, Member.objects.filter(community=community))
        .filter(relation=Relation.ACTIVE)
        .aggregate(total=Count("id"), probationary=Count("id", filter=Q(standing="probationary")))
    )
    centrals = (
        for_actor(actor, VIEW, CentralHousehold.objects.filter(community=community))
        .filter(ended_on__isnull=True)
        .count()
    )
    return Tree(
        community=community,
        committee=committee,
        grid_branches=grid_branches,
        themed_branches=themed,
        members=figures["total"],
        probationary=figures["probationary"],
        central_households=centrals,
    )


def organisation_get(actor: Actor, org_id: int) -> Organisation:
    return access(
        actor,
        VIEW,
        Organisation.objects.select_related("community", "parent", "grid", "building"),
        pk=org_id,
    )


def office_get(actor: Actor, office_id: int) -> Office:
    return access(
        actor,
        VIEW,
        Office.objects.select_related("organisation", "member__resident"),
        pk=office_id,
    )


def organisation_children(actor: Actor, org: Organisation) -> QuerySet[Organisation]:
    return (
        for_actor(actor, VIEW, Organisation.objects.filter(parent=org))
        .select_related("building")
        .annotate(member_count=Count("members", filter=Q(members__relation=Relation.ACTIVE)))
        .order_by("kind", "grid__number", "id")
    )


# ---------------------------------------------------------------- members


@dataclass(frozen=True)
class MemberFilters:
    community_id: int | None = None
    organisation_id: int | None = None
    grid_id: int | None = None
    standing: str = ""
    relation: str = Relation.ACTIVE
    q: str = ""


def member_list(actor: Actor, filters: MemberFilters) -> QuerySet[Member]:
    qs = for_actor(actor, VIEW, Member.objects.all())
    if filters.community_id:
        qs = qs.filter(community_id=filters.community_id)
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.grid_id:
        qs = qs.filter(resident__household__building__grid_id=filters.grid_id)
    if filters.standing:
        qs = qs.filter(standing=filters.standing)
    if filters.relation:
        qs = qs.filter(relation=filters.relation)
    if filters.q:
        qs = qs.filter(Q(resident__name__contains=filters.q) | Q(name__contains=filters.q))
    return qs.select_related(*MEMBER_RELATED).order_by("organisation_id", "id")


def member_get(actor: Actor, public_id: Any) -> Member:
    return access(
        actor,
        VIEW,
        Member.objects.select_related(*MEMBER_RELATED, "community", "account"),
        public_id=public_id,
    )


def member_offices(actor: Actor, member: Member) -> QuerySet[Office]:
    return (
        for_actor(actor, VIEW, Office.objects.filter(member=member))
        .select_related("organisation")
        .order_by("-started_on", "id")
    )


def member_transfers(actor: Actor, member: Member) -> QuerySet[Transfer]:
    return (
        for_actor(actor, VIEW, Transfer.objects.filter(member=member))
        .select_related("from_organisation", "to_organisation")
        .order_by("on", "id")
    )


def member_attendance(actor: Actor, member: Member) -> QuerySet[Attendance]:
    return (
        for_actor(actor, VIEW, Attendance.objects.filter(member=member))
        .select_related("activity__organisation")
        .order_by("-activity__held_on", "-activity_id")
    )


def member_participation(actor: Actor, member: Member) -> int:
    """How many activities the member attended."""
    return member_attendance(actor, member).filter(status=AttendanceStatus.PRESENT).count()


def member_central(actor: Actor, member: Member) -> CentralHousehold | None:
    link = (
        for_actor(actor, VIEW, MemberLink.objects.filter(member=member, ended_on__isnull=True))
        .select_related("central__household__building", "central__household__unit")
        .first()
    )
    return link.central if link else None


# ---------------------------------------------------------------- central households


def _open_links(model: type[HouseholdLink] | type[MemberLink]) -> Coalesce:
    """The number of open links of a central household, as a subquery (two joins in one
    query would multiply each other's rows)."""
    counted = (
        model.objects.filter(central=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("central")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def central_list(actor: Actor, community_id: int) -> QuerySet[CentralHousehold]:
    """Open central households with their open link counts (one query)."""
    return (
        for_actor(actor, VIEW, CentralHousehold.objects.filter(community_id=community_id))
        .filter(ended_on__isnull=True)
        .select_related("household__building__grid", "household__unit", "host__resident", "group")
        .annotate(member_count=_open_links(MemberLink), household_count=_open_links(HouseholdLink))
        .order_by("household__building__grid__number", "household__building_id", "id")
    )


def central_get(actor: Actor, public_id: Any) -> CentralHousehold:
    return access(
        actor,
        VIEW,
        CentralHousehold.objects.select_related(
            "community",
            "household__building__grid",
            "household__unit",
            "host__resident",
            "group",
        ),
        public_id=public_id,
    )


def central_households_linked(actor: Actor, central: CentralHousehold) -> QuerySet[HouseholdLink]:
    return (
        for_actor(actor, VIEW, HouseholdLink.objects.filter(central=central))
        .filter(ended_on__isnull=True)
        .select_related("household__building", "household__unit")
        .order_by("household__building_id", "household__unit__number", "household__room")
    )


def central_members_linked(actor: Actor, central: CentralHousehold) -> QuerySet[MemberLink]:
    return (
        for_actor(actor, VIEW, MemberLink.objects.filter(central=central))
        .filter(ended_on__isnull=True)
        .select_related(
            "member__resident__household__building",
            "member__resident__household__unit",
            "member__organisation",
        )
        .order_by("member_id")
    )


def _nearness(prefix: str, central: CentralHousehold) -> Case:
    home = central.household
    return Case(
        When(**{f"{prefix}unit_id": home.unit_id}, then=Value(Nearness.SAME_UNIT)),
        When(**{f"{prefix}building_id": home.building_id}, then=Value(Nearness.SAME_BUILDING)),
        When(
            **{f"{prefix}building__grid_id": home.building.grid_id},
            then=Value(Nearness.SAME_GRID),
        ),
        default=Value(Nearness.ELSEWHERE),
        output_field=IntegerField(),
    )


def suggest_households(
    actor: Actor, central: CentralHousehold, limit: int = 20
) -> QuerySet[Household]:
    """Active households no central household looks after yet, nearest first: the same
    staircase, then the same building, then the same grid; within each, by floor distance."""
    open_link = HouseholdLink.objects.filter(household=OuterRef("pk"), ended_on__isnull=True)
    return (
        for_actor(actor, VIEW, Household.objects.filter(community_id=central.community_id))
        .filter(status=HouseholdStatus.ACTIVE, building__grid_id=central.household.building.grid_id)
        .exclude(Exists(open_link))
        .exclude(pk=central.household_id)
        .select_related("building", "unit")
        .annotate(
            nearness=_nearness("", central),
            floor_distance=Abs(F("floor") - central.household.floor),
        )
        .order_by("nearness", "floor_distance", "building_id", "unit__number", "room")[:limit]
    )


def suggest_members(actor: Actor, central: CentralHousehold, limit: int = 20) -> QuerySet[Member]:
    """Active members serving with no central household yet, nearest home first (members
    who do not live here come last)."""
    open_link = MemberLink.objects.filter(member=OuterRef("pk"), ended_on__isnull=True)
    return (
        for_actor(actor, VIEW, Member.objects.filter(community_id=central.community_id))
        .filter(relation=Relation.ACTIVE)
        .exclude(Exists(open_link))
        .select_related(*MEMBER_RELATED)
        .annotate(nearness=_nearness("resident__household__", central))
        .order_by("nearness", "id")[:limit]
    )


# ---------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Coverage:
    households: int
    households_linked: int
    members: int
    members_linked: int
    central_households: int
    weak_central_households: int

    @property
    def households_unlinked(self) -> int:
        return self.households - self.households_linked

    @property
    def members_unlinked(self) -> int:
        return self.members - self.members_linked

    @property
    def household_percent(self) -> int:
        return round(100 * self.households_linked / self.households) if self.households else 0


def unlinked_households(actor: Actor, community_id: int) -> QuerySet[Household]:
    open_link = HouseholdLink.objects.filter(household=OuterRef("pk"), ended_on__isnull=True)
    return (
        for_actor(actor, VIEW, Household.objects.filter(community_id=community_id))
        .filter(status=HouseholdStatus.ACTIVE)
        .exclude(Exists(open_link))
        .select_related("building__grid", "unit")
        .only("room", "building__number", "building__grid__name", "unit__number")
        .order_by("building_id", "unit_id", "room")  # index household_comm_status_addr
    )


def unlinked_members(actor: Actor, community_id: int) -> QuerySet[Member]:
    open_link = MemberLink.objects.filter(member=OuterRef("pk"), ended_on__isnull=True)
    return (
        for_actor(actor, VIEW, Member.objects.filter(community_id=community_id))
        .filter(relation=Relation.ACTIVE)
        .exclude(Exists(open_link))
        .select_related(*MEMBER_RELATED)
        .order_by("organisation_id", "id")
    )


def _weak_q() -> Q:
    """Central households below the mark (on `central_list`'s link counts)."""
    return Q(member_count__lt=MIN_MEMBERS) | Q(household_count__lt=MIN_HOUSEHOLDS)


def weak_central_households(actor: Actor, community_id: int) -> QuerySet[CentralHousehold]:
    return central_list(actor, community_id).filter(_weak_q())


def _linked_counts(
    actor: Actor, model: type[Household] | type[Member], active: Q, linked_ids: QuerySet[Any]
) -> QuerySet[Any]:
    """How many of a community's active households (or members) there are, and how many of
    them have an open link (`linked_ids`: the ids with one). The ids are one uncorrelated
    subquery, which PostgreSQL hashes once (a correlated EXISTS probed the index once per
    household: 3.9 against 1.3 ms on the demo)."""
    rows: QuerySet[Any] = model._default_manager.all()
    counts: QuerySet[Any] = (
        for_actor(actor, VIEW, rows)
        .filter(active, community_id=Param("community", model, "community"))
        .order_by()
        .values("community_id")
        .annotate(total=Count("id"), linked=Count("id", filter=Q(pk__in=linked_ids)))
    )
    return counts


def _coverage_households(actor: Actor) -> QuerySet[Any]:
    linked = HouseholdLink.objects.filter(ended_on__isnull=True).values("household_id")
    return _linked_counts(actor, Household, Q(status=HouseholdStatus.ACTIVE), linked)


def _coverage_members(actor: Actor) -> QuerySet[Any]:
    linked = MemberLink.objects.filter(ended_on__isnull=True).values("member_id")
    return _linked_counts(actor, Member, Q(relation=Relation.ACTIVE), linked)


def _coverage_centrals(actor: Actor) -> QuerySet[Any]:
    return (
        for_actor(actor, VIEW, CentralHousehold.objects.all())
        .filter(community_id=Param("community", CentralHousehold, "community"))
        .filter(ended_on__isnull=True)
        .annotate(member_count=_open_links(MemberLink), household_count=_open_links(HouseholdLink))
        .order_by()
        .values("community_id")
        .annotate(total=Count("id"), weak=Count("id", filter=_weak_q()))
    )


# The coverage page counts on every view; these are compiled once per actor scope
# (core.db.Prepared): Django spent longer building them than the database counting.
_COVERAGE = {
    "households": Prepared(Household, _coverage_households),
    "members": Prepared(Member, _coverage_members),
    "centrals": Prepared(CentralHousehold, _coverage_centrals),
}


def coverage(actor: Actor, community_id: int) -> Coverage:
    """The 三带 network's gaps within the actor's scope (three queries)."""
    counts: dict[str, dict[str, int]] = {}
    for name, statement in _COVERAGE.items():
        rows = statement.rows(narrowed(actor, VIEW), community=community_id)
        counts[name] = rows[0] if rows else {}
    h, m, c = counts["households"], counts["members"], counts["centrals"]
    return Coverage(
        households=h.get("total", 0),
        households_linked=h.get("linked", 0),
        members=m.get("total", 0),
        members_linked=m.get("linked", 0),
        central_households=c.get("total", 0),
        weak_central_households=c.get("weak", 0),
    )


# ---------------------------------------------------------------- organisational life


@dataclass(frozen=True)
class ActivityFilters:
    community_id: int | None = None
    organisation_id: int | None = None
    kind: str = ""
    year: int | None = None


def activity_list(actor: Actor, filters: ActivityFilters) -> QuerySet[Activity]:
    qs = for_actor(actor, VIEW, Activity.objects.all())
    if filters.community_id:
        qs = qs.filter(organisation__community_id=filters.community_id)
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(held_on__year=filters.year)
    return (
        qs.select_related("organisation")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
            expected=Count("attendance"),
        )
        .order_by("-held_on", "-id")
    )


def activity_get(actor: Actor, activity_id: int) -> Activity:
    return access(
        actor, VIEW, Activity.objects.select_related("organisation__community"), pk=activity_id
    )


def activity_attendance(actor: Actor, activity: Activity) -> QuerySet[Attendance]:
    return (
        for_actor(actor, VIEW, Attendance.objects.filter(activity=activity))
        .select_related("member__resident")
        .order_by("status", "member_id")
    )


def participation_counts(
    actor: Actor, community_id: int, year: int | None = None
) -> QuerySet[Member]:
    """Every active member with the number of activities attended and missed (one query)."""
    present = Q(attendance__status=AttendanceStatus.PRESENT)
    counted = Q()
    if year:
        counted = Q(attendance__activity__held_on__year=year)
    return (
        member_list(actor, MemberFilters(community_id=community_id))
        .annotate(
            attended=Count("attendance", filter=present & counted),
            expected=Count("attendance", filter=counted),
        )
        .order_by("organisation_id", "id")
    )


def secretaries_by_org(org_ids: list[int]) -> dict[int, Office]:
    """Open secretary / group-leader offices of the given organisations (one query); callers
    have already checked the actor may read those organisations."""
    found: dict[int, Office] = {}
    rows = (
        Office.objects.filter(
            organisation_id__in=org_ids,
            ended_on__isnull=True,
            role__in=[OfficeRole.SECRETARY, OfficeRole.GROUP_LEADER],
        )
        .select_related("member__resident", "member__account")
        .order_by("role", "id")
    )
    by_org: dict[int, list[Office]] = defaultdict(list)
    for office in rows:
        by_org[office.organisation_id].append(office)
    for org_id, offices in by_org.items():
        found[org_id] = offices[0]
    return found
