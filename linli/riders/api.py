"""Riders API (`/api/riders/`): workers (phones masked), safety reports, the summer class's
figures. Children's names never leave through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from linli.core.errors import NotFound
from linli.core.permissions import Actor, has_perm
from linli.riders import selectors, services
from linli.riders.models import SafetyReport, Worker
from linli.riders.permissions import PORTAL, VIEW

router = Router(tags=["riders"])


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined, no-any-return]


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
    page: int = Query(1, ge=1),
    page_size: int = Query(50, ge=1, le=200),
) -> Any:
    actor = _actor(request)
    if not has_perm(actor, VIEW):
        raise NotFound(_("Not found."))
    start = (page - 1) * page_size
    return list(selectors.worker_list(actor, q=q, kind=kind)[start : start + page_size])


@router.get("/workers/{public_id}", response=WorkerOut)
def worker(request: HttpRequest, public_id: UUID) -> Any:
    return selectors.worker_get(_actor(request), public_id)


@router.get("/reports", response=list[ReportOut])
def reports(request: HttpRequest, status: str = "") -> Any:
    actor = _actor(request)
    if has_perm(actor, VIEW):
        return list(selectors.report_list(actor, status=status)[:200])
    if has_perm(actor, PORTAL):
        return list(selectors.my_reports(actor).select_related("worker")[:200])
    raise NotFound(_("Not found."))


@router.post("/reports", response={201: ReportOut})
def report_file(request: HttpRequest, data: ReportIn) -> Any:
    return Status(
        201,
        services.report_file(
            actor=_actor(request),
            category=data.category,
            place=data.place,
            description=data.description,
        ),
    )


@router.get("/reports/{public_id}", response=ReportOut)
def report(request: HttpRequest, public_id: UUID) -> Any:
    return selectors.report_get(_actor(request), public_id)


@router.post("/reports/{public_id}/verify", response=ReportOut)
def report_verify(request: HttpRequest, public_id: UUID) -> Any:
    return services.report_verify(actor=_actor(request), report_public_id=public_id)


@router.get("/classes", response=list[ClassOut])
def classes(request: HttpRequest) -> Any:
    return list(selectors.class_list(_actor(request)))
