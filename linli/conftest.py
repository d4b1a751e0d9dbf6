"""Shared fixtures: a small community with two grids and personas for every role.

Personas (DESIGN.md "Tests"): `admin` (community admin), `worker_a` / `worker_b` (grid workers
of grid A / grid B), `organiser`, `care`, `volunteer`, `resident_user` (a resident of household
A1), `viewer` (subdistrict viewer), and `other_admin` (admin of a second community). Use
`actor_of(user)` to get the engine's Actor and `client_for(user)` for a signed-in test client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from linli.accounts.models import RoleAssignment, User
from linli.accounts.selectors import actor_for_user
from linli.core.permissions import Actor
from linli.core.roles import Role
from linli.registry.models import Building, Community, Grid, Household, Residency, Resident, Unit
from linli.registry.services import ResidentData
from linli.registry.validators import id_check_char

PASSWORD = "test-pass-2026"


def make_citizen_id(birth: dt.date, serial: int, male: bool, region: str = "321002") -> str:
    """A valid GB 11643 number for tests."""
    seq = f"{serial % 100:02d}{(serial % 5) * 2 + (1 if male else 0)}"
    first17 = f"{region}{birth:%Y%m%d}{seq}"
    return first17 + id_check_char(first17)


@dataclass
class World:
    community: Community
    other_community: Community
    grid_a: Grid
    grid_b: Grid
    building_a: Building
    building_b: Building
    unit_a: Unit
    unit_b: Unit
    household_a1: Household
    household_a2: Household
    household_b1: Household
    resident_a1: Resident  # head of household A1, phone 13800000001
    resident_a1_child: Resident
    resident_a2: Resident
    resident_b1: Resident  # head of household B1, phone 13900000001
    other_resident: Resident


def _resident(
    household: Household,
    name: str,
    birth: dt.date,
    serial: int,
    male: bool,
    phone: str,
    relation: str = "head",
) -> Resident:
    data = ResidentData(
        name=name,
        gender="M" if male else "F",
        birth_date=birth,
        relation=relation,
        citizen_id=make_citizen_id(birth, serial, male),
        phone=phone,
    )
    resident = Resident.objects.create(
        community_id=household.community_id, household=household, **data.model_fields()
    )
    Residency.objects.create(
        resident=resident,
        household=household,
        moved_in=dt.date(2006, 5, 1),
        move_in_reason="resettlement",
    )
    return resident


def _household(unit: Unit, room: str) -> Household:
    return Household.objects.create(
        community_id=unit.building.community_id,
        building=unit.building,
        unit=unit,
        room=room,
        floor=int(room[:-2]),
        area_m2="88.50",
        tenure="owner",
    )


@pytest.fixture
def world(db: None) -> World:
    community = Community.objects.create(
        name="文昌花园社区",
        code="wenchang",
        subdistrict="曲江街道",
        district="广陵区",
        city="扬州市",
    )
    other = Community.objects.create(
        name="文汇社区", code="wenhui", subdistrict="曲江街道", district="广陵区", city="扬州市"
    )
    grid_a = Grid.objects.create(community=community, number=1, name="第一网格")
    grid_b = Grid.objects.create(community=community, number=2, name="第二网格")
    other_grid = Grid.objects.create(community=other, number=1, name="文汇一网格")
    building_a = Building.objects.create(community=community, grid=grid_a, number="12", floors=6)
    building_b = Building.objects.create(community=community, grid=grid_b, number="20", floors=6)
    other_building = Building.objects.create(community=other, grid=other_grid, number="1", floors=6)
    unit_a = Unit.objects.create(building=building_a, number=2)
    unit_b = Unit.objects.create(building=building_b, number=1)
    other_unit = Unit.objects.create(building=other_building, number=1)
    h_a1 = _household(unit_a, "301")
    h_a2 = _household(unit_a, "302")
    h_b1 = _household(unit_b, "101")
    h_other = _household(other_unit, "201")
    return World(
        community=community,
        other_community=other,
        grid_a=grid_a,
        grid_b=grid_b,
        building_a=building_a,
        building_b=building_b,
        unit_a=unit_a,
        unit_b=unit_b,
        household_a1=h_a1,
        household_a2=h_a2,
        household_b1=h_b1,
        resident_a1=_resident(h_a1, "张晓", dt.date(1958, 3, 21), 1, True, "13800000001"),
        resident_a1_child=_resident(
            h_a1, "张小明", dt.date(1990, 6, 2), 2, True, "13800000002", relation="child"
        ),
        resident_a2=_resident(h_a2, "李芳", dt.date(1942, 1, 9), 3, False, "13800000003"),
        resident_b1=_resident(h_b1, "王建国", dt.date(1970, 11, 30), 4, True, "13900000001"),
        other_resident=_resident(h_other, "赵敏", dt.date(1985, 8, 8), 5, False, "13700000001"),
    )


def _user(username: str, role: str, **scope: object) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    RoleAssignment.objects.create(user=user, role=role, **scope)  # type: ignore[misc]
    return user


@pytest.fixture
def admin(world: World) -> User:
    return _user("admin", Role.COMMUNITY_ADMIN, community=world.community)


@pytest.fixture
def other_admin(world: World) -> User:
    return _user("other_admin", Role.COMMUNITY_ADMIN, community=world.other_community)


@pytest.fixture
def worker_a(world: World) -> User:
    return _user("worker_a", Role.GRID_WORKER, community=world.community, grid=world.grid_a)


@pytest.fixture
def worker_b(world: World) -> User:
    return _user("worker_b", Role.GRID_WORKER, community=world.community, grid=world.grid_b)


@pytest.fixture
def organiser(world: World) -> User:
    return _user("organiser", Role.PARTY_ORGANISER, community=world.community)


@pytest.fixture
def care(world: World) -> User:
    return _user("care", Role.CARE_WORKER, community=world.community)


@pytest.fixture
def volunteer(world: World) -> User:
    return _user("volunteer", Role.VOLUNTEER, community=world.community)


@pytest.fixture
def viewer(world: World) -> User:
    return _user("viewer", Role.SUBDISTRICT_VIEWER, subdistrict="曲江街道", district="广陵区")


@pytest.fixture
def resident_user(world: World) -> User:
    from linli.core import pii

    user = User.objects.create_user(
        username="resident",
        password=PASSWORD,
        display_name="张晓",
        resident=world.resident_a1,
        phone_hash=pii.lookup_hash("phone", "13800000001"),
    )
    RoleAssignment.objects.create(
        user=user, role=Role.RESIDENT, household=world.household_a1, community=world.community
    )
    return user


@pytest.fixture
def actor_of() -> Callable[[User], Actor]:
    return actor_for_user


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def english(settings: Any) -> Iterator[None]:
    """Run a test in English (the default is zh-Hans) for tests that read message text."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
