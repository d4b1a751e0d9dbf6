# mypy: disallow-untyped-calls=False, disallow-untyped-decorators=False
"""factory_boy factories for the registry's main objects (DESIGN.md "Tests").

Each factory builds a consistent chain upwards (a resident's household, unit, building, grid and
community), so `ResidentFactory()` alone makes a whole address; pass the parent you already
have to place the new object inside it. Residents get a valid GB 11643 citizen ID (encrypted,
hashed and masked exactly as the registry stores it) and an open residency.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from factory.declarations import LazyAttribute, SelfAttribute, Sequence, SubFactory
from factory.django import DjangoModelFactory
from factory.faker import Faker
from factory.helpers import post_generation

from linli.core import pii
from linli.registry.models import Building, Community, Grid, Household, Residency, Resident, Unit
from linli.registry.names import pinyin_forms
from linli.registry.validators import id_check_char


def make_citizen_id(birth: dt.date, serial: int, male: bool, region: str = "321002") -> str:
    """A valid GB 11643 number: region, birth date, a sequence whose last digit is odd for a
    man and even for a woman, and the check character."""
    seq = f"{serial % 100:02d}{(serial % 5) * 2 + (1 if male else 0)}"
    first17 = f"{region}{birth:%Y%m%d}{seq}"
    return first17 + id_check_char(first17)


class CommunityFactory(DjangoModelFactory[Community]):
    class Meta:
        model = Community

    name = Sequence(lambda n: f"测试{n}社区")
    code = Sequence(lambda n: f"community-{n}")
    subdistrict = "曲江街道"
    district = "广陵区"
    city = "扬州市"


class GridFactory(DjangoModelFactory[Grid]):
    class Meta:
        model = Grid

    community = SubFactory(CommunityFactory)
    number = Sequence(lambda n: n + 1)
    name = LazyAttribute(lambda o: f"第{o.number}网格")


class BuildingFactory(DjangoModelFactory[Building]):
    class Meta:
        model = Building

    grid = SubFactory(GridFactory)
    community = SelfAttribute("grid.community")
    number = Sequence(lambda n: str(n + 1))
    floors = 6


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    building = SubFactory(BuildingFactory)
    number = Sequence(lambda n: n % 6 + 1)


class HouseholdFactory(DjangoModelFactory[Household]):
    class Meta:
        model = Household

    unit = SubFactory(UnitFactory)
    building = SelfAttribute("unit.building")
    community = SelfAttribute("building.community")
    room = Sequence(lambda n: f"{n % 6 + 1}{n % 4 + 1:02d}")
    floor = LazyAttribute(lambda o: int(o.room[:-2]))
    area_m2 = "88.50"
    tenure = "owner"


class ResidentFactory(DjangoModelFactory[Resident]):
    """A resident with protected personal fields; `citizen_id` and `phone` are the plain values
    (not stored: only their ciphertext, lookup hash and mask are)."""

    class Meta:
        model = Resident
        skip_postgeneration_save = True

    class Params:
        serial = Sequence(lambda n: n + 100)
        # The region digits follow the serial (321010–321099, never the world's 321002):
        # unique for 9,000 residents of one birth date and sex, whatever the test order.
        citizen_id = LazyAttribute(
            lambda o: make_citizen_id(
                o.birth_date,
                o.serial,
                o.gender == "M",
                region=f"3210{10 + (o.serial // 100) % 90:02d}",
            )
        )
        phone = ""

    household = SubFactory(HouseholdFactory)
    community = SelfAttribute("household.community")
    name = Faker("name", locale="zh_CN")
    name_pinyin = LazyAttribute(lambda o: pinyin_forms(o.name)[0])
    name_initials = LazyAttribute(lambda o: pinyin_forms(o.name)[1])
    gender = "M"
    birth_date = Sequence(lambda n: dt.date(1950, 1, 1) + dt.timedelta(days=37 * n))
    relation = "head"
    citizen_id_encrypted = LazyAttribute(lambda o: pii.encrypt(o.citizen_id))
    citizen_id_hash = LazyAttribute(lambda o: pii.lookup_hash("citizen_id", o.citizen_id))
    citizen_id_masked = LazyAttribute(lambda o: pii.mask_citizen_id(o.citizen_id))
    phone_encrypted = LazyAttribute(lambda o: pii.encrypt(o.phone))
    phone_hash = LazyAttribute(lambda o: pii.lookup_hash("phone", o.phone))
    phone_masked = LazyAttribute(lambda o: pii.mask_phone(o.phone))

    @post_generation
    def residency(obj: Resident, create: bool, extracted: Any, **kwargs: Any) -> None:
        """An open residency in the household since 2006-05-01 (`residency__moved_in=...` for
        another day, `residency=False` for none)."""
        if not create or extracted is False or obj.household_id is None:
            return
        Residency.objects.create(
            resident=obj,
            household_id=obj.household_id,
            moved_in=kwargs.get("moved_in", dt.date(2006, 5, 1)),
            move_in_reason="resettlement",
        )
