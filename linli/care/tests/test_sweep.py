"""The proactive sweep: rules as data, one idempotent task per rule, subject and period, due
times and escalation, a constant number of queries whatever the number of elders."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from linli.care import services
from linli.care.choices import TaskStatus, VisitStatus
from linli.care.models import Elder, ProactiveRule, ProactiveTask, Visit
from linli.care.tasks import care_sweep
from linli.notify.models import Notification
from linli.testing import assert_constant_queries
from linli.testing.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

# A day well inside a quarter (the "household not visited this quarter" rule stays quiet).
START = dt.datetime(2026, 5, 4, 1, 0, tzinfo=dt.UTC)


def travel(**delta: float) -> Any:
    return time_machine.travel(START + dt.timedelta(**delta), tick=False)


ROOMS = itertools.count(900)


def add_lonely_elders(world: Any, n: int) -> None:
    for _ in range(n):
        household = HouseholdFactory.create(unit=world.unit_a, room=str(next(ROOMS)))
        ResidentFactory.create(household=household, birth_date=dt.date(1938, 5, 1), relation="head")
    services.elders_sync()


def test_no_contact_rule_raises_one_task_and_a_second_run_nothing(
    world: Any, worker_a: Any
) -> None:
    with travel():
        services.elders_sync()
    with travel(days=8):
        first = services.proactive_sweep()
        second = services.proactive_sweep()
    assert first.by_rule["alone_80_7d"] == 1  # 李芳, 84, living alone
    assert second.raised == 0
    task = ProactiveTask.objects.get()
    assert task.assignee_id == worker_a.pk
    assert task.due_at == START + dt.timedelta(days=8, hours=48)
    # the grid worker hears of it in her inbox, once
    inbox = Notification.objects.filter(kind="care.task_raised")
    assert [(n.user_id, n.url) for n in inbox] == [(worker_a.pk, "/care/tasks/")]


def test_the_huey_task_runs_the_sweep(world: Any) -> None:
    with travel():
        services.elders_sync()
    with travel(days=8):
        assert care_sweep.call_local()["raised"] == 1


def test_a_visit_resets_the_clock_and_a_later_lapse_is_a_new_period(
    world: Any, care: Any, actor_of: Any
) -> None:
    with travel():
        services.elders_sync()
    with travel(days=8):
        services.proactive_sweep()
    with travel(days=9):
        services.visit_log_create(
            actor=actor_of(care), household_public_id=world.household_a2.public_id, purpose="走访"
        )
        assert services.proactive_sweep().raised == 0
    with travel(days=17):
        assert services.proactive_sweep().by_rule["alone_80_7d"] == 1
    assert ProactiveTask.objects.filter(rule__code="alone_80_7d").count() == 2


def test_overdue_tasks_escalate_once(world: Any, admin: Any) -> None:
    with travel():
        services.elders_sync()
    with travel(days=8):
        services.proactive_sweep()
    with travel(days=10, hours=1):  # due after 48 h, escalation 24 h later: not yet
        assert services.proactive_sweep().escalated == 0
    with travel(days=11, hours=1):
        assert services.proactive_sweep().escalated == 1
        assert services.proactive_sweep().escalated == 0
    assert ProactiveTask.objects.get().escalated_at is not None
    # the community admin is told, urgently, once
    escalated = Notification.objects.get(kind="care.task_escalated")
    assert escalated.user_id == admin.pk and escalated.urgent


def test_missed_visits_are_marked_and_raise_a_task_for_the_care_team(
    world: Any, care: Any, actor_of: Any
) -> None:
    from linli.care.models import Provider, Service

    with travel():
        services.elders_sync()
        provider = Provider.objects.create(community=world.community, name="P")
        services.plan_create(
            actor=actor_of(care),
            elder_public_id=Elder.objects.get(resident=world.resident_a2).public_id,
            provider_id=provider.pk,
            items=[services.PlanLine(Service.objects.get(code="meals_lunch").pk, 7, 11)],
        )
    with travel(days=1, hours=12):
        result = services.proactive_sweep()
    assert result.missed >= 1
    assert Visit.objects.filter(status=VisitStatus.MISSED).exists()
    assert (
        ProactiveTask.objects.filter(rule__code="missed_visit", assignee=care).count()
        == result.missed
    )


def test_rules_are_data(world: Any) -> None:
    ProactiveRule.objects.filter(code="alone_80_7d").update(active=False)
    with travel():
        services.elders_sync()
    with travel(days=8):
        assert services.proactive_sweep().raised == 0


def test_household_quarter_rule_in_the_last_month(world: Any, worker_a: Any) -> None:
    with travel():
        services.elders_sync()
    with time_machine.travel(dt.datetime(2026, 6, 10, 2, tzinfo=dt.UTC), tick=False):
        n = services.proactive_sweep().by_rule["household_quarter"]
    assert n == 1  # household A2 (empty nest); A1 has a young member
    task = ProactiveTask.objects.get(rule__code="household_quarter")
    assert task.period == "2026Q2" and task.due_at <= dt.datetime(2026, 6, 30, 16, tzinfo=dt.UTC)


def test_sweep_query_count_is_constant(world: Any, worker_a: Any, care: Any) -> None:
    with travel():
        services.elders_sync()

    def setup(n: int) -> None:
        with travel():
            add_lonely_elders(world, n)

    def run(n: int) -> None:
        with travel(days=8):
            services.proactive_sweep()

    counts = assert_constant_queries(run, [2, 6, 12], setup=setup)
    assert ProactiveTask.objects.filter(status=TaskStatus.OPEN).count() >= 20
    assert counts


def test_sweep_acts_before_anyone_calls_on_overdue_requests(
    world: Any, worker_a: Any, actor_of: Any, admin: Any
) -> None:
    from linli.hotline.models import Category
    from linli.hotline.services import request_file

    Category.objects.create(
        community=world.community,
        code="repair",
        name="维修",
        priority="general",
        resolve_minutes=60,
    )
    with travel():
        services.elders_sync()
        request_file(
            actor=actor_of(admin),
            community_id=world.community.id,
            category_code="repair",
            description="楼道灯坏了",
            channel="phone",
            household_public_id=world.household_a2.public_id,
        )
    with travel(hours=3):
        assert services.proactive_sweep().by_rule["overdue_request"] == 1
        assert services.proactive_sweep().raised == 0
    assert timezone.now()
