"""Pages and API end to end, their scoping, and constant query counts of the care worker's
today list and the elder's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.care import selectors, services
from linli.care.choices import VisitStatus
from linli.care.models import Elder, Provider, Service, Visit
from linli.care.tests.conftest import all_answers
from linli.core import dates
from linli.core.models import AuditEvent
from linli.testing import assert_constant_queries
from linli.testing.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_assessment_page_scores_and_refuses_naming_the_item(
    elders: dict[str, Elder], care: Any, client_for: Any, english: None
) -> None:
    client = client_for(care)
    url = reverse("care:assess", args=[elders["a2"].public_id])
    data = {
        "reason": "first",
        "assessed_on": dates.local_today().isoformat(),
        "risk_events": 0,
        **all_answers(),
    }
    data.pop("hearing")
    answer = client.post(url, data)
    assert answer.status_code == 200
    assert (
        "听力" in answer.content.decode()
        and 'data-testid="error-hearing"' in answer.content.decode()
    )
    data["hearing"] = 2
    answer = client.post(url, data)
    assert answer.status_code == 302
    page = client.get(answer["Location"])
    assert "Ability intact" in page.content.decode()
    assert AuditEvent.objects.filter(action="reveal", field="assessment").count() == 1


def test_grid_worker_sees_level_not_answers(
    elders: dict[str, Elder], care: Any, worker_a: Any, client_for: Any, actor_of: Any
) -> None:
    a = services.assessment_create(
        actor=actor_of(care),
        elder_public_id=elders["a2"].public_id,
        reason="first",
        answers=all_answers(),
        notes="秘密备注",
    )
    page = (
        client_for(worker_a)
        .get(reverse("care:elder", args=[elders["a2"].public_id]))
        .content.decode()
    )
    assert 'data-testid="level"' in page and "秘密备注" not in page and str(a.public_id) not in page
    assert (
        client_for(worker_a).get(reverse("care:assessment", args=[a.public_id])).status_code == 404
    )
    assert client_for(worker_a).get(f"/api/care/assessments/{a.public_id}").status_code == 404
    assert client_for(care).get(f"/api/care/assessments/{a.public_id}").json()["total"] == 90


def test_check_in_out_pages_and_the_elder_rates(
    world: Any,
    elders: dict[str, Elder],
    care: Any,
    resident_user: Any,
    client_for: Any,
    provider: Provider,
) -> None:
    visit = Visit.objects.create(
        elder=elders["a1"],
        community=world.community,
        grid=world.grid_a,
        household=world.household_a1,
        service=Service.objects.get(code="cleaning_house"),
        provider=provider,
        scheduled_at=timezone.now(),
    )
    staff = client_for(care)
    url = reverse("care:visit", args=[visit.public_id])
    assert staff.post(url, {"action": "check_in", "check_in-place": ""}).status_code == 302
    assert staff.post(url, {"action": "check_out", "check_out-notes": "done"}).status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    resident = client_for(resident_user)
    assert visit.public_id.hex[:8] in resident.get(reverse("care:me")).content.decode().replace(
        "-", ""
    )
    answer = resident.post(reverse("care:rate", args=[visit.public_id]), {"rating": 4})
    assert answer.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.rating) == (VisitStatus.CLOSED, 4)


def test_api_check_in_out_and_rate(
    world: Any,
    elders: dict[str, Elder],
    care: Any,
    resident_user: Any,
    worker_a: Any,
    client_for: Any,
    provider: Provider,
) -> None:
    visit = Visit.objects.create(
        elder=elders["a1"],
        community=world.community,
        grid=world.grid_a,
        household=world.household_a1,
        service=Service.objects.get(code="meals_lunch"),
        provider=provider,
        scheduled_at=timezone.now(),
    )
    staff = client_for(care)
    assert (
        staff.post(
            f"/api/care/visits/{visit.public_id}/check-in", {}, content_type="application/json"
        ).json()["status"]
        == "in_progress"
    )
    assert (
        client_for(worker_a)
        .post(f"/api/care/visits/{visit.public_id}/check-out", {}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        staff.post(
            f"/api/care/visits/{visit.public_id}/check-out",
            {"notes": "ok"},
            content_type="application/json",
        ).json()["status"]
        == "done"
    )
    answer = client_for(resident_user).post(
        f"/api/care/visits/{visit.public_id}/rate", {"rating": 9}, content_type="application/json"
    )
    assert answer.status_code == 400
    answer = client_for(resident_user).post(
        f"/api/care/visits/{visit.public_id}/rate", {"rating": 5}, content_type="application/json"
    )
    assert answer.json()["rating"] == 5


def _add_visits(world: Any, provider: Provider, n: int) -> None:
    svc = Service.objects.get(code="meals_lunch")
    for i in range(n):
        household = HouseholdFactory.create(
            unit=world.unit_b, room=f"7{Visit.objects.count():03d}{i}"
        )
        ResidentFactory.create(household=household, birth_date=dt.date(1940, 1, 1), relation="head")
    services.elders_sync()
    for e in Elder.objects.all():
        Visit.objects.create(
            elder=e,
            community=e.community,
            grid_id=e.grid_id,
            household_id=e.household_id,
            service=svc,
            provider=provider,
            scheduled_at=timezone.now(),
        )


def test_today_list_and_elder_page_constant_queries(
    world: Any,
    elders: dict[str, Elder],
    care: Any,
    client_for: Any,
    actor_of: Any,
    provider: Provider,
) -> None:
    client = client_for(care)
    assert_constant_queries(
        lambda n: client.get(reverse("care:today")),
        [1, 4, 8],
        setup=lambda n: _add_visits(world, provider, n),
    )
    actor = actor_of(care)

    def elder_page(n: int) -> None:
        selectors.elder_page(actor, selectors.elder_get(actor, elders["a2"].public_id))
        client.get(reverse("care:elder", args=[elders["a2"].public_id]))

    def more(n: int) -> None:
        svc = Service.objects.get(code="cleaning_house")
        for _ in range(n):
            Visit.objects.create(
                elder=elders["a2"],
                community=world.community,
                grid=world.grid_a,
                household=world.household_a2,
                service=svc,
                provider=provider,
                scheduled_at=timezone.now() + dt.timedelta(days=1, minutes=Visit.objects.count()),
            )
        services.assessment_create(
            actor=actor,
            elder_public_id=elders["a2"].public_id,
            reason="routine",
            answers=all_answers(),
        )

    assert_constant_queries(elder_page, [1, 3, 6], setup=more)


def test_lists_answer(
    elders: dict[str, Elder], admin: Any, care: Any, worker_a: Any, viewer: Any, client_for: Any
) -> None:
    for user, names in (
        (admin, ("home", "today", "tasks", "board", "daycare", "apartments", "catalogue")),
        (worker_a, ("home", "tasks", "board")),
        (viewer, ("board",)),
    ):
        client = client_for(user)
        for name in names:
            assert client.get(reverse(f"care:{name}")).status_code == 200, (user, name)
    answer = client_for(care).get(reverse("care:export", args=["delivered"]))
    assert answer.status_code == 200 and answer["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert client_for(worker_a).get("/api/care/elders").json()[0]["level"] == ""


def test_plan_page_suggests_from_level_and_flags(
    elders: dict[str, Elder], care: Any, client_for: Any, provider: Provider
) -> None:
    client = client_for(care)
    page = client.get(reverse("care:plan_new", args=[elders["a2"].public_id])).content.decode()
    assert "陪伴聊天" in page  # living alone → companionship
    lunch = Service.objects.get(code="meals_lunch")
    answer = client.post(
        reverse("care:plan_new", args=[elders["a2"].public_id]),
        {
            "provider": provider.pk,
            "starts_on": dates.local_today().isoformat(),
            "service_0": lunch.pk,
            "per_week_0": 5,
            "hour_0": 11,
            **{f"per_week_{i}": 1 for i in range(1, 8)},
            **{f"hour_{i}": 9 for i in range(1, 8)},
        },
    )
    assert answer.status_code == 302
    assert Visit.objects.filter(elder=elders["a2"], service=lunch).count() == 10
