"""Elderly care API (`/api/care/`), with the pages' scoping: grid workers read the register
(levels, flags, open tasks) but never assessment answers; care workers and the admin read
records; a resident reads his household's elders and rates their visits."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from linli.care import selectors, services
from linli.care.permissions import MANAGE, PORTAL, VIEW_BOARD, VIEW_REGISTER, WORK_TASKS
from linli.core.api import QueryParam
from linli.core.permissions import communities_for
from linli.core.web import MAX_QUERY_INT, actor_of, require_perm

router = Router(tags=["care"])


class ElderOut(Schema):
    public_id: UUID
    name: str
    age: int
    grid: str
    address: str
    over_80: bool
    disabled: bool
    living_alone: bool
    empty_nest: bool
    low_income: bool
    level: str
    assessed_on: dt.date | None
    emergency_name: str
    emergency_phone: str


def _elder_out(e: Any) -> dict[str, Any]:
    return {
        "public_id": e.public_id,
        "name": e.resident.name,
        "age": e.resident.age,
        "grid": e.grid.name,
        "address": e.household.address,
        "over_80": e.over_80,
        "disabled": e.disabled,
        "living_alone": e.living_alone,
        "empty_nest": e.empty_nest,
        "low_income": e.low_income,
        "level": e.level,
        "assessed_on": e.assessed_on,
        "emergency_name": e.emergency_name,
        "emergency_phone": e.emergency_phone_masked,
    }


class AssessmentSummaryOut(Schema):
    public_id: UUID
    assessed_on: dt.date
    reason: str
    level: str


class AssessmentOut(AssessmentSummaryOut):
    answers: dict[str, int]
    dimension_totals: dict[str, int]
    total: int
    base_level: str
    adjustments: list[str]
    dementia: bool
    risk_events: int
    notes: str


class AssessmentIn(Schema):
    reason: str
    answers: dict[str, Any]
    dementia: bool = False
    risk_events: int = 0
    assessed_on: dt.date | None = None
    notes: str = ""


class VisitOut(Schema):
    public_id: UUID
    elder_id: UUID
    elder: str
    service: str
    provider: str
    scheduled_at: dt.datetime
    status: str
    place: str
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    late: bool
    rating: int | None


def _visit_out(v: Any) -> dict[str, Any]:
    return {
        "public_id": v.public_id,
        "elder_id": v.elder.public_id,
        "elder": v.elder.resident.name,
        "service": v.service.name,
        "provider": v.provider.name,
        "scheduled_at": v.scheduled_at,
        "status": v.status,
        "place": v.place,
        "checked_in_at": v.checked_in_at,
        "checked_out_at": v.checked_out_at,
        "late": v.late,
        "rating": v.rating,
    }


class CareCheckInIn(Schema):
    place: str = ""


class CheckOutIn(Schema):
    notes: str = ""


class CareRateIn(Schema):
    rating: int
    comment: str = ""


class TaskOut(Schema):
    public_id: UUID
    rule: str
    title: str
    grid: str
    address: str
    due_at: dt.datetime
    status: str
    escalated: bool


class VisitLogIn(Schema):
    purpose: str
    met: str = ""
    findings: str = ""
    follow_ups: str = ""
    file_request: bool = False
    category_code: str = ""


class VisitLogOut(Schema):
    public_id: UUID
    visited_at: dt.datetime
    purpose: str
    request_number: str


class BoardRowOut(Schema):
    grid: str
    open_tasks: int
    overdue: int
    households: int
    visited: int


class BoardOut(Schema):
    quarter: str
    found: int
    solved: int
    elders: int
    visits_month: int
    on_time_pct: int | None
    grids: list[BoardRowOut]


@router.get("/elders", response=list[ElderOut])
def elders(
    request: HttpRequest,
    flag: str = "",
    level: str = "",
    q: str = "",
    page: int = QueryParam(1, ge=1, le=MAX_QUERY_INT),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> list[dict[str, Any]]:
    actor = actor_of(request)
    require_perm(actor, VIEW_REGISTER)
    qs = selectors.elder_list(actor, selectors.ElderFilters(flag=flag, level=level, q=q))
    start = (page - 1) * page_size
    return [_elder_out(e) for e in qs[start : start + page_size]]


@router.get("/elders/{public_id}", response=ElderOut)
def elder(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    return _elder_out(selectors.elder_get(actor_of(request), public_id))


@router.get("/elders/{public_id}/assessments", response=list[AssessmentSummaryOut])
def elder_assessments(request: HttpRequest, public_id: UUID) -> list[Any]:
    """Dates and levels (the answers: GET /assessments/{id}, audited)."""
    actor = actor_of(request)
    page = selectors.elder_page(actor, selectors.elder_get(actor, public_id))
    return list(page.assessments)


@router.post("/elders/{public_id}/assessments", response={201: AssessmentOut})
def assessment_create(request: HttpRequest, public_id: UUID, data: AssessmentIn) -> tuple[int, Any]:
    return 201, services.assessment_create(
        actor=actor_of(request),
        elder_public_id=public_id,
        reason=data.reason,
        answers=data.answers,
        dementia=data.dementia,
        risk_events=data.risk_events,
        assessed_on=data.assessed_on,
        notes=data.notes,
    )


@router.get("/assessments/{public_id}", response=AssessmentOut)
def assessment(request: HttpRequest, public_id: UUID) -> Any:
    return services.assessment_read(actor=actor_of(request), public_id=public_id)


@router.get("/visits/today", response=list[VisitOut])
def visits_today(request: HttpRequest, day: dt.date | None = None) -> list[dict[str, Any]]:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return [_visit_out(v) for v in selectors.visits_today(actor, day)]


@router.post("/visits/{public_id}/check-in", response=VisitOut)
def check_in(request: HttpRequest, public_id: UUID, data: CareCheckInIn) -> dict[str, Any]:
    actor = actor_of(request)
    services.visit_check_in(actor=actor, public_id=public_id, place=data.place)
    return _visit_out(selectors.visit_get(actor, public_id))


@router.post("/visits/{public_id}/check-out", response=VisitOut)
def check_out(request: HttpRequest, public_id: UUID, data: CheckOutIn) -> dict[str, Any]:
    actor = actor_of(request)
    services.visit_check_out(actor=actor, public_id=public_id, notes=data.notes)
    return _visit_out(selectors.visit_get(actor, public_id))


@router.post("/visits/{public_id}/rate", response=VisitOut)
def rate(request: HttpRequest, public_id: UUID, data: CareRateIn) -> dict[str, Any]:
    actor = actor_of(request)
    services.visit_rate(actor=actor, public_id=public_id, rating=data.rating, comment=data.comment)
    return _visit_out(
        selectors.visit_for_resident(actor, public_id)
        if not _staff(actor)
        else selectors.visit_get(actor, public_id)
    )


def _staff(actor: Any) -> bool:
    from linli.core.permissions import has_perm

    return has_perm(actor, MANAGE)


@router.get("/me/visits", response=list[VisitOut])
def my_visits(request: HttpRequest) -> list[dict[str, Any]]:
    """The signed-in resident's household: upcoming visits and those waiting for a rating."""
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    care = selectors.care_for_resident(actor)
    return [_visit_out(v) for v in [*care.to_rate, *care.upcoming]]


@router.get("/tasks", response=list[TaskOut])
def tasks(
    request: HttpRequest,
    state: str = "open",
    page: int = QueryParam(1, ge=1, le=MAX_QUERY_INT),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> list[dict[str, Any]]:
    actor = actor_of(request)
    require_perm(actor, WORK_TASKS)
    start = (page - 1) * page_size
    return [
        {
            "public_id": t.public_id,
            "rule": t.rule.code,
            "title": t.title,
            "grid": t.grid.name,
            "address": t.household.address,
            "due_at": t.due_at,
            "status": t.status,
            "escalated": t.escalated_at is not None,
        }
        for t in selectors.task_list(actor, state)[start : start + page_size]
    ]


@router.post("/tasks/{public_id}/visit-log", response={201: VisitLogOut})
def task_visit_log(request: HttpRequest, public_id: UUID, data: VisitLogIn) -> tuple[int, Any]:
    """Clear a task with a visit log (the finding may file a Community 110 request)."""
    actor = actor_of(request)
    row = selectors.task_get(actor, public_id)
    return 201, services.visit_log_create(
        actor=actor,
        household_public_id=row.household.public_id,
        task_public_id=public_id,
        **data.dict(),
    )


@router.get("/board", response=BoardOut)
def board(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request)
    require_perm(actor, VIEW_BOARD)
    b = selectors.board(actor, list(communities_for(actor, VIEW_BOARD)))
    return {
        "quarter": b.quarter,
        "found": b.found,
        "solved": b.solved,
        "elders": b.elders,
        "visits_month": b.visits_month,
        "on_time_pct": b.on_time_pct,
        "grids": [
            {
                "grid": r.name,
                "open_tasks": r.open_tasks,
                "overdue": r.overdue,
                "households": r.households,
                "visited": r.visited,
            }
            for r in b.rows
        ],
    }
