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


# --- item 6: residents' words are published only when they chose it, anonymised -----------

EXAMPLE = "我是三栋二单元的王秀英，老伴中风瘫痪，电话一三八一二三四五六七八"


@pytest.fixture
def wang_xiuying(world):
    """A resident of the community named as in the issue's example sentence."""
    from linli.testing.factories import ResidentFactory

    return ResidentFactory(household=world.household_a2, name="王秀英", gender="F")


def test_the_anonymiser_masks_the_issues_example_sentence(world, wang_xiuying):
    from linli.hotline.anonymise import anonymise
    from linli.registry.selectors import resident_names

    masked = anonymise(EXAMPLE, names=resident_names(world.community.id), limit=None)
    assert "王秀英" not in masked
    assert "一三八" not in masked and "五六七八" not in masked
    assert "三栋" not in masked and "二单元" not in masked
    assert "老伴中风瘫痪" in masked  # what the problem is stays readable


@pytest.mark.parametrize(
    "text, gone",
    [
        ("电话幺三八幺二三四五六七八找我", "幺三八幺二三四五六七八"),
        ("电话 138-1234-5678 找我", "1234"),
        ("打13812345678", "13812345678"),
        ("住3栋2单元401室", "3栋2单元401"),
        ("住12-2-301", "12-2-301"),
        ("住十二栋三单元", "十二栋三单元"),
        ("身份证321002195803210011", "3210021958"),
    ],
)
def test_the_anonymiser_masks_phones_and_rooms_in_any_numerals(text, gone):
    from linli.hotline.anonymise import anonymise

    assert gone not in anonymise(text, limit=None)


def _resolve(req, worker_a, actor_of):
    worker = actor_of(worker_a)
    services.request_accept(actor=worker, public_id=req.public_id)
    services.request_resolve(actor=worker, public_id=req.public_id, note="ok")


def test_the_public_board_shows_no_words_the_resident_did_not_publish(
    world, file_portal, worker_a, actor_of, client, wang_xiuying
):
    private = file_portal(description="卫生间漏水，家里老人卧床" + EXAMPLE)
    _resolve(private, worker_a, actor_of)
    body = client.get("/hotline/board/wenchang/").content.decode()
    assert "停水漏水" in body  # the category is public
    assert "老人卧床" not in body and "老伴中风瘫痪" not in body


def test_the_public_board_shows_a_published_description_anonymised(
    world, file_portal, worker_a, actor_of, client, wang_xiuying
):
    public = file_portal(description=EXAMPLE, description_public=True)
    _resolve(public, worker_a, actor_of)
    body = client.get("/hotline/board/wenchang/").content.decode()
    assert "老伴中风瘫痪" in body
    assert (
        "王秀英" not in body and "一三八一二三四五六七八" not in body and "三栋二单元" not in body
    )


def test_words_from_the_phone_or_the_riders_are_never_published(world, worker_a, actor_of):
    from linli.core.errors import DomainError
    from linli.core.permissions import Actor

    with pytest.raises(DomainError) as refused:
        services.request_file(
            actor=actor_of(worker_a),
            community_id=world.community.id,
            category_code="noise",
            description="楼上装修",
            channel="phone",
            description_public=True,
        )
    assert refused.value.field == "description_public"
    with pytest.raises(DomainError):
        services.request_file(
            actor=Actor(user_id=None, label="riders"),
            community_id=world.community.id,
            category_code="safety_hazard",
            description="楼道充电",
            channel="safety_outpost",
            description_public=True,
        )


def test_the_portal_form_offers_the_choice_and_defaults_to_private(
    world, resident_user, client_for
):
    client = client_for(resident_user)
    page = client.get("/hotline/portal/new/").content.decode()
    assert 'name="description_public"' in page
    assert "checked" not in page.split('name="description_public"')[1].split(">")[0]
    data = {"category": "noise", "description": "楼上装修太吵"}
    client.post("/hotline/portal/new/", data)
    client.post("/hotline/portal/new/", {**data, "description_public": "1"})
    assert list(
        ServiceRequest.objects.order_by("id").values_list("description_public", flat=True)
    ) == [False, True]
