"""Riders API (`/api/riders/`): workers (phones masked), safety reports, the summer class's
figures. Children's names never leave through the API."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status

from linli.core.api import QueryParam
from linli.core.permissions import has_perm
from linli.core.web import actor_of, require_perm
from linli.riders import selectors, services
from linli.riders.models import SafetyReport, SummerClass, Worker
from linli.riders.permissions import PORTAL, VIEW

# Pages beyond this are malformed input (a 422), not a database overflow.
MAX_PAGE = 100_000

router = Router(tags=["riders"])


class WorkerOut(Schema):
    public_id: UUID
    name: str
    kind: str
    platform: str
    work_station: str
    phone: str
    from_registry: bool
    registered_on: dt.date

    @staticmethod
    def resolve_phone(obj: Worker) -> str:
        return obj.shown_phone or ""

    @staticmethod
    def resolve_from_registry(obj: Worker) -> bool:
        return obj.resident_id is not None


class ReportOut(Schema):
    public_id: UUID
    category: str
    place: str
    description: str
    status: str
    hotline_number: str
    points: int
    created_at: dt.datetime
    worker: str

    @staticmethod
    def resolve_worker(obj: SafetyReport) -> str:
        return obj.worker.name


class ReportIn(Schema):
    category: str
    place: str
    description: str


class ClassOut(Schema):
    id: int
    name: str
    place: str
    starts_on: dt.date
    ends_on: dt.date
    capacity: int
    enrolled: int


@router.get("/workers", response=list[WorkerOut])
def workers(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    page: int = QueryParam(1, ge=1, le=MAX_PAGE),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> list[Worker]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    start = (page - 1) * page_size
    return list(selectors.worker_list(actor, q=q, kind=kind)[start : start + page_size])


@router.get("/workers/{public_id}", response=WorkerOut)
def worker(request: HttpRequest, public_id: UUID) -> Worker:
    return selectors.worker_get(actor_of(request), public_id)


@router.get("/reports", response=list[ReportOut])
def reports(request: HttpRequest, status: str = "") -> list[SafetyReport]:
    actor = actor_of(request)
    if has_perm(actor, VIEW):
        return list(selectors.report_list(actor, status=status)[:200])
    require_perm(actor, PORTAL)
    return list(selectors.reports_for_resident(actor).select_related("worker")[:200])


@router.post("/reports", response={201: ReportOut})
def report_file(request: HttpRequest, data: ReportIn) -> Status[SafetyReport]:
    return Status(
        201,
        services.report_file(
            actor=actor_of(request),
            category=data.category,
            place=data.place,
            description=data.description,
        ),
    )


@router.get("/reports/{public_id}", response=ReportOut)
def report(request: HttpRequest, public_id: UUID) -> SafetyReport:
    return selectors.report_get(actor_of(request), public_id)


@router.post("/reports/{public_id}/verify", response=ReportOut)
def report_verify(request: HttpRequest, public_id: UUID) -> SafetyReport:
    return services.report_verify(actor=actor_of(request), report_public_id=public_id)


@router.get("/classes", response=list[ClassOut])
def classes(request: HttpRequest) -> list[SummerClass]:
    return list(selectors.class_list(actor_of(request)))
