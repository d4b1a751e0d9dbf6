"""Follow-ups after a service: `followup_send` (the public function other domains call) is
idempotent and tells the household's accounts; the household answers once; the answers make
the satisfaction figure per service line; closed Community 110 requests are followed up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

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
            service_line="hotline.request",
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
        service_line="hotline.request",
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
        service_line="care.visit",
        ref="visit-1",
    )
    services.followup_answer(
        actor=actor_of(resident_user), followup_id=other.pk, answers={"q1": "2", "q2": "部分解决"}
    )
    lines = {
        s.service_line: s
        for s in selectors.followup_satisfaction([world.community.pk], dates.this_month())
    }
    assert (lines["hotline.request"].rated, lines["hotline.request"].satisfied) == (1, 1)
    assert lines["care.visit"].percent == Decimal("0.0")
    figures = {
        f.key: f.value
        for f in survey_figures(FigureQuery(frozenset({world.community.pk}), dates.this_month()))
    }
    assert figures["surveys.followup_satisfaction"] == Decimal("50.0")
    assert figures["surveys.followups_rated"] == 2


def _filed_request(world: Any, resident_user: Any, actor_of: Any) -> Any:
    from linli.hotline import services as hotline_services

    hotline_services.categories_ensure_defaults(
        actor=hotline_services.SYSTEM, community_id=world.community.id
    )
    return hotline_services.request_file(
        actor=actor_of(resident_user),
        community_id=world.community.id,
        category_code="water",
        description="厨房水管漏水",
        channel="portal",
        household_public_id=world.household_a1.public_id,
        answers={"extent": "本户"},
    )


def test_a_closed_request_sends_exactly_one_follow_up(world, resident_user, actor_of, admin):
    from linli.hotline import services as hotline_services
    from linli.hotline.models import ServiceRequest

    req = _filed_request(world, resident_user, actor_of)
    ServiceRequest.objects.filter(pk=req.pk).update(status="resolved", resolved_at=timezone.now())
    assert not FollowUp.objects.exists()
    hotline_services.request_close(actor=actor_of(admin), public_id=req.public_id)
    followup = FollowUp.objects.get()
    assert (followup.household_id, followup.ref, followup.service_line) == (
        world.household_a1.pk,
        str(req.public_id),
        "hotline.request",
    )
    # reopened and closed again: still the one follow-up
    ServiceRequest.objects.filter(pk=req.pk).update(status="resolved")
    hotline_services.request_close(actor=actor_of(admin), public_id=req.public_id)
    assert FollowUp.objects.count() == 1


def test_a_rated_care_visit_sends_exactly_one_follow_up_and_its_answer_counts(
    world, resident_user, actor_of, care
):
    import importlib

    from django.apps import apps

    from linli.care import services as care_services
    from linli.care.models import Elder, Provider, Service, Visit

    if not Service.objects.exists():  # a transactional test flushed the catalogue rows
        importlib.import_module("linli.care.migrations.0002_standard_and_catalogue").load(
            apps, None
        )
    care_services.elders_sync()
    visit = Visit.objects.create(
        elder=Elder.objects.get(resident=world.resident_a1),
        community=world.community,
        grid=world.grid_a,
        household=world.household_a1,
        service=Service.objects.get(code="cleaning_house"),
        provider=Provider.objects.create(community=world.community, name="P"),
        scheduled_at=timezone.now(),
    )
    care_services.visit_check_in(actor=actor_of(care), public_id=visit.public_id)
    care_services.visit_check_out(actor=actor_of(care), public_id=visit.public_id)
    assert not FollowUp.objects.exists()  # the stars are asked first, one question at a time
    care_services.visit_rate(actor=actor_of(resident_user), public_id=visit.public_id, rating=4)
    followup = FollowUp.objects.get()
    assert (followup.service_line, followup.ref) == ("care.visit", str(visit.public_id))
    services.followup_answer(
        actor=actor_of(resident_user), followup_id=followup.pk, answers={"q1": "5", "q2": "解决了"}
    )
    with translation.override("en"):
        figure = next(
            f
            for f in survey_figures(
                FigureQuery(frozenset({world.community.pk}), dates.this_month())
            )
            if f.key == "surveys.followup_satisfaction"
        )
    assert figure.value == Decimal("100.0") and figure.series == (("Care visit", Decimal("100.0")),)


def test_any_service_line_gets_a_readable_label():
    from linli.surveys.choices import service_line_label

    with translation.override("en"):
        assert service_line_label("venues.booking") == "Venue booking"
        assert service_line_label("venues.service") == "Venue service"
        assert service_line_label("riders.visit").endswith(" · visit")  # its app's name first
        assert service_line_label("elsewhere") == "elsewhere"
