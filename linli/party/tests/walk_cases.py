"""The Party pages and API in the persona walk (`linli.testing.walk`): who reads which
organisation, member, central household and activity; who may change and print."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from linli.accounts.models import RoleAssignment, User
from linli.core.roles import Role
from linli.party import services
from linli.party.choices import OfficeRole, OrgKind, Standing, Theme
from linli.party.models import CentralHousehold, Member, Office, Organisation
from linli.testing.walk import Case, Scene, Visit, sees
from linli.testing.world import LATER_PERSONAS, PERSONAS

NOBODY = {"care", "volunteer", "resident_user", *LATER_PERSONAS}
READERS = tuple(p for p in PERSONAS if p not in NOBODY)
CHANGES = ("admin", "organiser")
PRINTS = ("admin", "organiser", "worker_a", "worker_b", "other_admin")
EXPORTS = ("admin", "organiser", "viewer", "other_admin")
WENCHANG = {
    "committee", "branch_a", "branch_b", "group_a", "themed",
    "m_a1", "m_a2", "m_b1", "outsider", "central", "activity",
}  # fmt: skip
# Which objects of the scene each persona may read.
VISIBLE: dict[str, set[str]] = {
    "admin": WENCHANG,
    "organiser": WENCHANG,
    "viewer": WENCHANG | {"other_committee", "other_member"},
    "worker_a": {"branch_a", "group_a", "m_a1", "m_a2", "central", "activity"},
    "worker_b": {"branch_b", "m_b1"},
    "other_admin": {"other_committee", "other_member"},
}
ORGANISATIONS = ("committee", "branch_a", "branch_b", "group_a", "themed", "other_committee")
MEMBERS = ("m_a1", "m_a2", "m_b1", "outsider", "other_member")


def build(scene: Scene) -> Any:
    """The committee, a branch for each of grids A and B, a building group, a themed branch,
    members for the world's residents (and one who lives elsewhere), offices, a central
    household at A1, an activity of branch A; a second community's committee and member."""
    world = scene.world
    since = dt.date(2020, 1, 1)

    def org(kind: str, name: str, **kw: Any) -> Organisation:
        kw.setdefault("community", world.community)
        return Organisation.objects.create(kind=kind, name=name, **kw)

    committee = org(OrgKind.COMMITTEE, "社区党委")
    branch_a = org(OrgKind.GRID_BRANCH, "第一网格党支部", parent=committee, grid=world.grid_a)
    branch_b = org(OrgKind.GRID_BRANCH, "第二网格党支部", parent=committee, grid=world.grid_b)
    group_a = org(
        OrgKind.BUILDING_GROUP,
        "12号楼党小组",
        parent=branch_a,
        grid=world.grid_a,
        building=world.building_a,
    )
    themed = org(OrgKind.THEMED_BRANCH, "志缘党支部", parent=committee, theme=Theme.ASPIRATION)
    other_committee = org(OrgKind.COMMITTEE, "文汇社区党委", community=world.other_community)

    def new_member(o: Organisation, resident: Any = None, name: str = "", **kw: Any) -> Member:
        return Member.objects.create(
            community=o.community,
            organisation=o,
            resident=resident,
            name=name,
            non_resident_note="在外地工作" if name else "",
            joined_on=dt.date(2001, 7, 1),
            **kw,
        )

    m_a1 = new_member(branch_a, world.resident_a1)
    m_a2 = new_member(branch_a, world.resident_a2, standing=Standing.PROBATIONARY)
    m_b1 = new_member(branch_b, world.resident_b1)
    outsider = new_member(themed, name="钱多多")
    other_member = new_member(other_committee, world.other_resident)
    secretary = User.objects.create_user(
        username="secretary", password="x", display_name="孙书记", work_phone="0514-80000001"
    )
    RoleAssignment.objects.create(
        user=secretary, role=Role.COMMUNITY_ADMIN, community=world.community
    )
    outsider.account = secretary
    outsider.save()
    offices = [
        Office.objects.create(organisation=o, member=m, role=role, started_on=since)
        for o, m, role in (
            (committee, outsider, OfficeRole.SECRETARY),
            (branch_a, m_a1, OfficeRole.SECRETARY),
            (branch_b, m_b1, OfficeRole.SECRETARY),
            (group_a, m_a2, OfficeRole.GROUP_LEADER),
        )
    ]
    central = CentralHousehold.objects.create(
        community=world.community,
        household=world.household_a1,
        host=m_a1,
        group=group_a,
        started_on=since,
    )
    activity = services.activity_create(
        actor=scene.actor("organiser"),
        organisation_id=branch_a.pk,
        kind="theme_day",
        held_on=dt.date(2025, 4, 1),
        topic="主题党日",
        present=[m_a1.public_id],
    )
    return SimpleNamespace(
        committee=committee,
        branch_a=branch_a,
        branch_b=branch_b,
        group_a=group_a,
        themed=themed,
        other_committee=other_committee,
        m_a1=m_a1,
        m_a2=m_a2,
        m_b1=m_b1,
        outsider=outsider,
        other_member=other_member,
        central=central,
        activity=activity,
        office_a=offices[1],
    )


def who_reads(key: str) -> tuple[str, ...]:
    return tuple(p for p, keys in VISIBLE.items() if key in keys)


def organisation(key: str) -> Any:
    return lambda s: {"org_id": getattr(s.party, key).pk}


def member(key: str) -> Any:
    return lambda s: {"public_id": getattr(s.party, key).public_id}


def per_organisation() -> list[Case]:
    return [Case(organisation(k), label=k, expect=sees(*who_reads(k))) for k in ORGANISATIONS]


def per_member() -> list[Case]:
    return [Case(member(k), label=k, expect=sees(*who_reads(k))) for k in MEMBERS]


def central_link(what: str) -> Any:
    return lambda s: {"public_id": s.party.central.public_id, "what": what}


def lists_the_visible_members(visit: Visit) -> None:
    names = {m["name"] for m in visit.json()["results"]}
    want = {
        getattr(visit.scene.party, k).display_name
        for k in VISIBLE.get(visit.persona, set())
        if k in MEMBERS
    }
    assert names == want, (sorted(names), sorted(want))


central = lambda s: {"public_id": s.party.central.public_id}  # noqa: E731
branch_a = lambda s: {"org_id": s.party.branch_a.pk}  # noqa: E731
m_a1 = lambda s: {"public_id": s.party.m_a1.public_id}  # noqa: E731
office_a = lambda s: {"office_id": s.party.office_a.pk}  # noqa: E731
reads = sees(*READERS)

CASES = {
    "party:home": Case(expect=reads),
    "party:members": Case(expect=reads),
    "party:centrals": Case(expect=reads),
    "party:coverage": Case(expect=reads),
    "party:organisation": per_organisation(),
    "party:member": per_member(),
    "party:central": Case(central, expect=sees(*who_reads("central"))),
    "party:central_link": [
        Case(central_link(w), label=w, write=True)
        for w in ("household", "member", "unlink-household", "unlink-member", "nothing")
    ],
    "party:activity": Case(
        lambda s: {"activity_id": s.party.activity.pk}, expect=sees(*who_reads("activity"))
    ),
    "party:activity_export": Case(expect=sees(*EXPORTS)),
    "party:member_new": Case(branch_a, expect=sees(*CHANGES)),
    "party:activity_new": Case(branch_a, expect=sees(*CHANGES)),
    "party:member_move": Case(m_a1, expect=sees(*CHANGES)),
    "party:member_transfer_out": Case(m_a1, expect=sees(*CHANGES)),
    "party:member_transfer_in": Case(m_a1),
    "party:member_confirm": Case(lambda s: {"public_id": s.party.m_a2.public_id}),
    "party:cards": Case(expect=sees(*PRINTS)),
    "party:office_new": Case(branch_a, expect=sees(*CHANGES)),
    "party:office_end": Case(office_a, expect=sees(*CHANGES)),
    "party:card": [
        Case(
            lambda s: {"public_id": s.world.household_a1.public_id},
            label="a1",
            expect=sees("admin", "organiser", "worker_a"),
        ),
        Case(
            lambda s: {"public_id": s.world.household_b1.public_id},
            label="b1",
            expect=sees("admin", "organiser", "worker_b"),
        ),
    ],
    # The API
    "/api/party/tree": Case(expect=reads),
    "/api/party/coverage": Case(expect=reads),
    "/api/party/members": Case(
        query="page_size=200", expect=reads, check=lists_the_visible_members
    ),
    "/api/party/activities": Case(expect=reads),
    "/api/party/central-households": Case(expect=reads),
    "/api/party/organisations/{org_id}": per_organisation(),
    "/api/party/members/{public_id}": per_member(),
    "/api/party/central-households/{public_id}": Case(central, expect=sees(*who_reads("central"))),
    "/api/party/central-households/{public_id}/suggestions": Case(
        central, expect=sees(*who_reads("central"))
    ),
    "/api/party/central-households/{public_id}/links": Case(central),
    "/api/party/central-households/{public_id}/unlink": Case(central),
    "/api/party/organisations/{org_id}/offices": Case(branch_a),
    "/api/party/offices/{office_id}/end": Case(office_a),
}
