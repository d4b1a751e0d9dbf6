"""Day-care test helpers: babies of the registry and a class."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.accounts.selectors import actor_for_user
from linli.core import dates
from linli.core.permissions import Actor
from linli.nursery import services
from linli.nursery.choices import Band, HealthResult
from linli.nursery.models import NurseryClass
from linli.registry.models import Household, Resident
from linli.testing.factories import ResidentFactory
from linli.testing.world import World


def months_ago(months: int, today: dt.date | None = None) -> dt.date:
    today = today or dates.local_today()
    return dates.add_months(today, -months) - dt.timedelta(days=1)


def baby(household: Household, months: int, name: str = "小宝") -> Resident:
    return ResidentFactory.create(
        household=household, name=name, birth_date=months_ago(months), relation="grandchild"
    )


def enrol(
    actor: Actor, cls: NurseryClass, child: Resident, guardian: Resident
) -> services.Enrolment:
    today = dates.local_today()
    return services.child_enrol(
        actor=actor,
        class_id=cls.id,
        resident_public_id=child.public_id,
        start_date=today,
        consent_by_public_id=guardian.public_id,
        consent_given=True,
        health_checked_on=today - dt.timedelta(days=3),
        health_clinic="妇幼保健所",
        health_result=HealthResult.FIT,
    )


@pytest.fixture
def admin_actor(admin) -> Actor:  # type: ignore[no-untyped-def]
    return actor_for_user(admin)


@pytest.fixture
def carer_actor(carer) -> Actor:  # type: ignore[no-untyped-def]
    return actor_for_user(carer)


@pytest.fixture
def toddlers(world: World, admin_actor: Actor) -> NurseryClass:
    return services.class_open(
        actor=admin_actor, community_id=world.community.id, name="托小班", band=Band.TODDLER
    )


@pytest.fixture
def enrolled(world: World, carer_actor: Actor, toddlers: NurseryClass):  # type: ignore[no-untyped-def]
    """A 14-month-old of household A1 (the resident persona's), enrolled, guardian 张小明."""
    child = baby(world.household_a1, 14)
    result = enrol(carer_actor, toddlers, child, world.resident_a1_child)
    return result.child


TEMP = Decimal("36.6")
