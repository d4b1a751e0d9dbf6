"""A class is never over its limit (run on SQLite and on PostgreSQL): twelve enrolments racing
for a class of five seats give five enrolled children with seats 1–5 and seven on the waiting
list."""

from __future__ import annotations

import datetime as dt

from linli.accounts.selectors import actor_for_user
from linli.nursery import services
from linli.nursery.choices import Band, ChildStatus
from linli.nursery.models import Child
from linli.nursery.tests.conftest import baby, enrol
from linli.testing.factories import HouseholdFactory, ResidentFactory
from linli.testing.races import race, run_at_once

pytestmark = race


def test_twelve_enrolments_racing_for_five_seats(transactional_db, world, admin):
    actor = actor_for_user(admin)
    cls = services.class_open(
        actor=actor, community_id=world.community.id, name="托小班", band=Band.TODDLER, capacity=5
    )
    pairs = []
    for i in range(12):
        household = HouseholdFactory.create(unit=world.unit_a, room=f"7{i:02d}")
        parent = ResidentFactory.create(household=household, birth_date=dt.date(1994, 5, 5))
        pairs.append((baby(household, 15, f"宝{i}"), parent))
    outcomes = run_at_once([lambda c=c, p=p: enrol(actor, cls, c, p) for c, p in pairs])
    assert set(outcomes) <= {"ok", "conflict"}, outcomes
    enrolled = Child.objects.filter(nursery_class=cls, status=ChildStatus.ENROLLED)
    assert enrolled.count() == 5
    assert sorted(enrolled.values_list("seat", flat=True)) == [1, 2, 3, 4, 5]
    assert Child.objects.filter(status=ChildStatus.WAITING).count() == outcomes.count("ok") - 5
