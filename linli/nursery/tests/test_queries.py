"""The day-care's lists take as many queries for a few children as for many: the day board,
the children's list, a class's day, the guardian's page and the children API."""

from __future__ import annotations

from decimal import Decimal

from linli.nursery import services
from linli.nursery.tests.conftest import baby, enrol
from linli.testing.factories import HouseholdFactory, ResidentFactory
from linli.testing.queries import assert_constant_queries


def test_day_care_lists_do_not_grow_with_the_children(
    world, carer, carer_actor, toddlers, client_for, resident_user, enrolled
):
    client = client_for(carer)
    guardian = client_for(resident_user)
    added = [1]

    def more(n: int) -> None:
        while added[0] < n:
            household = HouseholdFactory.create(unit=world.unit_a, room=f"8{added[0]:03d}")
            parent = ResidentFactory.create(
                household=household, birth_date=world.resident_b1.birth_date
            )
            child = enrol(carer_actor, toddlers, baby(household, 15, f"宝{added[0]}"), parent).child
            services.morning_check(
                actor=carer_actor,
                public_id=child.public_id,
                temperature=Decimal("36.5"),
                hands_mouth_ok=True,
                mood="good",
            )
            services.pickup_person_add(
                actor=carer_actor,
                public_id=child.public_id,
                name="外婆",
                relation="外婆",
                phone=f"1361111{added[0]:04d}",
            )
            added[0] += 1

    def pages(_n: int) -> None:
        for url in (
            "/nursery/",
            "/nursery/children/",
            f"/nursery/classes/{toddlers.id}/",
            "/api/nursery/children",
            "/api/nursery/day",
        ):
            assert client.get(url).status_code == 200, url
        assert guardian.get("/nursery/my/").status_code == 200

    assert_constant_queries(pages, [2, 5, 9], setup=more)
