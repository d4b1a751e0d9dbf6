"""A small Party organisation on top of the shared `world`: the committee, a branch for each
of grids A and B, a building group for building A, a themed branch, members for the world's
residents (plus one who does not live here), offices, and a central household at A1 hosted
by A1's head. A second community has a committee and one member, for scope tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from linli.accounts.models import RoleAssignment, User
from linli.conftest import World
from linli.core.roles import Role
from linli.party.choices import OfficeRole, OrgKind, Standing, Theme
from linli.party.models import CentralHousehold, Member, Office, Organisation


@dataclass
class Party:
    committee: Organisation
    branch_a: Organisation
    branch_b: Organisation
    group_a: Organisation
    themed: Organisation
    other_committee: Organisation
    m_a1: Member  # head of A1: secretary of branch A, host of the central household
    m_a2: Member  # lives in A2 (same unit as A1), probationary
    m_b1: Member  # lives in B1 (grid B): secretary of branch B
    outsider: Member  # not a resident
    other_member: Member  # of the second community
    central: CentralHousehold
    secretary_user: User


def _org(world: World, kind: str, name: str, **kw: Any) -> Organisation:
    kw.setdefault("community", world.community)
    return Organisation.objects.create(kind=kind, name=name, **kw)


@pytest.fixture
def party(world: World) -> Party:
    since = dt.date(2020, 1, 1)
    committee = _org(world, OrgKind.COMMITTEE, "社区党委")
    branch_a = _org(
        world, OrgKind.GRID_BRANCH, "第一网格党支部", parent=committee, grid=world.grid_a
    )
    branch_b = _org(
        world, OrgKind.GRID_BRANCH, "第二网格党支部", parent=committee, grid=world.grid_b
    )
    group_a = _org(
        world,
        OrgKind.BUILDING_GROUP,
        "12号楼党小组",
        parent=branch_a,
        grid=world.grid_a,
        building=world.building_a,
    )
    themed = _org(
        world, OrgKind.THEMED_BRANCH, "志缘党支部", parent=committee, theme=Theme.ASPIRATION
    )
    other_committee = _org(
        world, OrgKind.COMMITTEE, "文汇社区党委", community=world.other_community
    )

    def member(org: Organisation, resident=None, name="", standing=Standing.FULL) -> Member:
        return Member.objects.create(
            community=org.community,
            organisation=org,
            resident=resident,
            name=name,
            non_resident_note="在外地工作" if name else "",
            joined_on=dt.date(2001, 7, 1),
            standing=standing,
        )

    m_a1 = member(branch_a, world.resident_a1)
    m_a2 = member(branch_a, world.resident_a2, standing=Standing.PROBATIONARY)
    m_b1 = member(branch_b, world.resident_b1)
    outsider = member(themed, name="钱多多")
    other_member = member(other_committee, world.other_resident)
    secretary_user = User.objects.create_user(
        username="secretary", password="x", display_name="孙书记", work_phone="0514-80000001"
    )
    RoleAssignment.objects.create(
        user=secretary_user, role=Role.COMMUNITY_ADMIN, community=world.community
    )
    outsider.account = secretary_user
    outsider.save()
    Office.objects.create(
        organisation=committee, member=outsider, role=OfficeRole.SECRETARY, started_on=since
    )
    Office.objects.create(
        organisation=branch_a,
        member=m_a1,
        role=OfficeRole.SECRETARY,
        is_action_secretary=True,
        started_on=since,
    )
    Office.objects.create(
        organisation=branch_b, member=m_b1, role=OfficeRole.SECRETARY, started_on=since
    )
    Office.objects.create(
        organisation=group_a, member=m_a2, role=OfficeRole.GROUP_LEADER, started_on=since
    )
    central = CentralHousehold.objects.create(
        community=world.community,
        household=world.household_a1,
        host=m_a1,
        group=group_a,
        started_on=since,
    )
    return Party(
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
        secretary_user=secretary_user,
    )
