"""The register, assessments, plans → visits → check-in/out → rating, move-out, day-care and
apartments, with the edge cases of the issue (clear message, nothing written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from linli.care import selectors, services
from linli.care.choices import PlanStatus, TaskStatus, VisitStatus
from linli.care.errors import CareError
from linli.care.models import (
    Admission,
    Apartment,
    Assessment,
    Bed,
    DayCentre,
    Elder,
    ProactiveTask,
    Room,
    Visit,
    WaitingEntry,
)
from linli.care.tests.conftest import all_answers
from linli.core import dates
from linli.core.errors import DomainError, NotFound
from linli.core.models import AuditEvent
from linli.registry.services import resident_move_out
from linli.testing.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_register_follows_the_registry(world: Any, elders: dict[str, Elder]) -> None:
    a1, a2 = elders["a1"], elders["a2"]
    assert not a1.over_80 and not a1.living_alone and not a1.empty_nest  # lives with his son
    assert a2.over_80 and a2.living_alone and a2.empty_nest
    assert not Elder.objects.filter(resident=world.resident_b1).exists()  # 55
    assert services.elders_sync().added == 0  # idempotent
    ResidentFactory.create(
        household=world.household_a2, birth_date=dt.date(1950, 1, 1), relation="spouse"
    )
    result = services.elders_sync()
    assert result.added == 1
    a2.refresh_from_db()
    assert not a2.living_alone and a2.empty_nest


def test_assessment_scores_stores_every_answer_and_sets_the_level(
    elders: dict[str, Elder], care: Any, actor_of: Any
) -> None:
    a = services.assessment_create(
        actor=actor_of(care),
        elder_public_id=elders["a2"].public_id,
        reason="first",
        answers=all_answers()
        | {"bathing": 2, "stairs": 1, "walking": 3, "memory": 2, "vision": 1, "transport": 1},
    )
    assert (a.total, a.level) == (80, "mild")
    assert len(a.answers) == 26
    elders["a2"].refresh_from_db()
    assert elders["a2"].level == "mild"


def test_a_bad_assessment_writes_nothing(
    elders: dict[str, Elder], care: Any, actor_of: Any
) -> None:
    answers = all_answers()
    answers.pop("hearing")
    with pytest.raises(DomainError) as exc:
        services.assessment_create(
            actor=actor_of(care),
            elder_public_id=elders["a2"].public_id,
            reason="first",
            answers=answers,
        )
    assert exc.value.field == "hearing"
    assert Assessment.objects.count() == 0


def test_assessment_reads_are_audited_and_scoped(
    elders: dict[str, Elder],
    care: Any,
    worker_a: Any,
    volunteer: Any,
    resident_user: Any,
    actor_of: Any,
) -> None:
    a = services.assessment_create(
        actor=actor_of(care),
        elder_public_id=elders["a1"].public_id,
        reason="first",
        answers=all_answers(),
    )
    services.assessment_read(actor=actor_of(care), public_id=a.public_id)
    assert (
        AuditEvent.objects.filter(
            action="reveal", field="assessment", object_id=str(a.public_id)
        ).count()
        == 1
    )
    for outsider in (worker_a, volunteer):
        with pytest.raises(NotFound):
            services.assessment_read(actor=actor_of(outsider), public_id=a.public_id)
    # the elder himself (resident_user is a1)
    services.assessment_read(actor=actor_of(resident_user), public_id=a.public_id)
    assert AuditEvent.objects.filter(action="reveal", field="assessment").count() == 2


def test_plan_visits_check_in_out_and_rating(
    plan: Any, elders: dict[str, Elder], care: Any, admin: Any, actor_of: Any, world: Any
) -> None:
    visits = list(Visit.objects.filter(plan=plan).order_by("scheduled_at"))
    assert len(visits) == 14  # daily for two weeks
    visit = visits[0]
    who = actor_of(care)
    services.visit_check_in(actor=who, public_id=visit.public_id, place="")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS and visit.worker_id == care.pk
    assert visit.place == world.household_a2.address  # the six facts: who, whom, what, where, start
    services.visit_check_out(actor=who, public_id=visit.public_id, notes="打扫厨房")
    visit.refresh_from_db()
    assert visit.checked_out_at is not None and visit.checked_in_at is not None
    assert visit.status == VisitStatus.DONE and visit.checked_out_at >= visit.checked_in_at
    services.visit_rate(actor=actor_of(admin), public_id=visit.public_id, rating=5)
    visit.refresh_from_db()
    assert (visit.status, visit.rating) == (VisitStatus.CLOSED, 5)
    with pytest.raises(DomainError) as exc:
        services.visit_rate(actor=actor_of(admin), public_id=visit.public_id, rating=4)
    assert exc.value.code == CareError.ALREADY_RATED


def test_a_poor_rating_opens_one_follow_up(plan: Any, care: Any, actor_of: Any) -> None:
    visit = Visit.objects.filter(plan=plan).order_by("scheduled_at").first()
    assert visit is not None
    services.visit_check_in(actor=actor_of(care), public_id=visit.public_id)
    services.visit_check_out(actor=actor_of(care), public_id=visit.public_id)
    services.visit_rate(
        actor=actor_of(care), public_id=visit.public_id, rating=1, comment="没打扫干净"
    )
    task = ProactiveTask.objects.get(rule__code="poor_rating")
    assert task.subject == f"visit:{visit.pk}" and task.assignee_id == care.pk


def test_check_out_before_check_in_is_refused(plan: Any, care: Any, actor_of: Any) -> None:
    visit = Visit.objects.filter(plan=plan).first()
    assert visit is not None
    services.visit_check_in(actor=actor_of(care), public_id=visit.public_id)
    with pytest.raises(DomainError) as exc:
        services.visit_check_out(
            actor=actor_of(care),
            public_id=visit.public_id,
            at=timezone.now() - dt.timedelta(hours=1),
        )
    assert exc.value.code == CareError.CHECKOUT_BEFORE_CHECKIN
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS and visit.checked_out_at is None


def test_late_check_in_is_marked(plan: Any, care: Any, actor_of: Any) -> None:
    visit = Visit.objects.filter(plan=plan).order_by("scheduled_at").first()
    assert visit is not None
    with time_machine.travel(visit.scheduled_at + dt.timedelta(minutes=45), tick=False):
        services.visit_check_in(actor=actor_of(care), public_id=visit.public_id)
    visit.refresh_from_db()
    assert visit.late


def test_move_out_closes_plans_and_cancels_future_visits(
    plan: Any, elders: dict[str, Elder], admin: Any, care: Any, actor_of: Any, world: Any
) -> None:
    resident_move_out(
        actor=actor_of(admin),
        resident_public_id=world.resident_a2.public_id,
        date=dates.local_today(),
        reason="death",
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert not Visit.objects.filter(plan=plan, status=VisitStatus.SCHEDULED).exists()
    visit = Visit.objects.filter(plan=plan).first()
    assert visit is not None
    with pytest.raises(DomainError) as exc:
        services.visit_check_in(actor=actor_of(care), public_id=visit.public_id)
    assert exc.value.code in (CareError.NOT_AN_ELDER, "invalid_transition")
    with pytest.raises(DomainError) as exc2:
        services.assessment_create(
            actor=actor_of(care),
            elder_public_id=elders["a2"].public_id,
            reason="routine",
            answers=all_answers(),
        )
    assert exc2.value.code == CareError.NOT_AN_ELDER


def test_daycare_capacity_is_never_exceeded(
    world: Any, elders: dict[str, Elder], care: Any, actor_of: Any
) -> None:
    centre = DayCentre.objects.create(community=world.community, name="日间照料中心", capacity=1)
    services.attendance_record(
        actor=actor_of(care), centre_id=centre.pk, elder_public_id=elders["a1"].public_id
    )
    with pytest.raises(DomainError) as exc:
        services.attendance_record(
            actor=actor_of(care), centre_id=centre.pk, elder_public_id=elders["a2"].public_id
        )
    assert exc.value.code == CareError.CENTRE_FULL
    with pytest.raises(DomainError) as exc2:
        services.attendance_record(
            actor=actor_of(care), centre_id=centre.pk, elder_public_id=elders["a1"].public_id
        )
    assert exc2.value.code == CareError.ALREADY_ATTENDING


@pytest.fixture
def apartment(world: Any) -> Apartment:
    apt = Apartment.objects.create(community=world.community, name="颐养公寓", area_m2=2000)
    room = Room.objects.create(apartment=apt, number="101")
    Bed.objects.create(room=room, label="A")
    Bed.objects.create(room=room, label="B")
    return apt


def test_a_second_admission_to_an_occupied_bed_is_refused(
    apartment: Apartment, elders: dict[str, Elder], care: Any, actor_of: Any
) -> None:
    bed = Bed.objects.filter(room__apartment=apartment).first()
    assert bed is not None
    services.admission_create(
        actor=actor_of(care), bed_id=bed.pk, elder_public_id=elders["a1"].public_id
    )
    with pytest.raises(DomainError) as exc:
        services.admission_create(
            actor=actor_of(care), bed_id=bed.pk, elder_public_id=elders["a2"].public_id
        )
    assert exc.value.code == CareError.BED_OCCUPIED
    assert Admission.objects.count() == 1
    adm = Admission.objects.get()
    services.admission_discharge(actor=actor_of(care), public_id=adm.public_id, reason="home")
    services.admission_create(
        actor=actor_of(care), bed_id=bed.pk, elder_public_id=elders["a2"].public_id
    )


def test_waiting_list_order(apartment: Apartment, world: Any, care: Any, actor_of: Any) -> None:
    people = {}
    for key, level, alone, low, applied in (
        ("early_mild", "mild", False, False, 1),
        ("late_severe", "severe", False, False, 30),
        ("mild_alone", "mild", True, False, 20),
        ("mild_alone_low", "mild", True, True, 25),
    ):
        r = ResidentFactory.create(
            household=world.household_b1, birth_date=dt.date(1940, 1, 1), relation="other"
        )
        people[key] = (r, level, alone, low, applied)
    services.elders_sync()
    for key, (r, level, alone, low, applied) in people.items():
        Elder.objects.filter(resident=r).update(level=level, living_alone=alone, low_income=low)
        WaitingEntry.objects.create(
            apartment=apartment,
            elder=Elder.objects.get(resident=r),
            community=world.community,
            applied_on=dt.date(2026, 1, applied),
        )
    order = [w.elder.resident_id for w in selectors.waiting_list(actor_of(care), apartment)]
    names = {v[0].pk: k for k, v in people.items()}
    assert [names[i] for i in order] == [
        "late_severe",
        "mild_alone_low",
        "mild_alone",
        "early_mild",
    ]


def test_proactive_task_cleared_by_a_visit_log_that_files_a_request(
    elders: dict[str, Elder], worker_a: Any, actor_of: Any, world: Any
) -> None:
    from linli.hotline.models import Category, ServiceRequest

    Category.objects.create(
        community=world.community,
        code="repair",
        name="维修",
        priority="general",
        resolve_minutes=1440,
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=10), tick=False):
        result = services.proactive_sweep()
    assert result.by_rule["alone_80_7d"] == 1
    task = ProactiveTask.objects.get(rule__code="alone_80_7d")
    assert task.elder_id == elders["a2"].pk and task.assignee_id == worker_a.pk
    log = services.visit_log_create(
        actor=actor_of(worker_a),
        household_public_id=world.household_a2.public_id,
        task_public_id=task.public_id,
        purpose="独居老人走访",
        met="李芳本人",
        findings="厨房水管漏水",
        file_request=True,
        category_code="repair",
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.visit_log_id == log.pk
    assert log.request_id is not None
    req = ServiceRequest.objects.get(pk=log.request_id)
    assert req.channel == "found_on_visit" and req.household_id == world.household_a2.pk
