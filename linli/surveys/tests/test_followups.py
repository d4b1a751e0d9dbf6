"""Follow-ups after a service: `followup_send` (the public function other domains call) is
idempotent and tells the household's accounts; the household answers once; the answers make
the satisfaction figure per service line; closed Community 110 requests are followed up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from linli.core import dates, notify
from linli.core.errors import DomainError, NotFound
from linli.core.hooks import FigureQuery
from linli.surveys import selectors, services
from linli.surveys.figures import survey_figures
from linli.surveys.models import FollowUp, Response


@pytest.fixture
def sent(world, resident_user):
    messages: list[notify.Message] = []
    notify.register_sink(messages.append)
    try:
        followup = services.followup_send(
            community_id=world.community.pk,
            household_id=world.household_a1.pk,
            service_line="hotline",
            ref="req-1",
            label="HL-1 漏水",
        )
        yield followup, messages
    finally:
        notify._SINKS.remove(messages.append)


def test_a_follow_up_is_sent_once_and_tells_the_household(sent, world, resident_user):
    followup, messages = sent
    assert followup is not None and followup.survey.kind == "followup"
    assert [m.user_ids for m in messages] == [(resident_user.pk,)]
    again = services.followup_send(
        community_id=world.community.pk,
        household_id=world.household_a1.pk,
        service_line="hotline",
        ref="req-1",
    )
    assert again is None and FollowUp.objects.count() == 1


def test_the_household_answers_once_and_others_cannot(sent, resident_user, admin, actor_of):
    followup, _messages = sent
    actor = actor_of(resident_user)
    services.followup_answer(
        actor=actor, followup_id=followup.pk, answers={"q1": "5", "q2": "解决了"}
    )
    with pytest.raises(DomainError) as exc:
        services.followup_answer(
            actor=actor, followup_id=followup.pk, answers={"q1": "1", "q2": "没有解决"}
        )
    assert exc.value.code == "survey_already_answered"
    with pytest.raises(NotFound):
        services.followup_answer(
            actor=actor_of(admin), followup_id=followup.pk, answers={"q1": "5"}
        )
    response = Response.objects.get(followup=followup)
    assert response.resident_id == resident_user.resident_id and not response.anonymous


def test_follow_up_answers_make_the_satisfaction_figure(sent, world, resident_user, actor_of):
    followup, _messages = sent
    services.followup_answer(
        actor=actor_of(resident_user), followup_id=followup.pk, answers={"q1": "4", "q2": "解决了"}
    )
    other = services.followup_send(
        community_id=world.community.pk,
        household_id=world.household_a1.pk,
        service_line="care",
        ref="visit-1",
    )
    services.followup_answer(
        actor=actor_of(resident_user), followup_id=other.pk, answers={"q1": "2", "q2": "部分解决"}
    )
    lines = {
        s.service_line: s
        for s in selectors.followup_satisfaction([world.community.pk], dates.this_month())
    }
    assert (lines["hotline"].rated, lines["hotline"].satisfied) == (1, 1)
    assert lines["care"].percent == Decimal("0.0")
    figures = {
        f.key: f.value
        for f in survey_figures(FigureQuery(frozenset({world.community.pk}), dates.this_month()))
    }
    assert figures["surveys.followup_satisfaction"] == Decimal("50.0")
    assert figures["surveys.followups_rated"] == 2


def test_closed_requests_get_a_follow_up(world, resident_user, actor_of, admin):
    from linli.hotline import services as hotline_services
    from linli.hotline.models import ServiceRequest

    hotline_services.categories_ensure_defaults(
        actor=hotline_services.SYSTEM, community_id=world.community.id
    )
    req = hotline_services.request_file(
        actor=actor_of(resident_user),
        community_id=world.community.id,
        category_code="water",
        description="厨房水管漏水",
        channel="portal",
        household_public_id=world.household_a1.public_id,
        answers={"extent": "本户"},
    )
    ServiceRequest.objects.filter(pk=req.pk).update(status="closed", closed_at=timezone.now())
    since = timezone.now() - timezone.timedelta(days=1)
    assert services.followups_for_closed_requests(since) == 1
    assert services.followups_for_closed_requests(since) == 0  # idempotent
    followup = FollowUp.objects.get()
    assert (followup.household_id, followup.ref) == (world.household_a1.pk, str(req.public_id))
