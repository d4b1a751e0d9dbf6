"""The riders' station in the persona walk (`linli.testing.walk`): who sees workers and
reports, and children's data reaching only the class staff."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.hotline import services as hotline_services
from linli.riders import services
from linli.riders.models import SummerClass
from linli.testing.walk import Case, Scene, Visit, everyone, sees

SEES = ("admin", "organiser", "viewer")
ADMINS = ("admin", "other_admin")
OWNER = "resident_user"  # the rider, who filed the report
CHILD = "张乐乐"
CHILD_NOTE = "哮喘"
COURIER_PHONE = "13655556666"


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("hazard.jpg", buffer.getvalue(), content_type="image/jpeg")


def build(scene: Scene) -> Any:
    """A rider (the world's resident A1), an outside courier, a summer class with the rider's
    child enrolled by the care worker, and a safety report the rider filed with a photo."""
    world = scene.world
    admin = scene.actor("admin")
    # Safety reports go to Community 110, which files them under its default categories.
    hotline_services.categories_ensure_defaults(
        actor=hotline_services.SYSTEM, community_id=world.community.id
    )
    rider = services.worker_register(
        actor=admin,
        community_id=world.community.id,
        kind="rider",
        platform="美团",
        work_station="美团曲江站",
        resident_public_id=world.resident_a1.public_id,
    )
    courier = services.worker_register(
        actor=admin,
        community_id=world.community.id,
        kind="courier",
        platform="顺丰",
        name="刘快",
        phone=COURIER_PHONE,
    )
    summer_class = SummerClass.objects.create(
        community=world.community,
        name="爱新暑托班",
        place="睦邻会馆",
        starts_on=dt.date(2026, 7, 6),
        ends_on=dt.date(2026, 8, 14),
        capacity=1,
    )
    enrolment = services.enrolment_create(
        actor=scene.actor("care"),
        class_id=summer_class.id,
        worker_public_id=rider.public_id,
        child_name=CHILD,
        child_birth_date=dt.date(2017, 5, 1),
        child_gender="M",
        notes=CHILD_NOTE,
    )
    report = services.report_file(
        actor=scene.actor(OWNER),
        category="fire",
        place="12栋楼道",
        description="电动车充电",
        photo=_photo(),
    )
    scene.person("courier", phone=COURIER_PHONE)
    scene.secret(CHILD, "care")
    scene.secret(CHILD_NOTE, "care")
    return SimpleNamespace(
        rider=rider, courier=courier, summer_class=summer_class, enrolment=enrolment, report=report
    )


def the_class_staff_see_the_children(visit: Visit) -> None:
    if visit.persona == "care":
        assert CHILD in visit.text(), "the class staff do not see the enrolled child"


report = lambda s: {"public_id": s.riders.report.public_id}  # noqa: E731
workers = [
    Case(lambda s: {"public_id": s.riders.courier.public_id}, label="courier", expect=sees(*SEES)),
    Case(lambda s: {"public_id": s.riders.rider.public_id}, label="rider", expect=sees(*SEES)),
]

CASES = {
    "riders:home": Case(expect=sees(*SEES, "other_admin") | {"care": 302, "resident_user": 302}),
    "riders:workers": Case(expect=sees(*SEES, "other_admin")),
    "riders:worker": workers,
    "riders:worker_new": Case(expect=sees(*ADMINS)),
    "riders:canteen": Case(expect=sees(*SEES, "other_admin")),
    "riders:classes": Case(expect=sees(*SEES, "care", "other_admin")),
    "riders:class": Case(
        lambda s: {"class_id": s.riders.summer_class.id},
        expect=sees(*SEES, "care"),
        check=the_class_staff_see_the_children,
    ),
    "riders:enrolment_withdraw": Case(lambda s: {"public_id": s.riders.enrolment.public_id}),
    "riders:reports": Case(expect=sees(*SEES, "other_admin")),
    "riders:report": Case(report, expect=sees(*SEES, OWNER)),
    "riders:report_photo": Case(report, expect=sees(*SEES, OWNER)),
    "riders:report_new": Case(expect=sees(OWNER)),
    "riders:my_reports": Case(expect=sees(OWNER)),
    "riders:export": [
        Case({"what": what}, label=what, expect=sees(*ADMINS)) for what in ("workers", "meals")
    ],
    # The API
    "/api/riders/workers": Case(expect=sees(*SEES, "other_admin")),
    "/api/riders/workers/{public_id}": workers,
    "/api/riders/reports": Case(expect=sees(*SEES, OWNER, "other_admin")),
    "/api/riders/reports/{public_id}": Case(report, expect=sees(*SEES, OWNER)),
    "/api/riders/reports/{public_id}/verify": Case(report),
    "/api/riders/classes": Case(expect=everyone()),
}
