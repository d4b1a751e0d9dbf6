"""Time limits with moved time: due soon, overdue, each escalation step (grid worker →
branch secretary → community secretary), the Party tree's chain preferred to the configured
contacts, unrated requests closed after the reopen window, and the sweep idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from linli.core import escalation
from linli.core.escalation import EscalationLevel
from linli.hotline import services
from linli.hotline.choices import DueState, Status
from linli.hotline.models import GridEscalationContact, RequestEvent, ServiceRequest
from linli.hotline.tasks import hotline_sweep

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(**delta):
    return time_machine.travel(START + dt.timedelta(**delta), tick=False)


@pytest.fixture
def contacts(world):
    GridEscalationContact.objects.create(
        community=world.community,
        grid=world.grid_a,
        level="grid_branch_secretary",
        name="王书记",
        phone="0514-8000001",
    )
    GridEscalationContact.objects.create(
        community=world.community, level="community_secretary", name="陈书记"
    )


@pytest.fixture
def gas_request(file_portal, worker_a):
    """A gas leak: contact within 15 min, at the door within 30 min, resolved within 2 h."""
    with at():
        return file_portal(category="gas_leak", description="楼道有燃气味")


def sweep(minutes, capture):
    with at(minutes=minutes), capture(execute=True):
        return services.request_sweep()


def test_a_request_is_due_soon_in_the_last_quarter_of_its_limit(
    gas_request, outbox, django_capture_on_commit_callbacks
):
    assert sweep(10, django_capture_on_commit_callbacks).due_soon == 0
    result = sweep(12, django_capture_on_commit_callbacks)
    assert result.due_soon == 1
    gas_request.refresh_from_db()
    assert gas_request.due_state == DueState.DUE_SOON
    # the worker was told when the request was filed, then that it is due soon
    assert [n.kind for n in outbox] == ["assigned", "due_soon"]
    assert sweep(13, django_capture_on_commit_callbacks).due_soon == 0


def test_an_overdue_request_escalates_to_the_branch_secretary_then_the_secretary(
    gas_request, contacts, outbox, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level("INFO", logger="linli.hotline.notify")
    result = sweep(16, django_capture_on_commit_callbacks)
    assert (result.overdue, result.escalated) == (1, 1)
    gas_request.refresh_from_db()
    assert gas_request.due_state == DueState.OVERDUE and gas_request.was_overdue
    assert gas_request.escalation_level == EscalationLevel.GRID_BRANCH_SECRETARY
    assert gas_request.escalated_to_name == "王书记"
    # The secretaries are configured contacts without accounts: the desk logs for them.
    assert "王书记" in caplog.text and "0514-8000001" in caplog.text
    assert [n.kind for n in outbox] == ["assigned", "overdue"]
    # One more span of the missed limit (15 min) later: the community secretary.
    result = sweep(31, django_capture_on_commit_callbacks)
    assert result.escalated == 1
    gas_request.refresh_from_db()
    assert gas_request.escalation_level == EscalationLevel.COMMUNITY_SECRETARY
    assert gas_request.escalated_to_name == "陈书记"


def test_running_the_sweep_twice_escalates_once(
    gas_request, contacts, django_capture_on_commit_callbacks
):
    first = sweep(16, django_capture_on_commit_callbacks)
    second = sweep(16, django_capture_on_commit_callbacks)
    assert (first.overdue, first.escalated) == (1, 1)
    assert (second.overdue, second.escalated, second.due_soon) == (0, 0, 0)
    events = RequestEvent.objects.filter(request=gas_request, kind__in=["overdue", "escalated"])
    assert sorted(events.values_list("kind", flat=True)) == ["escalated", "overdue"]


def test_a_very_late_sweep_escalates_straight_to_the_top_once(
    gas_request, contacts, django_capture_on_commit_callbacks
):
    result = sweep(120, django_capture_on_commit_callbacks)
    assert result.escalated == 2
    assert sweep(121, django_capture_on_commit_callbacks).escalated == 0


def test_acceptance_moves_the_clock_to_the_next_deadline(
    gas_request, worker_a, actor_of, contacts, django_capture_on_commit_callbacks
):
    with at(minutes=5):
        services.request_accept(actor=actor_of(worker_a), public_id=gas_request.public_id)
    # At 20 min the contact limit has passed, but the request was contacted in time; the door
    # visit is due at 30 min, so it is only due soon.
    result = sweep(26, django_capture_on_commit_callbacks)
    assert (result.overdue, result.due_soon) == (0, 1)
    result = sweep(31, django_capture_on_commit_callbacks)
    assert result.overdue == 1
    gas_request.refresh_from_db()
    assert gas_request.contacted_in_time is True


def test_the_party_tree_is_preferred_to_configured_contacts(
    gas_request, contacts, django_capture_on_commit_callbacks, world, admin
):
    def party_source(community_id, grid_id):
        return [
            escalation.EscalationContact(
                level=escalation.GRID_BRANCH_SECRETARY, name="党支部刘书记", user_id=admin.id
            )
        ]

    escalation.register_escalation_source(party_source)
    try:
        sweep(16, django_capture_on_commit_callbacks)
    finally:
        escalation._SOURCES.remove(party_source)
    gas_request.refresh_from_db()
    assert gas_request.escalated_to_name == "党支部刘书记"
    assert gas_request.escalated_to_id == admin.id


def test_without_any_contact_it_still_escalates_and_says_so(
    gas_request, django_capture_on_commit_callbacks
):
    sweep(16, django_capture_on_commit_callbacks)
    gas_request.refresh_from_db()
    assert gas_request.escalation_level == EscalationLevel.GRID_BRANCH_SECRETARY
    assert gas_request.escalated_to_name == ""


def test_resolved_requests_nobody_rates_close_after_seven_days(
    gas_request, worker_a, actor_of, django_capture_on_commit_callbacks
):
    worker = actor_of(worker_a)
    with at(minutes=5):
        services.request_accept(actor=worker, public_id=gas_request.public_id)
        services.request_resolve(actor=worker, public_id=gas_request.public_id, note="关阀")
    assert sweep(60 * 24 * 6, django_capture_on_commit_callbacks).closed == 0
    assert sweep(60 * 24 * 7 + 10, django_capture_on_commit_callbacks).closed == 1
    gas_request.refresh_from_db()
    assert gas_request.status == Status.CLOSED and gas_request.rating is None
    assert sweep(60 * 24 * 8, django_capture_on_commit_callbacks).closed == 0


def test_the_periodic_huey_task_runs_the_sweep(gas_request, contacts):
    with at(minutes=16):
        hotline_sweep()
    assert ServiceRequest.objects.get(pk=gas_request.pk).escalation_level == 1
