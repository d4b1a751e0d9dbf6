"""The test world: a community with two grids (and a second community for scope tests), five
residents, and a persona for every role.

Personas (DESIGN.md "Tests"): `admin` (community admin), `worker_a` / `worker_b` (grid workers of
grid A / grid B), `organiser`, `care`, `volunteer`, `resident_user` (the head of household A1),
`viewer` (subdistrict viewer), `other_admin` (admin of the second community), `district`
(district viewer), `carer` (day-care carer), `lead` (doorstep-jobs team lead), `trainer` (training
base staff) and `service` (service centre staff). The persona walk
adds `anonymous` (nobody signed in). `linli/conftest.py` exposes all of them as fixtures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from linli.accounts.models import RoleAssignment, User
from linli.core import pii
from linli.core.roles import Role
from linli.registry.models import Building, Community, Grid, Household, Resident, Unit
from linli.testing.factories import (
    BuildingFactory,
    CommunityFactory,
    GridFactory,
    HouseholdFactory,
    ResidentFactory,
    UnitFactory,
    make_citizen_id,
)

PASSWORD: Final = "test-pass-2026"

PERSONAS: Final = (
    "admin",
    "worker_a",
    "worker_b",
    "organiser",
    "care",
    "volunteer",
    "resident_user",
    "viewer",
    "other_admin",
    "district",
    "carer",
    "lead",
    "trainer",
    "service",
)
ANONYMOUS: Final = "anonymous"
# Personas of the roles added for the later domains (issues 10-14): the domains that existed
# before them grant these roles nothing, so their walk cases expect a 404 for them.
LATER_PERSONAS: Final = ("district", "carer", "lead", "trainer", "service")


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

    def residents(self) -> dict[str, Resident]:
        """The world's residents by key (the keys `plain_values` and `allowed=` use)."""
        return {
            "a1": self.resident_a1,
            "a1_child": self.resident_a1_child,
            "a2": self.resident_a2,
            "b1": self.resident_b1,
            "other": self.other_resident,
        }


# The world's people: key → (name, birth date, ID serial, male, phone, relation). Their plain
# ID numbers and phones are what `linli.testing.pii` scans answers for.
PEOPLE: Final = {
    "a1": ("张晓", dt.date(1958, 3, 21), 1, True, "13800000001", "head"),
    "a1_child": ("张小明", dt.date(1990, 6, 2), 2, True, "13800000002", "child"),
    "a2": ("李芳", dt.date(1942, 1, 9), 3, False, "13800000003", "head"),
    "b1": ("王建国", dt.date(1970, 11, 30), 4, True, "13900000001", "head"),
    "other": ("赵敏", dt.date(1985, 8, 8), 5, False, "13700000001", "head"),
}


def _resident(household: Household, key: str) -> Resident:
    name, birth, serial, male, phone, relation = PEOPLE[key]
    return ResidentFactory.create(
        household=household,
        name=name,
        birth_date=birth,
        gender="M" if male else "F",
        relation=relation,
        citizen_id=make_citizen_id(birth, serial, male),
        phone=phone,
    )


def build_world() -> World:
    """Create the world's places and residents (in the current test database)."""
    community = CommunityFactory.create(name="文昌花园社区", code="wenchang")
    other = CommunityFactory.create(name="文汇社区", code="wenhui")
    grid_a = GridFactory.create(community=community, number=1, name="第一网格")
    grid_b = GridFactory.create(community=community, number=2, name="第二网格")
    other_grid = GridFactory.create(community=other, number=1, name="文汇一网格")
    building_a = BuildingFactory.create(grid=grid_a, number="12")
    building_b = BuildingFactory.create(grid=grid_b, number="20")
    other_building = BuildingFactory.create(grid=other_grid, number="1")
    unit_a = UnitFactory.create(building=building_a, number=2)
    unit_b = UnitFactory.create(building=building_b, number=1)
    other_unit = UnitFactory.create(building=other_building, number=1)
    h_a1 = HouseholdFactory.create(unit=unit_a, room="301")
    h_a2 = HouseholdFactory.create(unit=unit_a, room="302")
    h_b1 = HouseholdFactory.create(unit=unit_b, room="101")
    h_other = HouseholdFactory.create(unit=other_unit, room="201")
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
        resident_a1=_resident(h_a1, "a1"),
        resident_a1_child=_resident(h_a1, "a1_child"),
        resident_a2=_resident(h_a2, "a2"),
        resident_b1=_resident(h_b1, "b1"),
        other_resident=_resident(h_other, "other"),
    )


def _staff(username: str, role: str, **scope: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, display_name=username)
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def _resident_user(world: World) -> User:
    user = User.objects.create_user(
        username="resident",
        password=PASSWORD,
        display_name="张晓",
        resident=world.resident_a1,
        phone_hash=pii.lookup_hash("phone", PEOPLE["a1"][4]),
    )
    RoleAssignment.objects.create(
        user=user, role=Role.RESIDENT, household=world.household_a1, community=world.community
    )
    return user


PERSONA_BUILDERS: Final[dict[str, Callable[[World], User]]] = {
    "admin": lambda w: _staff("admin", Role.COMMUNITY_ADMIN, community=w.community),
    "worker_a": lambda w: _staff(
        "worker_a", Role.GRID_WORKER, community=w.community, grid=w.grid_a
    ),
    "worker_b": lambda w: _staff(
        "worker_b", Role.GRID_WORKER, community=w.community, grid=w.grid_b
    ),
    "organiser": lambda w: _staff("organiser", Role.PARTY_ORGANISER, community=w.community),
    "care": lambda w: _staff("care", Role.CARE_WORKER, community=w.community),
    "volunteer": lambda w: _staff("volunteer", Role.VOLUNTEER, community=w.community),
    "resident_user": _resident_user,
    "viewer": lambda w: _staff(
        "viewer", Role.SUBDISTRICT_VIEWER, subdistrict="曲江街道", district="广陵区"
    ),
    "other_admin": lambda w: _staff(
        "other_admin", Role.COMMUNITY_ADMIN, community=w.other_community
    ),
    "district": lambda w: _staff("district", Role.DISTRICT_VIEWER, district="广陵区"),
    "carer": lambda w: _staff("carer", Role.NURSERY_CARER, community=w.community),
    "lead": lambda w: _staff("lead", Role.JOBS_LEAD, community=w.community),
    "trainer": lambda w: _staff("trainer", Role.TRAINING_STAFF, community=w.community),
    "service": lambda w: _staff("service", Role.SERVICE_STAFF, community=w.community),
}


def make_persona(name: str, world: World) -> User:
    """Create the persona `name` (one of PERSONAS) in `world`."""
    return PERSONA_BUILDERS[name](world)
