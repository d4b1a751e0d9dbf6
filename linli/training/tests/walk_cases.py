"""The training base in the persona walk (`linli.testing.walk`): only the base's staff
(`trainer`) and the community admin see it; every other persona gets a 404 (other_admin sees
the empty lists of his own community, and a 404 for Wenchang's objects)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from linli.testing.walk import Case, Scene, sees
from linli.training import services
from linli.training.models import Bed, LodgingRoom

CONTACT_PHONE = "13955556666"
STAFF = ("admin", "trainer")
LISTS = (*STAFF, "other_admin")


def build(scene: Scene) -> Any:
    """A category, a lecturer, a course, two beds, and a confirmed class with a session, one
    bed-night, a day of meals and a trainee on its roster."""
    world = scene.world
    actor = scene.actor("trainer")
    cid = world.community.id
    category = services.category_create(actor=actor, community_id=cid, name="党建引领")
    lecturer = services.lecturer_create(
        actor=actor, community_id=cid, name="王建国", kind="internal"
    )
    course = services.course_create(
        actor=actor,
        community_id=cid,
        category_id=category.pk,
        title="党建引领基层治理专题讲座",
        format="lecture",
        duration_minutes=120,
        fee="80.00",
        lecturer_ids=[lecturer.pk],
    )
    room = LodgingRoom.objects.create(community=world.community, number="101", rate=Decimal(120))
    Bed.objects.bulk_create([Bed(room=room, label="A"), Bed(room=room, label="B")])
    start = dt.date(2030, 5, 6)
    klass = services.class_create(
        actor=actor,
        community_id=cid,
        name="南京社区书记培训班",
        organisation="南京市委组织部",
        province="江苏省",
        city="南京",
        contact_name="李海燕",
        contact_phone=CONTACT_PHONE,
        starts_on=start,
        ends_on=start + dt.timedelta(days=1),
        trainee_count=2,
    )
    services.class_transition(actor=actor, public_id=klass.public_id, transition="confirm")
    from linli.core import dates

    session = services.session_add(
        actor=actor,
        public_id=klass.public_id,
        course_id=course.pk,
        starts_at=dates.day_start(start) + dt.timedelta(hours=9),
        lecturer_id=lecturer.pk,
        room="一号教室",
    )
    services.lodging_book(actor=actor, public_id=klass.public_id, beds=2)
    services.meals_plan_stay(actor=actor, public_id=klass.public_id)
    services.trainees_add(actor=actor, public_id=klass.public_id, names="张三\n李四")
    scene.person("training contact", phone=CONTACT_PHONE)
    return SimpleNamespace(klass=klass, session=session, course=course)


klass = lambda s: {"public_id": s.training.klass.public_id}  # noqa: E731
session = lambda s: {"session_id": s.training.session.pk}  # noqa: E731

CASES = {
    "training:classes": Case(expect=sees(*LISTS)),
    "training:class_new": Case(expect=sees(*LISTS)),
    "training:class": Case(klass, expect=sees(*STAFF)),
    "training:confirmation": Case(klass, expect=sees(*STAFF)),
    "training:checkin": Case(session, expect=sees(*STAFF)),
    "training:courses": Case(expect=sees(*LISTS)),
    "training:lecturers": Case(expect=sees(*LISTS)),
    "training:lodging": Case(expect=sees(*LISTS)),
    "training:totals": Case(expect=sees(*LISTS)),
    "training:export": [
        Case({"what": what}, label=what, expect=sees(*LISTS)) for what in ("classes", "totals")
    ],
    "/api/training/categories": Case(expect=sees(*LISTS)),
    "/api/training/courses": Case(expect=sees(*LISTS)),
    "/api/training/lecturers": Case(expect=sees(*LISTS)),
    "/api/training/classes": Case(expect=sees(*LISTS)),
    "/api/training/classes/export": Case(expect=sees(*LISTS)),
    "/api/training/totals/export": Case(expect=sees(*LISTS)),
    "/api/training/classes/{public_id}": Case(klass, expect=sees(*STAFF)),
    "/api/training/classes/{public_id}/transition": Case(klass),
    "/api/training/classes/{public_id}/sessions": Case(klass, expect=sees(*STAFF)),
    "/api/training/classes/{public_id}/lodging": Case(klass),
    "/api/training/classes/{public_id}/lodging/release": Case(klass),
    "/api/training/classes/{public_id}/meals": Case(klass),
    "/api/training/classes/{public_id}/trainees": Case(klass),
    "/api/training/classes/{public_id}/quote": Case(klass, expect=sees(*STAFF)),
    "/api/training/sessions/{session_id}/cancel": Case(session),
    "/api/training/sessions/{session_id}/check-in": Case(session),
    "/api/training/totals": Case(expect=sees(*LISTS)),
}
