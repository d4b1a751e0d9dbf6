"""Elderly care in the persona walk (`linli.testing.walk`): who sees the register, records,
visits, tasks and the board. No assessment answers, health notes or care notes ever reach a
grid worker or a volunteer (the secrets below), and the emergency contact's phone never leaves
unmasked."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from linli.care import services
from linli.care.models import (
    Apartment,
    Bed,
    DayCentre,
    Elder,
    ProactiveRule,
    ProactiveTask,
    Provider,
    Room,
    Service,
    Visit,
)
from linli.testing.walk import Case, Scene, sees
from linli.testing.walk import Visit as WalkVisit

ASSESSMENT_NOTE = "评估备注：夜间多次起夜"
HEALTH_NOTE = "健康备注：高血压服药中"
CARE_NOTE = "护理记录：协助洗澡后皮肤发红"
EMERGENCY_PHONE = "13612345678"

RECORDS = ("admin", "care")  # care workers and the community admin
REGISTER = (*RECORDS, "worker_a")  # + the grid worker of the elder's grid
REGISTER_LISTS = (*RECORDS, "worker_a", "worker_b", "other_admin")
MANAGERS = (*RECORDS, "other_admin")


def answers() -> dict[str, int]:
    from linli.care.models import AssessmentItem

    return {
        i.code: i.max_points - (1 if i.code == "memory" else 0)
        for i in AssessmentItem.objects.all()
    }


def build(scene: Scene) -> Any:
    """a1 (68, the resident persona himself) with an assessment, a plan, a finished visit to
    rate; a2 (84, living alone) with an open proactive task; a day centre and an apartment."""
    world = scene.world
    care = scene.actor("care")
    services.elders_sync()
    a1 = Elder.objects.get(resident=world.resident_a1)
    a2 = Elder.objects.get(resident=world.resident_a2)
    services.elder_update(
        actor=care,
        elder_public_id=a1.public_id,
        emergency_name="张小明",
        emergency_phone=EMERGENCY_PHONE,
        health_notes=HEALTH_NOTE,
    )
    assessment = services.assessment_create(
        actor=care,
        elder_public_id=a1.public_id,
        reason="first",
        answers=answers(),
        notes=ASSESSMENT_NOTE,
    )
    provider = Provider.objects.create(community=world.community, name="颐康服务中心")
    plan = services.plan_create(
        actor=care,
        elder_public_id=a1.public_id,
        provider_id=provider.pk,
        items=[services.PlanLine(Service.objects.get(code="cleaning_house").pk, 7, 9)],
        starts_on=timezone.localdate(),
    )
    done = Visit.objects.create(
        elder=a1,
        community=world.community,
        grid_id=a1.grid_id,
        household_id=a1.household_id,
        service=Service.objects.get(code="bathing_home_bath"),
        provider=provider,
        scheduled_at=timezone.now() - dt.timedelta(hours=3),
    )
    services.visit_check_in(actor=care, public_id=done.public_id)
    services.visit_check_out(actor=care, public_id=done.public_id, notes=CARE_NOTE)
    upcoming = Visit.objects.filter(plan=plan, status="scheduled").order_by("scheduled_at").first()
    task = ProactiveTask.objects.create(
        rule=ProactiveRule.objects.get(code="alone_80_7d"),
        subject=f"elder:{a2.pk}",
        period="never",
        community=world.community,
        grid_id=a2.grid_id,
        household_id=a2.household_id,
        elder=a2,
        title="80岁以上独居老人7天无任何走访：李芳",
        assignee=scene.user("worker_a"),
        raised_at=timezone.now(),
        due_at=timezone.now() + dt.timedelta(hours=48),
    )
    DayCentre.objects.create(community=world.community, name="日间照料中心", capacity=40)
    apartment = Apartment.objects.create(community=world.community, name="颐养公寓", area_m2=2000)
    Bed.objects.create(room=Room.objects.create(apartment=apartment, number="101"), label="A")
    for text in (ASSESSMENT_NOTE, HEALTH_NOTE, CARE_NOTE):
        scene.secret(text, "admin", "care", "resident_user")
    scene.person("emergency contact", phone=EMERGENCY_PHONE)
    return SimpleNamespace(
        a1=a1, a2=a2, assessment=assessment, done=done, upcoming=upcoming, task=task
    )


def no_answers_on_the_page(visit: WalkVisit) -> None:
    """The elder page shows the level to the grid worker, never the assessment list."""
    shown = 'data-testid="assessments"' in visit.text()
    assert shown == (visit.persona in (*RECORDS, "resident_user")), f"assessments shown: {shown}"


a1 = lambda s: {"public_id": s.care.a1.public_id}  # noqa: E731
a2 = lambda s: {"public_id": s.care.a2.public_id}  # noqa: E731
assessment = lambda s: {"public_id": s.care.assessment.public_id}  # noqa: E731
done = lambda s: {"public_id": s.care.done.public_id}  # noqa: E731
upcoming = lambda s: {"public_id": s.care.upcoming.public_id}  # noqa: E731
task = lambda s: {"public_id": s.care.task.public_id}  # noqa: E731
household_a2 = lambda s: {"public_id": s.world.household_a2.public_id}  # noqa: E731

CASES = {
    "care:home": Case(expect=sees(*REGISTER_LISTS)),
    "care:elder": [
        Case(a1, label="a1", expect=sees(*REGISTER, "resident_user"), check=no_answers_on_the_page),
        Case(a2, label="a2", expect=sees(*REGISTER), check=no_answers_on_the_page),
    ],
    "care:elder_edit": Case(a2, expect=sees(*RECORDS)),
    "care:assess": Case(a2, expect=sees(*RECORDS)),
    "care:plan_new": Case(a2, expect=sees(*RECORDS)),
    "care:assessment": Case(assessment, expect=sees(*RECORDS, "resident_user")),
    "care:today": Case(expect=sees(*MANAGERS)),
    "care:visit": Case(upcoming, expect=sees(*RECORDS)),
    "care:tasks": Case(expect=sees(*REGISTER_LISTS)),
    "care:task": Case(task, expect=sees(*REGISTER)),
    "care:log_new": Case(household_a2, expect=sees(*REGISTER)),
    "care:board": Case(expect=sees(*REGISTER_LISTS, "viewer")),
    "care:daycare": Case(expect=sees(*MANAGERS)),
    "care:apartments": Case(expect=sees(*MANAGERS)),
    "care:catalogue": Case(expect=sees(*MANAGERS)),
    "care:export": Case({"what": "delivered"}, expect=sees(*MANAGERS)),
    "care:me": Case(expect=sees("resident_user")),
    "care:rate": Case(done, expect=sees("resident_user")),
    # The API
    "/api/care/elders": Case(expect=sees(*REGISTER_LISTS)),
    "/api/care/elders/{public_id}": Case(a1, expect=sees(*REGISTER, "resident_user")),
    "/api/care/elders/{public_id}/assessments": Case(a1, expect=sees(*REGISTER, "resident_user")),
    "/api/care/assessments/{public_id}": Case(assessment, expect=sees(*RECORDS, "resident_user")),
    "/api/care/visits/today": Case(expect=sees(*MANAGERS)),
    "/api/care/visits/{public_id}/check-in": Case(upcoming),
    "/api/care/visits/{public_id}/check-out": Case(upcoming),
    "/api/care/visits/{public_id}/rate": Case(done),
    "/api/care/me/visits": Case(expect=sees("resident_user")),
    "/api/care/tasks": Case(expect=sees(*REGISTER_LISTS)),
    "/api/care/tasks/{public_id}/visit-log": Case(task),
    "/api/care/board": Case(expect=sees(*REGISTER_LISTS, "viewer")),
}
