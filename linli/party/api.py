"""Party organisation API (`/api/party/`): the tree, organisations and their offices,
members, central households and their links (link / unlink), coverage and activities. Thin:
schemas in, selectors and services, schemas out. Names only — never an ID number or a phone.

Every number a client sends is bounded (ids and pages by `core.web.MAX_QUERY_INT`, years by
`core.dates`), every filter is one of its offered values, so bad input is a 422 or a 400 with
the usual error body, never a 500 (issue 8)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.db.models import TextChoices
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.params.functions import Path as PathParam

from linli.core import dates
from linli.core.api import QueryParam
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.permissions import Actor
from linli.core.web import MAX_QUERY_INT, actor_of, require_perm
from linli.party import selectors, services
from linli.party.choices import ActivityKind, Relation, Standing
from linli.party.models import CentralHousehold, Member, Office, Organisation
from linli.party.permissions import VIEW
from linli.party.selectors import Household

router = Router(tags=["party"])

Id = Annotated[int, Field(ge=1, le=MAX_QUERY_INT)]
MAX_NAMED = services.MAX_NAMED


def _id() -> Any:
    return QueryParam(None, ge=1, le=MAX_QUERY_INT)


def _page() -> Any:
    return QueryParam(1, ge=1, le=MAX_QUERY_INT)


def _page_size() -> Any:
    return QueryParam(50, ge=1, le=200)


def _path_id() -> Any:
    return PathParam(..., ge=1, le=MAX_QUERY_INT)


def _one_of(value: str, choices: type[TextChoices], field: str) -> str:
    """A filter is empty (no filter) or one of its offered values."""
    if value and value not in choices.values:
        raise DomainError(
            _("Choose one of the offered values."), code=CoreError.INVALID_CHOICE, field=field
        )
    return value


def _search(q: str) -> str:
    """A name search: printable text, the first 30 characters."""
    if any(ord(c) < 32 for c in q):
        raise DomainError(
            _("The text contains control characters that cannot be stored."),
            code=CoreError.INVALID_INPUT,
            field="q",
        )
    return q.strip()[:30]


def _community(actor: Actor, community_id: int | None) -> Any:
    community = selectors.community_for(actor, community_id)
    if community is None or (community_id and community.id != community_id):
        raise NotFound(_("Not found."))
    return community


class OfficeOut(Schema):
    id: int
    organisation_id: int
    role: str
    member: str
    member_id: UUID
    is_action_secretary: bool
    started_on: dt.date
    ended_on: dt.date | None

    @staticmethod
    def of(o: Office) -> OfficeOut:
        return OfficeOut(
            id=o.pk,
            organisation_id=o.organisation_id,
            role=o.role,
            member=o.member.display_name,
            member_id=o.member.public_id,
            is_action_secretary=o.is_action_secretary,
            started_on=o.started_on,
            ended_on=o.ended_on,
        )


class OrgOut(Schema):
    id: int
    kind: str
    name: str
    parent_id: int | None
    grid_id: int | None
    building_id: int | None
    theme: str
    members: int
    offices: list[OfficeOut]
    children: list[OrgOut] = []

    @staticmethod
    def of(node: selectors.OrgNode) -> OrgOut:
        o = node.org
        return OrgOut(
            id=o.pk,
            kind=o.kind,
            name=o.name,
            parent_id=o.parent_id,
            grid_id=o.grid_id,
            building_id=o.building_id,
            theme=o.theme,
            members=node.members,
            offices=[OfficeOut.of(x) for x in node.offices],
            children=[OrgOut.of(c) for c in node.children],
        )


class TreeOut(Schema):
    community_id: int
    community: str
    members: int
    probationary: int
    central_households: int
    committee: OrgOut | None
    grid_branches: list[OrgOut]
    themed_branches: list[OrgOut]


class MemberOut(Schema):
    public_id: UUID
    name: str
    organisation_id: int
    organisation: str
    joined_on: dt.date
    standing: str
    relation: str
    resident_id: UUID | None
    address: str
    grid: str
    non_resident_note: str

    @staticmethod
    def of(m: Member) -> MemberOut:
        r = m.resident
        return MemberOut(
            public_id=m.public_id,
            name=m.display_name,
            organisation_id=m.organisation_id,
            organisation=m.organisation.name,
            joined_on=m.joined_on,
            standing=m.standing,
            relation=m.relation,
            resident_id=r.public_id if r else None,
            address=r.household.address if r else "",
            grid=r.household.building.grid.name if r else "",
            non_resident_note=m.non_resident_note,
        )


class MemberPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MemberOut]


class TransferOut(Schema):
    kind: str
    on: dt.date
    from_organisation: str
    to_organisation: str
    external: str
    note: str


class MemberDetailOut(MemberOut):
    participation: int
    central_household_id: UUID | None
    offices: list[OfficeOut]
    transfers: list[TransferOut]


class HouseholdRef(Schema):
    public_id: UUID
    address: str


class CentralOut(Schema):
    public_id: UUID
    address: str
    household_id: UUID
    grid: str
    host: str
    host_id: UUID
    group: str
    started_on: dt.date
    member_count: int
    household_count: int

    @staticmethod
    def of(c: CentralHousehold, members: int, households: int) -> CentralOut:
        return CentralOut(
            public_id=c.public_id,
            address=c.household.address,
            household_id=c.household.public_id,
            grid=c.household.building.grid.name,
            host=c.host.display_name,
            host_id=c.host.public_id,
            group=c.group.name if c.group else "",
            started_on=c.started_on,
            member_count=members,
            household_count=households,
        )


class MemberRef(Schema):
    public_id: UUID
    name: str
    address: str


class CentralDetailOut(CentralOut):
    households: list[HouseholdRef]
    members: list[MemberRef]


class Suggestion(Schema):
    public_id: UUID
    label: str
    nearness: int


class SuggestionsOut(Schema):
    households: list[Suggestion]
    members: list[Suggestion]


class LinkIn(Schema):
    household_id: UUID | None = None
    member_id: UUID | None = None


class CoverageOut(Schema):
    community_id: int
    households: int
    households_linked: int
    households_unlinked: int
    members: int
    members_linked: int
    members_unlinked: int
    central_households: int
    weak_central_households: int
    min_members: int
    min_households: int


class PartyActivityOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    kind: str
    held_on: dt.date
    topic: str
    place: str
    present: int
    expected: int


class PartyActivityIn(Schema):
    organisation_id: Id
    kind: str
    held_on: dt.date
    topic: str
    place: str = ""
    notes: str = ""
    present: list[UUID] = Field(default=[], max_length=MAX_NAMED)
    excused: list[UUID] = Field(default=[], max_length=MAX_NAMED)


class OrganisationIn(Schema):
    """A new organisation of the tree (`kind`: committee, grid_branch, themed_branch,
    building_group). The community is the parent's; a committee names its community."""

    kind: str
    name: str
    community_id: Id | None = None
    parent_id: Id | None = None
    grid_id: Id | None = None
    building_id: Id | None = None
    theme: str = ""
    description: str = ""


class OfficeIn(Schema):
    member_id: UUID
    role: str
    started_on: dt.date | None = None
    is_action_secretary: bool = False


class OfficeEndIn(Schema):
    ended_on: dt.date | None = None


def _member_ref(m: Member) -> MemberRef:
    return MemberRef(
        public_id=m.public_id,
        name=m.display_name,
        address=m.resident.household.address if m.resident else "",
    )


def _household_ref(h: Household) -> HouseholdRef:
    return HouseholdRef(public_id=h.public_id, address=h.address)


@router.get("/tree", response=TreeOut)
def tree(request: HttpRequest, community_id: int | None = _id()) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    community = _community(actor, community_id)
    t = selectors.org_tree(actor, community)
    return TreeOut(
        community_id=community.id,
        community=community.name,
        members=t.members,
        probationary=t.probationary,
        central_households=t.central_households,
        committee=OrgOut.of(t.committee) if t.committee else None,
        grid_branches=[OrgOut.of(n) for n in t.grid_branches],
        themed_branches=[OrgOut.of(n) for n in t.themed_branches],
    )


def _org_out(actor: Actor, org: Organisation) -> OrgOut:
    node = selectors.OrgNode(
        org=org,
        members=selectors.member_list(
            actor, selectors.MemberFilters(organisation_id=org.pk)
        ).count(),
        offices=list(selectors.active_offices(actor, [org.pk])),
    )
    node.children = [
        selectors.OrgNode(org=c, members=c.member_count)  # type: ignore[attr-defined]
        for c in selectors.organisation_children(actor, org)
    ]
    return OrgOut.of(node)


@router.get("/organisations/{org_id}", response=OrgOut)
def organisation(request: HttpRequest, org_id: int = _path_id()) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return _org_out(actor, selectors.organisation_get(actor, org_id))


@router.post("/organisations", response={201: OrgOut})
def organisation_create(request: HttpRequest, body: OrganisationIn) -> Any:
    """Add an organisation to the tree (admins and Party organisers of the community)."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    community_id = body.community_id
    if body.parent_id is not None:
        parent = selectors.organisation_get(actor, body.parent_id)
        if community_id not in (None, parent.community_id):
            raise NotFound(_("Not found."))
        community_id = parent.community_id
    if community_id is None:
        raise DomainError(
            _("Choose the parent organisation."), code=CoreError.REQUIRED, field="parent_id"
        )
    org = services.organisation_create(actor=actor, **{**body.dict(), "community_id": community_id})
    return Status(201, _org_out(actor, selectors.organisation_get(actor, org.pk)))


@router.post("/organisations/{org_id}/offices", response={201: OfficeOut})
def office_assign(request: HttpRequest, body: OfficeIn, org_id: int = _path_id()) -> Any:
    """Give a member an office in the organisation (one secretary at a time)."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    office = services.office_assign(
        actor=actor,
        organisation_id=org_id,
        member_public_id=body.member_id,
        role=body.role,
        started_on=body.started_on,
        is_action_secretary=body.is_action_secretary,
    )
    return Status(201, OfficeOut.of(office))


@router.post("/offices/{office_id}/end", response=OfficeOut)
def office_end(request: HttpRequest, body: OfficeEndIn, office_id: int = _path_id()) -> Any:
    """End an office (today unless `ended_on` says otherwise)."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return OfficeOut.of(
        services.office_end(actor=actor, office_id=office_id, ended_on=body.ended_on)
    )


@router.get("/members", response=MemberPage)
def members(
    request: HttpRequest,
    community_id: int | None = _id(),
    organisation_id: int | None = _id(),
    grid_id: int | None = _id(),
    standing: str = "",
    relation: str = Relation.ACTIVE.value,
    q: str = QueryParam("", max_length=100),
    page: int = _page(),
    page_size: int = _page_size(),
) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    qs = selectors.member_list(
        actor,
        selectors.MemberFilters(
            community_id=community_id,
            organisation_id=organisation_id,
            grid_id=grid_id,
            standing=_one_of(standing, Standing, "standing"),
            relation=_one_of(relation, Relation, "relation"),
            q=_search(q),
        ),
    )
    start = (page - 1) * page_size
    return MemberPage(
        count=qs.count(),
        page=page,
        page_size=page_size,
        results=[MemberOut.of(m) for m in qs[start : start + page_size]],
    )


@router.get("/members/{public_id}", response=MemberDetailOut)
def member(request: HttpRequest, public_id: UUID) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    m = selectors.member_get(actor, public_id)
    central = selectors.member_central(actor, m)
    base = MemberOut.of(m).dict()
    return MemberDetailOut(
        **base,
        participation=selectors.member_participation(actor, m),
        central_household_id=central.public_id if central else None,
        offices=[
            OfficeOut.of(o)
            for o in selectors.member_offices(actor, m).select_related("member__resident")
        ],
        transfers=[
            TransferOut(
                kind=t.kind,
                on=t.on,
                from_organisation=t.from_organisation.name if t.from_organisation else "",
                to_organisation=t.to_organisation.name if t.to_organisation else "",
                external=t.external,
                note=t.note,
            )
            for t in selectors.member_transfers(actor, m)
        ],
    )


@router.get("/central-households", response=list[CentralOut])
def central_households(request: HttpRequest, community_id: int | None = _id()) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    community = _community(actor, community_id)
    return [
        CentralOut.of(c, c.member_count, c.household_count)  # type: ignore[attr-defined]
        for c in selectors.central_list(actor, community.id)
    ]


def _central_detail(actor: Actor, public_id: UUID) -> CentralDetailOut:
    c = selectors.central_get(actor, public_id)
    households = [link.household for link in selectors.central_households_linked(actor, c)]
    linked = [link.member for link in selectors.central_members_linked(actor, c)]
    return CentralDetailOut(
        **CentralOut.of(c, len(linked), len(households)).dict(),
        households=[_household_ref(h) for h in households],
        members=[_member_ref(m) for m in linked],
    )


@router.get("/central-households/{public_id}", response=CentralDetailOut)
def central_household(request: HttpRequest, public_id: UUID) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return _central_detail(actor, public_id)


@router.get("/central-households/{public_id}/suggestions", response=SuggestionsOut)
def suggestions(
    request: HttpRequest, public_id: UUID, limit: int = QueryParam(20, ge=1, le=100)
) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    c = selectors.central_get(actor, public_id)
    return SuggestionsOut(
        households=[
            Suggestion(public_id=h.public_id, label=h.address, nearness=h.nearness)  # type: ignore[attr-defined]
            for h in selectors.suggest_households(actor, c, limit)
        ],
        members=[
            Suggestion(public_id=m.public_id, label=m.display_name, nearness=m.nearness)  # type: ignore[attr-defined]
            for m in selectors.suggest_members(actor, c, limit)
        ],
    )


@router.post("/central-households/{public_id}/links", response={201: CentralDetailOut})
def link(request: HttpRequest, public_id: UUID, body: LinkIn) -> Any:
    """Link a household (`household_id`) and/or a member (`member_id`)."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    _link_target(body)
    if body.household_id:
        services.central_link_household(
            actor=actor, central_public_id=public_id, household_public_id=body.household_id
        )
    if body.member_id:
        services.central_link_member(
            actor=actor, central_public_id=public_id, member_public_id=body.member_id
        )
    return Status(201, _central_detail(actor, public_id))


@router.post("/central-households/{public_id}/unlink", response=CentralDetailOut)
def unlink(request: HttpRequest, public_id: UUID, body: LinkIn) -> Any:
    """End the link of a household (`household_id`) and/or a member (`member_id`)."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    _link_target(body)
    if body.household_id:
        services.central_unlink_household(
            actor=actor, central_public_id=public_id, household_public_id=body.household_id
        )
    if body.member_id:
        services.central_unlink_member(
            actor=actor, central_public_id=public_id, member_public_id=body.member_id
        )
    return _central_detail(actor, public_id)


def _link_target(body: LinkIn) -> None:
    if not (body.household_id or body.member_id):
        raise DomainError(
            _("Name the household or the member."), code=CoreError.REQUIRED, field="household_id"
        )


@router.get("/coverage", response=CoverageOut)
def coverage(request: HttpRequest, community_id: int | None = _id()) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    community = _community(actor, community_id)
    f = selectors.coverage(actor, community.id)
    return CoverageOut(
        community_id=community.id,
        households=f.households,
        households_linked=f.households_linked,
        households_unlinked=f.households_unlinked,
        members=f.members,
        members_linked=f.members_linked,
        members_unlinked=f.members_unlinked,
        central_households=f.central_households,
        weak_central_households=f.weak_central_households,
        min_members=selectors.MIN_MEMBERS,
        min_households=selectors.MIN_HOUSEHOLDS,
    )


def _activity_out(a: Any) -> PartyActivityOut:
    return PartyActivityOut(
        id=a.pk,
        organisation_id=a.organisation_id,
        organisation=a.organisation.name,
        kind=a.kind,
        held_on=a.held_on,
        topic=a.topic,
        place=a.place,
        present=a.present,
        expected=a.expected,
    )


@router.get("/activities", response=list[PartyActivityOut])
def activities(
    request: HttpRequest,
    community_id: int | None = _id(),
    organisation_id: int | None = _id(),
    kind: str = "",
    year: int | None = QueryParam(None, ge=dates.MIN_YEAR, le=dates.MAX_YEAR),
    page: int = _page(),
    page_size: int = _page_size(),
) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    qs = selectors.activity_list(
        actor,
        selectors.ActivityFilters(
            community_id=community_id,
            organisation_id=organisation_id,
            kind=_one_of(kind, ActivityKind, "kind"),
            year=year,
        ),
    )
    start = (page - 1) * page_size
    return [_activity_out(a) for a in qs[start : start + page_size]]


@router.post("/activities", response={201: PartyActivityOut})
def activity_create(request: HttpRequest, body: PartyActivityIn) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    created = services.activity_create(actor=actor, **body.dict())
    listed = selectors.activity_list(actor, selectors.ActivityFilters()).get(pk=created.pk)
    return Status(201, _activity_out(listed))
