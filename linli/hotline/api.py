"""The request desk's JSON API (`/api/hotline/`): the catalogue, requests (list, one, file,
every transition), duplicates, household lookup for phone intake, and the three rates for any
scope and period. Session sign-in; domain errors become JSON with their status (core.api)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from linli.core import dates
from linli.core.api import QueryParam
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.permissions import Actor, communities_for, has_perm
from linli.core.web import MAX_QUERY_INT, actor_of
from linli.hotline import selectors, services
from linli.hotline.choices import Channel
from linli.hotline.models import RequestEvent, ServiceRequest
from linli.hotline.permissions import FILE, VIEW, VIEW_INTERNAL, VIEW_RATES, WORK
from linli.registry.selectors import household_get

router = Router(tags=["hotline"])


class QuestionOut(Schema):
    key: str
    label: str
    kind: str
    required: bool = False
    choices: list[str] = []


class CategoryOut(Schema):
    code: str
    name: str
    group: str
    priority: str
    contact_minutes: int | None
    visit_minutes: int | None
    resolve_minutes: int
    questions: list[QuestionOut]


class EventOut(Schema):
    at: dt.datetime
    kind: str
    public: bool
    by: str = Field(alias="actor_label")
    text: str
    data: dict[str, Any]


class RequestOut(Schema):
    id: UUID
    number: str
    community: int
    grid: int | None
    household: UUID | None
    address: str
    category: str
    category_name: str
    priority: str
    channel: str
    status: str
    description: str
    description_public: bool
    location_text: str
    answers: dict[str, Any]
    caller_phone: str
    assignee: str
    escalation_level: int
    escalated_to: str
    due_state: str
    submitted_at: dt.datetime
    due_contact_at: dt.datetime | None
    due_visit_at: dt.datetime | None
    due_resolve_at: dt.datetime
    accepted_at: dt.datetime | None
    on_site_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolution_note: str
    rating: int | None
    solved: bool | None
    verdict_source: str
    cancel_source: str
    closed_at: dt.datetime | None
    reopen_count: int
    merged_into: UUID | None


def _out(req: ServiceRequest, internal: bool) -> dict[str, Any]:
    """A request as the API shows it; staff-only fields are blank for residents."""
    return {
        "id": req.public_id,
        "number": req.number,
        "community": req.community_id,
        "grid": req.grid_id,
        "household": req.household.public_id if req.household else None,
        "address": req.household.address if req.household else "",
        "category": req.category.code,
        "category_name": req.category.name,
        "priority": req.priority,
        "channel": req.channel,
        "status": req.status,
        "description": req.description,
        "description_public": req.description_public,
        "location_text": req.location_text,
        "answers": req.answers,
        "caller_phone": req.reporter_phone_masked if internal else "",
        "assignee": str(req.assignee) if req.assignee else "",
        "escalation_level": req.escalation_level,
        "escalated_to": req.escalated_to_name,
        "due_state": req.due_state,
        "submitted_at": req.submitted_at,
        "due_contact_at": req.due_contact_at,
        "due_visit_at": req.due_visit_at,
        "due_resolve_at": req.due_resolve_at,
        "accepted_at": req.accepted_at,
        "on_site_at": req.on_site_at,
        "resolved_at": req.resolved_at,
        "resolution_note": req.resolution_note,
        "rating": req.rating,
        "solved": req.solved,
        "verdict_source": req.verdict_source,
        "cancel_source": req.cancel_source,
        "closed_at": req.closed_at,
        "reopen_count": req.reopen_count,
        "merged_into": req.merged_into.public_id if req.merged_into else None,
    }


class RequestPage(Schema):
    count: int
    results: list[RequestOut]


class RequestDetail(RequestOut):
    events: list[EventOut]


def _detail(actor: Actor, public_id: UUID) -> dict[str, Any]:
    req = selectors.request_get(actor, public_id, selectors.API_RELATED)
    events: list[RequestEvent] = list(selectors.request_events(actor, req))
    return {**_out(req, has_perm(actor, VIEW_INTERNAL)), "events": events}


def _filed_detail(actor: Actor, req: ServiceRequest) -> dict[str, Any]:
    """A request just filed, from what the service returned (no query): its history is the
    one event the service wrote; residents see only public events."""
    internal = has_perm(actor, VIEW_INTERNAL)
    events = [e for e in req.events.all() if internal or e.public]
    return {**_out(req, internal), "events": events}


@router.get("/categories", response=list[CategoryOut])
def category_list(
    request: HttpRequest, community: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT)
) -> Any:
    actor = actor_of(request)
    ids = list(communities_for(actor, VIEW))
    if not ids:
        raise NotFound(_("Not found."))
    community_id = community if community in ids else ids[0]
    return list(selectors.categories(actor, community_id))


@router.get("/requests", response=RequestPage)
def request_list(
    request: HttpRequest,
    status: str = "",
    grid: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    category: str = "",
    assignee: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    community: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    month: str = QueryParam("", description="YYYY-MM"),
    overdue: bool = False,
    reopened: bool = False,
    page: int = QueryParam(1, ge=1, le=MAX_QUERY_INT),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> Any:
    actor = actor_of(request)
    if not has_perm(actor, VIEW):
        raise NotFound(_("Not found."))
    month_start = _parse_month(month) if month else None
    filters = selectors.RequestFilters(
        status=status,
        grid_id=grid,
        category_code=category[:40],
        assignee_id=assignee,
        community_id=community,
        month=month_start,
        overdue_only=overdue,
        reopened_only=reopened,
    )
    qs = selectors.request_list(actor, filters).select_related("merged_into")
    start = (page - 1) * page_size
    internal = has_perm(actor, VIEW_INTERNAL)
    return {
        "count": qs.count(),
        "results": [_out(r, internal) for r in qs[start : start + page_size]],
    }


def _parse_month(value: str) -> dt.date:
    month = dates.parse_month(value)
    if month is None:
        raise DomainError(
            _("A month looks like 2026-03."), code=CoreError.INVALID_DATE, field="month"
        )
    return month


@router.get("/requests/{public_id}", response=RequestDetail)
def request_detail(request: HttpRequest, public_id: UUID) -> Any:
    return _detail(actor_of(request), public_id)


class FileIn(Schema):
    category: str
    description: str
    household: UUID | None = None
    community: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT)
    location_text: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    lat: float | None = None
    long: float | None = None
    answers: dict[str, Any] = {}
    description_public: bool = Field(
        False,
        description="the resident lets the public read his description, anonymised "
        "(portal channel only; refused for staff taking a call)",
    )


@router.post("/requests", response={201: RequestDetail})
def request_file(request: HttpRequest, payload: FileIn) -> Any:
    """A resident files for his own household (portal channel); staff take a call (phone
    channel). Photos are added through the portal page."""
    actor = actor_of(request)
    own_id: int | None = None
    if has_perm(actor, FILE) and not has_perm(actor, WORK):
        home = next((g for g in actor.grants if g.household_id), None)
        if home is None:
            raise NotFound(_("Not found."))
        # His own household comes from his grant (no query); another one is checked by
        # the service's scope check.
        community_id = next(iter(home.community_ids))
        channel = Channel.PORTAL
        household_id: Any = payload.household
        own_id = None if payload.household else home.household_id
    else:
        ids = list(communities_for(actor, WORK))
        if not ids:
            raise NotFound(_("Not found."))
        community_id = payload.community if payload.community in ids else ids[0]
        channel = Channel.PHONE
        household_id = payload.household
        if household_id and len(ids) > 1:  # which of her communities the household is in
            community_id = household_get(actor, household_id).community_id
    req = services.request_file(
        actor=actor,
        community_id=community_id,
        category_code=payload.category,
        description=payload.description,
        channel=channel,
        household_public_id=household_id,
        household_id=own_id,
        location_text=payload.location_text,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        lat=payload.lat,
        long=payload.long,
        answers=payload.answers,
        description_public=payload.description_public,
    )
    return Status(201, _filed_detail(actor, req))


class NoteIn(Schema):
    note: str = ""


class ResolveIn(Schema):
    note: str


class RateIn(Schema):
    rating: int
    solved: bool
    comment: str = ""


class CallVerdictIn(Schema):
    rating: int
    solved: bool
    call_note: str = Field(description="when staff phoned and whom they spoke to")
    comment: str = ""


class ReasonIn(Schema):
    reason: str


class MergeIn(Schema):
    into: UUID


class ReassignIn(Schema):
    user: int
    reason: str


class UpdateIn(Schema):
    text: str
    public: bool = True


@router.post("/requests/{public_id}/accept", response=RequestDetail)
def accept(request: HttpRequest, public_id: UUID, payload: NoteIn | None = None) -> Any:
    actor = actor_of(request)
    services.request_accept(actor=actor, public_id=public_id, note=payload.note if payload else "")
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/check-in", response=RequestDetail)
def check_in(request: HttpRequest, public_id: UUID, payload: NoteIn | None = None) -> Any:
    actor = actor_of(request)
    services.request_check_in(
        actor=actor, public_id=public_id, note=payload.note if payload else ""
    )
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/resolve", response=RequestDetail)
def resolve(request: HttpRequest, public_id: UUID, payload: ResolveIn) -> Any:
    actor = actor_of(request)
    services.request_resolve(actor=actor, public_id=public_id, note=payload.note)
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/rate", response=RequestDetail)
def rate(request: HttpRequest, public_id: UUID, payload: RateIn) -> Any:
    actor = actor_of(request)
    services.request_rate(
        actor=actor,
        public_id=public_id,
        rating=payload.rating,
        solved=payload.solved,
        comment=payload.comment,
    )
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/rate-from-call", response=RequestDetail)
def rate_from_call(request: HttpRequest, public_id: UUID, payload: CallVerdictIn) -> Any:
    """Staff record the verdict the resident gave on the phone (kept as recorded by staff)."""
    actor = actor_of(request)
    services.request_rate_from_call(
        actor=actor,
        public_id=public_id,
        rating=payload.rating,
        solved=payload.solved,
        call_note=payload.call_note,
        comment=payload.comment,
    )
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/reopen", response=RequestDetail)
def reopen(request: HttpRequest, public_id: UUID, payload: ReasonIn) -> Any:
    actor = actor_of(request)
    services.request_reopen(actor=actor, public_id=public_id, reason=payload.reason)
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/close", response=RequestDetail)
def close(request: HttpRequest, public_id: UUID, payload: NoteIn | None = None) -> Any:
    actor = actor_of(request)
    services.request_close(actor=actor, public_id=public_id, note=payload.note if payload else "")
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/cancel", response=RequestDetail)
def cancel(request: HttpRequest, public_id: UUID, payload: ReasonIn) -> Any:
    actor = actor_of(request)
    services.request_cancel(actor=actor, public_id=public_id, reason=payload.reason)
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/merge", response=RequestDetail)
def merge(request: HttpRequest, public_id: UUID, payload: MergeIn) -> Any:
    actor = actor_of(request)
    services.request_merge(actor=actor, public_id=public_id, into_public_id=payload.into)
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/reassign", response=RequestDetail)
def reassign(request: HttpRequest, public_id: UUID, payload: ReassignIn) -> Any:
    actor = actor_of(request)
    services.request_reassign(
        actor=actor, public_id=public_id, user_id=payload.user, reason=payload.reason
    )
    return _detail(actor, public_id)


@router.post("/requests/{public_id}/updates", response={201: EventOut})
def add_update(request: HttpRequest, public_id: UUID, payload: UpdateIn) -> Any:
    event = services.request_note(
        actor=actor_of(request), public_id=public_id, text=payload.text, public=payload.public
    )
    return Status(201, event)


@router.get("/requests/{public_id}/duplicates", response=list[RequestOut])
def duplicates(request: HttpRequest, public_id: UUID) -> Any:
    actor = actor_of(request)
    req = selectors.request_get(actor, public_id)
    if not has_perm(actor, WORK):
        raise NotFound(_("Not found."))
    found = selectors.duplicate_candidates(
        actor, building_id=req.building_id, category_id=req.category_id, exclude_id=req.pk
    ).select_related("assignee", "merged_into")
    return [_out(r, True) for r in found[:20]]


class HouseholdHit(Schema):
    id: UUID
    address: str
    grid: str


@router.get("/lookup", response=list[HouseholdHit])
def lookup(request: HttpRequest, q: str = "") -> Any:
    """Phone intake: the households a caller's phone, a room code or a name point at."""
    actor = actor_of(request)
    if not has_perm(actor, WORK):
        raise NotFound(_("Not found."))
    return [
        {"id": h.public_id, "address": h.address, "grid": h.building.grid.name}
        for h in selectors.household_lookup(actor, q)
    ]


class RatesOut(Schema):
    key: str | None = None
    requests: int
    due_for_contact: int
    contacted_in_time: int
    response_rate: float | None
    rated: int
    solved: int
    resolution_rate: float | None
    satisfied: int
    satisfaction_rate: float | None
    avg_hours_to_door: float | None
    avg_hours_to_resolution: float | None
    overdue: int
    reopened: int
    staff_recorded: int = Field(description="verdicts staff recorded from a call (of rated)")
    staff_cancelled: int = Field(description="requests staff cancelled (of requests)")


@router.get("/rates", response=list[RatesOut])
def rates(
    request: HttpRequest,
    community: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    grid: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    worker: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    category: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    group: str = "",
) -> Any:
    """The three rates for any scope (community, grid, worker, category) and period
    [start, end) (`end` exclusive), overall or grouped by "grid", "month", "worker" or
    "category"."""
    actor = actor_of(request)
    if not has_perm(actor, VIEW_RATES):
        raise NotFound(_("Not found."))
    if group not in ("", "grid", "month", "worker", "category"):
        raise DomainError(_("Unknown grouping."), code=CoreError.INVALID_CHOICE, field="group")
    if start and end and end <= start:
        raise DomainError(
            _("The end must be after the start."), code=CoreError.INVALID_DATE, field="end"
        )
    if community is not None and community not in communities_for(actor, VIEW_RATES):
        raise NotFound(_("Not found."))
    scope = selectors.RateScope(
        community_id=community,
        grid_id=grid,
        worker_id=worker,
        category_code=category[:40],
        start=start,
        end=end,
    )
    now = timezone.now()
    if not group:
        return [{"key": None, **selectors.rates(actor, scope, now=now).as_dict()}]
    return [
        {"key": str(r.key) if r.key is not None else None, **r.as_dict()}
        for r in selectors.rates_by(actor, scope, group, now=now)
    ]
