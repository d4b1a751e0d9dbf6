"""Fixtures of the training tests: a small catalogue, guest rooms and a booked class."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from linli.core import dates
from linli.core.permissions import Actor
from linli.training import services
from linli.training.models import Bed, Course, Lecturer, LodgingRoom, TrainingClass

START = dt.date(2030, 5, 6)


@dataclass
class Base:
    actor: Actor
    community_id: int
    lecturer: Lecturer
    other_lecturer: Lecturer
    course: Course  # lecture, 120 min, 80.00 a trainee
    visit: Course  # site visit, 90 min, 60.50 a trainee
    rooms: list[LodgingRoom]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dates.day_start(day) + dt.timedelta(hours=hour, minutes=minute)


def make_base(actor: Actor, community_id: int, beds: int = 6) -> Base:
    cat = services.category_create(actor=actor, community_id=community_id, name="党建引领")
    lec = services.lecturer_create(
        actor=actor, community_id=community_id, name="王建国", kind="internal"
    )
    other = services.lecturer_create(
        actor=actor, community_id=community_id, name="李海燕", kind="external"
    )
    course = services.course_create(
        actor=actor,
        community_id=community_id,
        category_id=cat.pk,
        title="基层治理专题讲座",
        format="lecture",
        duration_minutes=120,
        fee="80.00",
        lecturer_ids=[lec.pk, other.pk],
    )
    visit = services.course_create(
        actor=actor,
        community_id=community_id,
        category_id=cat.pk,
        title="现场教学：映像文昌",
        format="site_visit",
        site="映像文昌",
        duration_minutes=90,
        fee="60.50",
    )
    rooms = []
    for i in range(beds // 2):
        room = LodgingRoom.objects.create(
            community_id=community_id, number=f"10{i + 1}", rate=Decimal("120.00")
        )
        Bed.objects.bulk_create([Bed(room=room, label="A"), Bed(room=room, label="B")])
        rooms.append(room)
    return Base(actor, community_id, lec, other, course, visit, rooms)


def book(base: Base, *, trainees: int = 4, days: int = 3, start: dt.date = START) -> TrainingClass:
    return services.class_create(
        actor=base.actor,
        community_id=base.community_id,
        name="南京社区书记培训班",
        organisation="南京市委组织部",
        province="江苏省",
        city="南京",
        contact_name="李海燕",
        contact_phone="13955556666",
        starts_on=start,
        ends_on=start + dt.timedelta(days=days - 1),
        trainee_count=trainees,
    )


@pytest.fixture
def base(world, trainer, actor_of) -> Base:
    return make_base(actor_of(trainer), world.community.id)
