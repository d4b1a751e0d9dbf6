"""Contention settled by the database (run on SQLite and on PostgreSQL): ten elders admitted to
the same free bed at once — one stay is written, the others get "bed occupied"; a full
day-care centre never takes one more; the same task raised by two sweeps at once is one row."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db.models import Count

from linli.accounts.selectors import actor_for_user
from linli.care import services
from linli.care.models import Admission, Apartment, Attendance, Bed, DayCentre, Elder, Room
from linli.testing.factories import HouseholdFactory, ResidentFactory
from linli.testing.races import race, run_at_once

pytestmark = race

N = 10


def make_elders(world: Any, n: int) -> list[Elder]:
    for i in range(n):
        household = HouseholdFactory.create(unit=world.unit_b, room=f"8{i:02d}")
        ResidentFactory.create(household=household, birth_date=dt.date(1940, 1, 1), relation="head")
    services.elders_sync()
    return list(Elder.objects.filter(household__unit=world.unit_b))


def test_racing_for_one_bed_and_the_last_day_care_places(
    transactional_db: Any, world: Any, care: Any
) -> None:
    apartment = Apartment.objects.create(community=world.community, name="颐养公寓")
    bed = Bed.objects.create(room=Room.objects.create(apartment=apartment, number="101"), label="A")
    elders = make_elders(world, N)
    actor = actor_for_user(care)
    outcomes = run_at_once(
        [
            partial(
                services.admission_create, actor=actor, bed_id=bed.pk, elder_public_id=e.public_id
            )
            for e in elders
        ]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) == {"ok", "bed_occupied"}, outcomes
    assert Admission.objects.filter(bed=bed, discharged_on__isnull=True).count() == 1
    _full_centre_takes_no_more(world, care)


def _full_centre_takes_no_more(world: Any, care: Any) -> None:
    centre = DayCentre.objects.create(community=world.community, name="日间照料", capacity=3)
    elders = list(Elder.objects.filter(household__unit=world.unit_b))
    actor = actor_for_user(care)
    outcomes = run_at_once(
        [
            partial(
                services.attendance_record,
                actor=actor,
                centre_id=centre.pk,
                elder_public_id=e.public_id,
            )
            for e in elders
        ]
    )
    assert outcomes.count("ok") == 3, outcomes
    assert set(outcomes) == {"ok", "centre_full"}, outcomes
    per_day = Attendance.objects.values("day").annotate(n=Count("id"))
    assert [row["n"] for row in per_day] == [3]
