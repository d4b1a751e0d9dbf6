"""The day-care in the persona walk: a child's record (health, allergies, checks, pickup list)
reaches only the day-care's carers, the community admin and the child's own guardians (the
resident persona of household A1); no page or API of any app shows it to anyone else."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.core import dates
from linli.nursery import services
from linli.nursery.choices import Band
from linli.testing.factories import ResidentFactory
from linli.testing.walk import Case, Scene, sees

ALLERGY = "芒果与花生过敏（走查）"
CLINIC = "走查妇幼保健所"
PICKUP_PHONE = "13612345678"
STAFF = ("admin", "carer")
WITH_OTHER = (*STAFF, "other_admin")  # lists: the other community's admin sees his own (empty)
CHILD_SEEN_BY = (*STAFF, "resident_user")


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (80, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile("wang.png", buffer.getvalue(), content_type="image/png")


def build(scene: Scene) -> Any:
    world = scene.world
    admin = scene.actor("admin")
    carer = scene.actor("carer")
    cls = services.class_open(
        actor=admin, community_id=world.community.id, name="托小班", band=Band.TODDLER
    )
    today = dates.local_today()
    # The child is a registry resident of household A1. He bears his father's name so that the
    # registry's walk, which compares the *set* of names each persona sees, is unaffected.
    baby = ResidentFactory.create(
        household=world.household_a1,
        name="张小明",
        birth_date=dates.add_months(today, -15),
        relation="grandchild",
    )
    child = services.child_enrol(
        actor=carer,
        class_id=cls.id,
        resident_public_id=baby.public_id,
        start_date=today,
        consent_by_public_id=world.resident_a1_child.public_id,
        consent_given=True,
        health_checked_on=today - dt.timedelta(days=2),
        health_clinic=CLINIC,
        health_result="fit",
        allergies=ALLERGY,
    ).child
    person = services.pickup_person_add(
        actor=carer,
        public_id=child.public_id,
        name="王阿姨",
        relation="保姆",
        phone=PICKUP_PHONE,
        photo=_photo(),
    )
    services.morning_check(
        actor=carer,
        public_id=child.public_id,
        temperature=Decimal("36.6"),
        hands_mouth_ok=True,
        mood="good",
    )
    scene.secret(ALLERGY, *CHILD_SEEN_BY)
    scene.secret(CLINIC, *STAFF)
    scene.person("pickup person", phone=PICKUP_PHONE)
    return SimpleNamespace(cls=cls, child=child, person=person)


cls = lambda s: {"class_id": s.nursery.cls.id}  # noqa: E731
child = lambda s: {"public_id": s.nursery.child.public_id}  # noqa: E731
person = lambda s: {**child(s), "person_id": s.nursery.person.id}  # noqa: E731

CASES = {
    "nursery:home": Case(expect=sees(*WITH_OTHER)),
    "nursery:class_day": Case(cls, expect=sees(*STAFF)),
    "nursery:children": Case(expect=sees(*WITH_OTHER)),
    "nursery:enrol": Case(expect=sees(*WITH_OTHER)),
    "nursery:child": Case(child, expect=sees(*STAFF)),
    "nursery:mine": Case(expect=sees("resident_user")),
    "nursery:pickup_photo": Case(person, expect=sees(*CHILD_SEEN_BY)),
    "/api/nursery/classes": Case(expect=sees(*WITH_OTHER)),
    "/api/nursery/day": Case(expect=sees(*WITH_OTHER)),
    "/api/nursery/children": Case(expect=sees(*WITH_OTHER, "resident_user")),
    "/api/nursery/children/{public_id}": Case(child, expect=sees(*CHILD_SEEN_BY)),
    "/api/nursery/children/{public_id}/attendance": Case(child, expect=sees(*CHILD_SEEN_BY)),
    "/api/nursery/children/{public_id}/morning": Case(child),
    "/api/nursery/children/{public_id}/noon": Case(child),
    "/api/nursery/children/{public_id}/pickup": Case(child),
    "/api/nursery/children/{public_id}/absence": Case(child),
    "/api/nursery/children/{public_id}/pickup-people": Case(child),
    "/api/nursery/children/{public_id}/leave": Case(child),
    "/api/nursery/children/{public_id}/pickup-people/{person_id}/photo": Case(
        person, expect=sees(*CHILD_SEEN_BY)
    ),
}
