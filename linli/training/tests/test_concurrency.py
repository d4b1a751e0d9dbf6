"""Contention is settled by the database (run on SQLite and on PostgreSQL):

- 20 bookings racing to put one lecturer in overlapping sessions get exactly one session (on
  PostgreSQL the exclusion constraint, on SQLite the IMMEDIATE write transaction with its check);
- 20 classes racing for the last 4 beds get them exactly once a night.
"""

import datetime as dt

from linli.testing.races import race, run_at_once
from linli.training import services
from linli.training.models import BedNight, Session
from linli.training.tests.conftest import START, at, book, make_base

pytestmark = race

RACERS = 20


def test_twenty_bookings_racing_for_one_lecturer_get_one_session(
    transactional_db, world, trainer, actor_of
):
    base = make_base(actor_of(trainer), world.community.id)
    classes = [book(base, trainees=2) for _ in range(RACERS)]
    outcomes = run_at_once(
        [
            lambda k=k, i=i: services.session_add(
                actor=base.actor,
                public_id=k.public_id,
                course_id=base.course.pk,
                starts_at=at(START, 9, i),  # all overlapping, none identical
                lecturer_id=base.lecturer.pk,
            )
            for i, k in enumerate(classes)
        ]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) == {"ok", "lecturer_busy"}, outcomes
    assert Session.objects.filter(lecturer=base.lecturer, cancelled=False).count() == 1


def test_twenty_classes_racing_for_four_beds_get_each_bed_once_a_night(
    transactional_db, world, trainer, actor_of
):
    base = make_base(actor_of(trainer), world.community.id, beds=4)
    classes = [book(base, trainees=2, days=3) for _ in range(RACERS)]
    outcomes = run_at_once(
        [
            lambda k=k: services.lodging_book(actor=base.actor, public_id=k.public_id, beds=2)
            for k in classes
        ]
    )
    assert outcomes.count("ok") == 2, outcomes
    assert set(outcomes) == {"ok", "not_enough_beds"}, outcomes
    assert BedNight.objects.count() == 4 * 2
    pairs = set(BedNight.objects.values_list("bed_id", "night"))
    assert len(pairs) == 8
    assert {n for _b, n in pairs} == {START, START + dt.timedelta(days=1)}
