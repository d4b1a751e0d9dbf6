"""Surveys API (`/api/surveys/`): surveys and their results, the resident's open surveys and
answers, paper questionnaires, follow-ups, the wellbeing indices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status

from linli.core import dates
from linli.core.api import QueryParam
from linli.core.permissions import communities_for, has_perm
from linli.core.web import actor_of, require_perm
from linli.surveys import selectors, services
from linli.surveys.models import FollowUp, Survey
from linli.surveys.permissions import ANSWER, MANAGE, VIEW

router = Router(tags=["surveys"])
MAX_ID = 2**31 - 1


class SurveysQuestionOut(Schema):
    key: str
    kind: str
    text: str
    choices: list[str]
    required: bool
    dimension: str
    show_if_key: str
    show_if_values: list[str]


class SurveyOut(Schema):
    public_id: UUID
    kind: str
    title: str
    description: str
    opens_on: dt.date
    closes_on: dt.date
    unit: str
    anonymous: bool
    grid_id: int | None
    tag: str
    period: dt.date | None


class SurveyDetailOut(SurveyOut):
    questions: list[SurveysQuestionOut]

    @staticmethod
    def resolve_questions(obj: Survey) -> list[Any]:
        return selectors.questions(obj)


class QuestionIn(Schema):
    kind: str
    text: str
    choices: list[str] = []
    required: bool = True
    dimension: str = ""
    show_if: int | None = None  # 1-based number of an earlier choice question
    show_if_values: list[str] = []


class SurveyIn(Schema):
    community_id: int
    title: str
    description: str = ""
    kind: str = "general"
    opens_on: dt.date
    closes_on: dt.date
    unit: str = "resident"
    anonymous: bool = False
    grid_id: int | None = None
    tag: str = ""
    questions: list[QuestionIn]


class AnswerIn(Schema):
    answers: dict[str, Any]
    # Who answers: refused for an anonymous survey (the signed-in resident is the respondent).
    respondent: str = ""


class PaperIn(Schema):
    answers: dict[str, Any]
    resident_public_id: UUID | None = None
    grid_id: int | None = None
    age_band: str = ""


class ResponseOut(Schema):
    survey: UUID
    channel: str
    anonymous: bool


class OpenSurveyOut(Schema):
    survey: SurveyOut
    answered: bool


class FollowUpOut(Schema):
    id: int
    service_line: str
    label: str
    sent_on: dt.date
    answered: bool


class CountOut(Schema):
    label: str
    count: int


class CellOut(Schema):
    group: str
    answers: int
    mean: Decimal | None


class ResultOut(Schema):
    key: str
    text: str
    kind: str
    answered: int
    mean: Decimal | None
    counts: list[CountOut]
    by_grid: list[CellOut]
    by_age: list[CellOut]
    texts: list[str]


class ResultsOut(Schema):
    responses: int
    paper: int
    questions: list[ResultOut]


class IndexOut(Schema):
    period: dt.date
    dimension: str
    value: Decimal
    responses: int


def _spec_text(questions: list[QuestionIn]) -> str:
    lines = []
    for q in questions:
        head = f"[{q.kind}{'*' if q.required else ''}{':' + q.dimension if q.dimension else ''}]"
        body = " | ".join([q.text.replace("|", "｜").replace("\n", " "), *q.choices])
        cond = f" ?if q{q.show_if}={','.join(q.show_if_values)}" if q.show_if else ""
        lines.append(f"{head} {body}{cond}")
    return "\n".join(lines)


@router.get("/surveys", response=list[SurveyOut])
def survey_list(
    request: HttpRequest,
    kind: str = "",
    page: int = QueryParam(1, ge=1, le=100_000),
) -> list[Survey]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    start = (page - 1) * 50
    return list(selectors.survey_list(actor, kind=kind)[start : start + 50])


@router.post("/surveys", response={201: SurveyDetailOut})
def survey_create(request: HttpRequest, data: SurveyIn) -> Status[Survey]:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return Status(
        201,
        services.survey_create(
            actor=actor,
            community_id=data.community_id,
            data=services.SurveyInput(
                title=data.title,
                description=data.description,
                kind=data.kind if data.kind in ("general", "wellbeing") else "general",
                opens_on=data.opens_on,
                closes_on=data.closes_on,
                unit=data.unit if data.unit in ("resident", "household") else "resident",
                anonymous=data.anonymous,
                grid_id=data.grid_id,
                tag=data.tag[:20],
                questions=services.parse_questions(_spec_text(data.questions)),
                period=dates.month_of(data.opens_on)
                if data.kind != "wellbeing"
                else data.opens_on.replace(month=(data.opens_on.month - 1) // 3 * 3 + 1, day=1),
            ),
        ),
    )


@router.get("/surveys/{public_id}", response=SurveyDetailOut)
def survey_get(request: HttpRequest, public_id: UUID) -> Survey:
    actor = actor_of(request)
    if has_perm(actor, VIEW):
        return selectors.survey_get(actor, public_id)
    return selectors.answerable_get(actor, public_id)


@router.get("/surveys/{public_id}/results", response=ResultsOut)
def survey_results(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    survey = selectors.survey_get(actor, public_id)
    res = selectors.results(actor, survey)
    return {
        "responses": res.responses,
        "paper": res.paper,
        "questions": [
            {
                "key": r.question.key,
                "text": r.question.text,
                "kind": r.question.kind,
                "answered": r.answered,
                "mean": r.mean,
                "counts": [{"label": label, "count": n} for label, n in r.counts],
                "by_grid": [{"group": g, "answers": n, "mean": m} for g, n, m in r.by_grid],
                "by_age": [{"group": g, "answers": n, "mean": m} for g, n, m in r.by_age],
                "texts": r.texts,
            }
            for r in res.questions
        ],
    }


@router.post("/surveys/{public_id}/responses", response={201: ResponseOut})
def survey_answer(request: HttpRequest, public_id: UUID, data: AnswerIn) -> Status[dict[str, Any]]:
    r = services.response_submit(
        actor=actor_of(request),
        survey_public_id=public_id,
        answers=data.answers,
        identity=data.respondent,
    )
    return Status(201, {"survey": public_id, "channel": r.channel, "anonymous": r.anonymous})


@router.post("/surveys/{public_id}/paper", response={201: ResponseOut})
def survey_paper(request: HttpRequest, public_id: UUID, data: PaperIn) -> Status[dict[str, Any]]:
    r = services.paper_enter(
        actor=actor_of(request),
        survey_public_id=public_id,
        answers=data.answers,
        resident_public_id=data.resident_public_id,
        grid_id=data.grid_id,
        band=data.age_band,
    )
    return Status(201, {"survey": public_id, "channel": r.channel, "anonymous": r.anonymous})


@router.get("/mine", response=list[OpenSurveyOut])
def mine(request: HttpRequest) -> list[selectors.OpenSurvey]:
    actor = actor_of(request)
    require_perm(actor, ANSWER)
    return selectors.surveys_for_resident(actor)


@router.get("/followups", response=list[FollowUpOut])
def followups(request: HttpRequest) -> list[FollowUp]:
    actor = actor_of(request)
    require_perm(actor, ANSWER)
    return list(selectors.followups_for_resident(actor)[:50])


@router.post("/followups/{followup_id}", response={201: ResponseOut})
def followup_answer(
    request: HttpRequest, followup_id: int, data: AnswerIn
) -> Status[dict[str, Any]]:
    r = services.followup_answer(
        actor=actor_of(request), followup_id=followup_id, answers=data.answers
    )
    return Status(201, {"survey": r.survey.public_id, "channel": r.channel, "anonymous": False})


@router.get("/wellbeing", response=list[IndexOut])
def wellbeing(
    request: HttpRequest,
    community: int | None = QueryParam(None, ge=1, le=MAX_ID),
    grid: int | None = QueryParam(None, ge=1, le=MAX_ID),
) -> list[selectors.IndexPoint]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    communities = list(communities_for(actor, VIEW))
    chosen = [community] if community in communities else communities[:1]
    return selectors.wellbeing_indices(chosen, until=dates.this_month(), grid_id=grid)
