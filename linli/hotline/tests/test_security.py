"""Regression tests of issue 8 (security) for the request desk. Each test failed on the code
before its fix.

Item 5, staff grading themselves: only the resident gives the verdict and withdraws his
request as the resident; staff record a verdict the resident phoned in only with the call
noted, kept as a separate source and counted on the rates; staff cancelling needs a reason
and leaves the request in the three rates.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from linli.core.errors import PermissionDenied
from linli.hotline import selectors, services
from linli.hotline.choices import Status
from linli.hotline.models import ServiceRequest

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(**delta):
    return time_machine.travel(START + dt.timedelta(**delta), tick=False)


@pytest.fixture
def resolved(file_portal, worker_a, actor_of):
    """A request of household A1 that grid worker A has worked and resolved."""
    worker = actor_of(worker_a)
    req = file_portal()
    services.request_accept(actor=worker, public_id=req.public_id)
    return services.request_resolve(actor=worker, public_id=req.public_id, note="换了阀门")


def community_rates(world, admin, actor_of):
    return selectors.rates(actor_of(admin), selectors.RateScope(community_id=world.community.id))


# --- item 5: staff must not grade themselves ----------------------------------------------


def test_a_grid_worker_rating_her_own_request_is_refused(resolved, worker_a, actor_of):
    with pytest.raises(PermissionDenied):
        services.request_rate(
            actor=actor_of(worker_a), public_id=resolved.public_id, rating=5, solved=True
        )
    resolved.refresh_from_db()
    assert (resolved.status, resolved.rating) == (Status.RESOLVED, None)


def test_a_grid_worker_cannot_rate_through_the_page_or_the_api(resolved, worker_a, client_for):
    client = client_for(worker_a)
    client.post(f"/hotline/r/{resolved.public_id}/rate/", {"rating": "5", "solved": "yes"})
    response = client.post(
        f"/api/hotline/requests/{resolved.public_id}/rate",
        {"rating": 5, "solved": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    resolved.refresh_from_db()
    assert (resolved.status, resolved.rating) == (Status.RESOLVED, None)


def test_the_resident_rates_and_his_verdict_is_his(resolved, resident_user, actor_of):
    req = services.request_rate(
        actor=actor_of(resident_user), public_id=resolved.public_id, rating=5, solved=True
    )
    assert (req.status, req.verdict_source) == (Status.CLOSED, "resident")


def test_staff_record_a_phoned_in_verdict_only_with_the_call_noted(resolved, worker_a, actor_of):
    worker = actor_of(worker_a)
    with pytest.raises(Exception) as refused:
        services.request_rate_from_call(
            actor=worker, public_id=resolved.public_id, rating=4, solved=True, call_note=" "
        )
    assert getattr(refused.value, "field", None) == "call_note"
    req = services.request_rate_from_call(
        actor=worker,
        public_id=resolved.public_id,
        rating=4,
        solved=True,
        call_note="3月2日 10:05 回访张晓本人，电话确认",
    )
    assert (req.status, req.verdict_source) == (Status.CLOSED, "staff_recorded_call")
    event = req.events.get(kind="rated")
    assert event.data["source"] == "staff_recorded_call"
    assert "回访张晓本人" in event.data["call_note"]


def test_the_rates_count_staff_recorded_verdicts(
    world, resolved, file_portal, worker_a, resident_user, admin, actor_of, client_for
):
    services.request_rate_from_call(
        actor=actor_of(worker_a),
        public_id=resolved.public_id,
        rating=5,
        solved=True,
        call_note="电话回访",
    )
    rates = community_rates(world, admin, actor_of)
    assert (rates.rated, rates.staff_recorded) == (1, 1)
    api = client_for(admin).get(f"/api/hotline/rates?community={world.community.id}").json()
    assert api[0]["staff_recorded"] == 1
    page = client_for(admin).get("/hotline/rates/").content.decode()
    assert 'data-testid="staff-recorded"' in page


def test_a_staff_cancel_needs_a_reason(file_portal, worker_a, actor_of):
    req = file_portal()
    with pytest.raises(Exception) as refused:
        services.request_cancel(actor=actor_of(worker_a), public_id=req.public_id, reason="  ")
    assert getattr(refused.value, "field", None) == "reason"


def test_a_staff_cancel_of_an_overdue_request_still_counts_as_overdue_in_the_rates(
    world, file_portal, worker_a, admin, actor_of
):
    with at():
        req = file_portal(category="gas_leak", description="楼道有燃气味")
    with at(hours=3):
        services.request_sweep()
        req.refresh_from_db()
        assert req.was_overdue
        services.request_cancel(
            actor=actor_of(worker_a), public_id=req.public_id, reason="联系不上居民"
        )
        rates = community_rates(world, admin, actor_of)
    req.refresh_from_db()
    assert req.status == Status.CANCELLED
    assert (rates.requests, rates.overdue) == (1, 1)
    assert rates.due_for_contact == 1 and rates.contacted_in_time == 0


def test_a_staff_cancel_before_the_sweep_still_counts_the_missed_deadline(
    world, file_portal, worker_a, admin, actor_of
):
    with at():
        req = file_portal(category="gas_leak", description="楼道有燃气味")
    with at(hours=3):
        services.request_cancel(actor=actor_of(worker_a), public_id=req.public_id, reason="重复")
        rates = community_rates(world, admin, actor_of)
    assert (rates.requests, rates.overdue) == (1, 1)


def test_the_residents_own_withdrawal_leaves_the_rates(
    world, file_portal, resident_user, admin, actor_of
):
    req = file_portal()
    services.request_cancel(
        actor=actor_of(resident_user), public_id=req.public_id, reason="自己修好了"
    )
    assert ServiceRequest.objects.get(pk=req.pk).cancel_source == "resident"
    assert community_rates(world, admin, actor_of).requests == 0
