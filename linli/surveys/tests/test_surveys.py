"""Surveys: answers checked against their questions and skip logic, one answer per resident
or household, the window, anonymity that keeps no link in the database, paper entry, the
wellbeing indices against a hand-worked fixture."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from linli.core import dates
from linli.core.errors import DomainError
from linli.core.models import AuditEvent
from linli.surveys import selectors, services
from linli.surveys.choices import Unit
from linli.surveys.models import Answer, ReceiptSet, Response
from linli.surveys.tests.conftest import make_survey

GOOD = {"q1": "8", "q2": "9", "q3": "10", "q4": "5"}


def test_the_question_list_is_read_with_kinds_requirements_and_skip_logic():
    specs = services.parse_questions(
        "[single*] 独居？ | 是 | 否\n"
        "[multiple] 服务 | 助餐 | 助浴 ?if q1=是\n"
        "[rating10:gain] 获得感"
    )
    assert [(s.key, s.kind, s.required) for s in specs] == [
        ("q1", "single", True),
        ("q2", "multiple", False),
        ("q3", "rating10", False),
    ]
    assert (specs[1].show_if_key, specs[1].show_if_values) == ("q1", ("是",))
    assert specs[2].dimension == "gain"
    for bad in (
        "独居？",
        "[single] 独居？ | 是",
        "[text:gain] 说说",
        "[single] a | b\n[text] x ?if q2=1",
    ):
        with pytest.raises(DomainError):
            services.parse_questions(bad)


def test_a_resident_answers_once_and_a_second_answer_is_refused(wellbeing, resident_user, actor_of):
    actor = actor_of(resident_user)
    services.response_submit(actor=actor, survey_public_id=wellbeing.public_id, answers=GOOD)
    with pytest.raises(DomainError) as exc:
        services.response_submit(actor=actor, survey_public_id=wellbeing.public_id, answers=GOOD)
    assert exc.value.code == "survey_already_answered"
    assert Response.objects.filter(survey=wellbeing).count() == 1
    assert ReceiptSet.objects.get(survey=wellbeing).count == 1


def test_an_anonymous_answer_keeps_no_link_to_the_person_in_the_database(
    wellbeing, resident_user, world, client_for
):
    audit_before = AuditEvent.objects.count()
    client = client_for(resident_user)
    url = reverse("surveys:answer", args=[wellbeing.public_id])
    assert client.post(url, GOOD).status_code == 302
    me = world.resident_a1
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM surveys_response")
        columns = [c[0] for c in cur.description]
        rows = [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]
    # The columns are these and no more: nothing else could hold who answered or when.
    assert set(columns) == {
        "id",
        "survey_id",
        "anonymous",
        "resident_id",
        "household_id",
        "day",
        "grid_id",
        "age_band",
        "channel",
        "followup_id",
    }
    (row,) = rows
    assert row["resident_id"] is None and row["household_id"] is None
    assert row["day"] is None and row["followup_id"] is None
    assert len(str(row["id"]).replace("-", "")) == 32  # a random UUID, not a sequence
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM surveys_answer")
        answer_columns = {c[0] for c in cur.description}
    assert answer_columns == {
        "id",
        "response_id",
        "question_id",
        "number",
        "score",
        "values",
        "text",
    }
    # The receipt is a keyed hash, not an id; the receipts say nothing of which answer.
    receipts = ReceiptSet.objects.get(survey=wellbeing).hashes
    assert str(me.pk) not in receipts.split("\n") and len(receipts) == 32
    # No audit row (with its exact time) was written for the answer.
    assert AuditEvent.objects.count() == audit_before
    # A second answer is refused all the same.
    response = client.post(url, GOOD)
    assert response.status_code == 200
    assert Response.objects.filter(survey=wellbeing).count() == 1


def test_an_anonymous_answer_that_carries_an_identity_is_refused(
    wellbeing, resident_user, actor_of, client_for
):
    actor = actor_of(resident_user)
    with pytest.raises(DomainError) as exc:
        services.response_submit(
            actor=actor, survey_public_id=wellbeing.public_id, answers=GOOD, identity="张晓"
        )
    assert exc.value.code == "survey_anonymous_identity"
    with pytest.raises(DomainError) as exc:
        services.response_submit(
            actor=actor,
            survey_public_id=wellbeing.public_id,
            answers={**GOOD, "q5": "请打我电话 13800000001"},
        )
    assert exc.value.code == "survey_anonymous_identity"
    api = client_for(resident_user).post(
        f"/api/surveys/surveys/{wellbeing.public_id}/responses",
        {"answers": GOOD, "respondent": "13800000001"},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["code"] == "survey_anonymous_identity"
    assert not Response.objects.exists() and ReceiptSet.objects.get(survey=wellbeing).count == 0


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({"q1": "8", "q2": "9", "q3": "10"}, "required"),
        ({**GOOD, "q1": "11"}, "invalid_number"),
        ({**GOOD, "q4": "0"}, "invalid_number"),
        ({**GOOD, "q1": "abc"}, "invalid_number"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    wellbeing, resident_user, actor_of, answers, code
):
    with pytest.raises(DomainError) as exc:
        services.response_submit(
            actor=actor_of(resident_user), survey_public_id=wellbeing.public_id, answers=answers
        )
    assert exc.value.code == code
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert ReceiptSet.objects.get(survey=wellbeing).count == 0


def test_answers_outside_the_window_are_refused(admin, actor_of, world, resident_user):
    today = dates.local_today()
    closed = make_survey(
        actor_of(admin),
        world,
        "[rating5*] 满意度",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today - dt.timedelta(days=1),
    )
    future = make_survey(
        actor_of(admin),
        world,
        "[rating5*] 满意度",
        opens_on=today + dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=5),
    )
    for survey in (closed, future):
        with pytest.raises(DomainError) as exc:
            services.response_submit(
                actor=actor_of(resident_user),
                survey_public_id=survey.public_id,
                answers={"q1": "4"},
            )
        assert exc.value.code == "survey_not_open"
    assert not Response.objects.exists()


def test_skip_logic_drops_hidden_answers_and_requires_shown_ones(named, resident_user, actor_of):
    actor = actor_of(resident_user)
    with pytest.raises(DomainError) as exc:
        services.response_submit(
            actor=actor, survey_public_id=named.public_id, answers={"q1": "是"}
        )
    assert exc.value.field == "q2"
    services.response_submit(
        actor=actor, survey_public_id=named.public_id, answers={"q1": "否", "q2": ["助餐"]}
    )
    response = Response.objects.get(survey=named)
    assert [a.question.key for a in response.answers.all()] == ["q1"]
    # A named survey keeps who answered, and when.
    assert response.resident_id == resident_user.resident_id and response.day is not None


def test_one_answer_per_household_refuses_a_family_member(admin, actor_of, world, resident_user):
    survey = make_survey(
        actor_of(admin), world, "[single*] 同意加装电梯？ | 同意 | 不同意", unit=Unit.HOUSEHOLD
    )
    services.paper_enter(
        actor=actor_of(admin),
        survey_public_id=survey.public_id,
        answers={"q1": "同意"},
        resident_public_id=world.resident_a1_child.public_id,
    )
    with pytest.raises(DomainError) as exc:
        services.response_submit(
            actor=actor_of(resident_user),
            survey_public_id=survey.public_id,
            answers={"q1": "不同意"},
        )
    assert exc.value.code == "survey_already_answered"


def test_a_targeted_survey_refuses_residents_outside_its_target(
    admin, actor_of, world, resident_user
):
    survey = make_survey(actor_of(admin), world, "[rating5*] 满意度", grid_id=world.grid_b.pk)
    with pytest.raises(DomainError) as exc:
        services.response_submit(
            actor=actor_of(resident_user), survey_public_id=survey.public_id, answers={"q1": "5"}
        )
    assert exc.value.code == "survey_not_targeted"
    assert selectors.surveys_for_resident(actor_of(resident_user)) == []


def test_paper_questionnaires_are_marked_and_anonymous_ones_name_nobody(
    wellbeing, named, worker_a, actor_of, world
):
    actor = actor_of(worker_a)
    with pytest.raises(DomainError) as exc:
        services.paper_enter(
            actor=actor,
            survey_public_id=wellbeing.public_id,
            answers=GOOD,
            resident_public_id=world.resident_a2.public_id,
        )
    assert exc.value.code == "survey_anonymous_identity"
    r = services.paper_enter(
        actor=actor,
        survey_public_id=wellbeing.public_id,
        answers=GOOD,
        grid_id=world.grid_a.pk,
        band="60-79",
    )
    assert (r.channel, r.resident_id, r.grid_id, r.age_band) == (
        "paper",
        None,
        world.grid_a.pk,
        "60-79",
    )
    with pytest.raises(DomainError) as exc:
        services.paper_enter(actor=actor, survey_public_id=named.public_id, answers={"q1": "否"})
    assert exc.value.code == "required"
    named_r = services.paper_enter(
        actor=actor,
        survey_public_id=named.public_id,
        answers={"q1": "否"},
        resident_public_id=world.resident_a2.public_id,
    )
    assert named_r.resident_id == world.resident_a2.pk and named_r.channel == "paper"
    events = AuditEvent.objects.filter(object_type="surveys.paper_questionnaire")
    assert set(events.values_list("object_id", flat=True)) == {
        str(wellbeing.public_id),
        str(named.public_id),
    }


def test_the_indices_match_the_hand_worked_fixture(wellbeing, admin, actor_of, world):
    """Three paper answers (0–10 ratings ×10; a 1–5 rating → 0, 25, 50, 75, 100):

    | answer | grid | q1 gain | q2 gain | q3 happiness | q4 security |
    | R1     | A    | 8 → 80  | 9 → 90  | 10 → 100     | 5 → 100     |
    | R2     | A    | 7 → 70  | 10 → 100| 6 → 60       | 4 → 75      |
    | R3     | B    | 9 → 90  | 6 → 60  | 8 → 80       | 3 → 50      |

    gain = (80+90+70+100+90+60)/6 = 81.67 → 81.7; happiness = 240/3 = 80.0;
    security = 225/3 = 75.0; grid A: gain = 340/4 = 85.0, happiness 80.0, security 87.5."""
    actor = actor_of(admin)
    for grid, q in (
        (world.grid_a, ("8", "9", "10", "5")),
        (world.grid_a, ("7", "10", "6", "4")),
        (world.grid_b, ("9", "6", "8", "3")),
    ):
        services.paper_enter(
            actor=actor,
            survey_public_id=wellbeing.public_id,
            answers=dict(zip(("q1", "q2", "q3", "q4"), q, strict=True)),
            grid_id=grid.pk,
            band="45-59",
        )
    until = dates.this_month()
    got = {
        p.dimension: p.value for p in selectors.wellbeing_indices([world.community.pk], until=until)
    }
    assert got == {
        "gain": Decimal("81.7"),
        "happiness": Decimal("80.0"),
        "security": Decimal("75.0"),
    }
    grid_a = {
        p.dimension: p.value
        for p in selectors.wellbeing_indices(
            [world.community.pk], until=until, grid_id=world.grid_a.pk
        )
    }
    assert grid_a == {
        "gain": Decimal("85.0"),
        "happiness": Decimal("80.0"),
        "security": Decimal("87.5"),
    }


def test_results_count_answers_and_hide_small_cross_tab_cells(wellbeing, admin, actor_of, world):
    actor = actor_of(admin)
    for i in range(6):
        services.paper_enter(
            actor=actor,
            survey_public_id=wellbeing.public_id,
            answers={"q1": str(5 + i % 2), "q2": "5", "q3": "5", "q4": "3"},
            grid_id=world.grid_a.pk if i < 5 else world.grid_b.pk,
            band="30-44",
        )
    res = selectors.results(actor, wellbeing)
    q1 = res.questions[0]
    assert res.responses == 6 and res.paper == 6
    assert dict(q1.counts)["5"] == 3 and dict(q1.counts)["6"] == 3
    assert q1.mean == Decimal("5.50")
    by_grid = {name: (n, mean) for name, n, mean in q1.by_grid}
    assert by_grid["第一网格"][0] == 5 and by_grid["第一网格"][1] is not None
    assert by_grid["第二网格"] == (1, None)  # one answer: its mean would name someone


def test_the_export_is_a_workbook_without_days_for_an_anonymous_survey(
    wellbeing, admin, actor_of, client_for, world
):
    services.paper_enter(
        actor=actor_of(admin),
        survey_public_id=wellbeing.public_id,
        answers=GOOD,
        grid_id=world.grid_a.pk,
        band="45-59",
    )
    response = client_for(admin).get(reverse("surveys:export", args=[wellbeing.public_id]))
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "日期" not in header and "网格" not in header
    assert AuditEvent.objects.filter(action="export", object_id="surveys.responses").exists()
