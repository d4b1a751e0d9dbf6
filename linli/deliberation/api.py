"""The deliberation API (`/api/deliberation/`): the tally calculator, matters, meetings,
notices and objections, votes with their live tally and ballots, elevator projects. Same scoping
as the pages: a grid worker sees her grids' rows, a resident his own building's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from linli.core.api import QueryParam
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.permissions import has_perm
from linli.core.web import MAX_QUERY_INT, actor_of, require_perm
from linli.deliberation import costs, selectors, services
from linli.deliberation import tally as engine
from linli.deliberation.errors import DeliberationError
from linli.deliberation.permissions import PARTICIPATE, RECORD, TALLY, VIEW

router = Router(tags=["deliberation"])


class FlatIn(Schema):
    flat: str
    area: str
    owner: str


class TallyIn(Schema):
    rule: Literal["major", "ordinary", "unanimous"]
    electorate: list[FlatIn]
    ballots: dict[str, Literal["agree", "object", "abstain", "unreachable"]] = {}


class TallyOut(Schema):
    total_area: str
    total_owners: int
    participating_area: str
    participating_owners: int
    agreeing_area: str
    agreeing_owners: int
    participation_ok: bool
    approval_ok: bool
    passed: bool


MAX_ELECTORATE = 20000


@router.post("/tally", response=TallyOut)
def tally_calculator(request: HttpRequest, payload: TallyIn) -> Any:
    """The calculator (staff only): the same engine as the live votes. Flats of one owner are one
    head with their areas summed; a flat without a ballot did not take part; areas are decimal
    strings with at most two places."""
    require_perm(actor_of(request), TALLY)
    if len(payload.electorate) > MAX_ELECTORATE:
        raise DomainError(
            _("At most %(n)s flats.") % {"n": MAX_ELECTORATE},
            code=CoreError.INVALID_NUMBER,
            field="electorate",
        )
    try:
        flats = [
            engine.Flat(f.flat, engine.parse_area(f.area, field=f"electorate[{i}].area"), f.owner)
            for i, f in enumerate(payload.electorate)
        ]
        result = engine.tally_flats(payload.rule, flats, payload.ballots)
    except engine.TallyInputError as exc:
        code = {
            "not_in_electorate": DeliberationError.NOT_IN_ELECTORATE,
            "second_ballot": DeliberationError.SECOND_BALLOT,
            "invalid_number": CoreError.INVALID_NUMBER,
            "invalid_choice": CoreError.INVALID_CHOICE,
        }.get(exc.code, CoreError.INVALID)
        raise DomainError(str(exc), code=code, field=exc.field) from None
    return result.as_dict()


class PlaceOut(Schema):
    scope: str
    place: str


class MatterOut(Schema):
    id: UUID
    title: str
    scope: str
    place: str
    base_rule: str
    step: str
    proposed_on: dt.date


def _matter(m: Any) -> dict[str, Any]:
    return {
        "id": m.public_id,
        "title": m.title,
        "scope": m.scope,
        "place": m.place,
        "base_rule": m.base_rule,
        "step": m.step,
        "proposed_on": m.proposed_on,
    }


PAGE = QueryParam(1, ge=1, le=MAX_QUERY_INT)
SIZE = QueryParam(50, ge=1, le=200)


def _page(qs: Any, page: int, size: int) -> Any:
    return qs[(page - 1) * size : page * size]


@router.get("/matters", response=list[MatterOut])
def matters(request: HttpRequest, page: int = PAGE, page_size: int = SIZE) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW, PARTICIPATE)
    qs = (
        selectors.matter_list(actor)
        if has_perm(actor, VIEW)
        else selectors.matters_for_resident(actor)
    )
    return [_matter(m) for m in _page(qs, page, page_size)]


class StepOut(Schema):
    step: str
    outcome: str
    on: dt.date
    by: str
    documents: str


class MatterDetailOut(MatterOut):
    description: str
    steps: list[StepOut]


@router.get("/matters/{public_id}", response=MatterDetailOut)
def matter(request: HttpRequest, public_id: UUID) -> Any:
    actor = actor_of(request)
    if has_perm(actor, VIEW):
        m = selectors.matter_get(actor, public_id)
    else:
        m = selectors.access_qs(selectors.matters_for_resident(actor), public_id)
    steps = [
        {
            "step": s.step,
            "outcome": s.outcome,
            "on": s.on,
            "by": s.by_label,
            "documents": s.documents,
        }
        for s in m.steps.all()
    ]
    return {**_matter(m), "description": m.description, "steps": steps}


class MeetingOut(Schema):
    id: UUID
    title: str
    kind: str
    status: str
    starts_at: dt.datetime
    place: str
    invited: int
    attendees: int
    quorate: bool


@router.get("/meetings", response=list[MeetingOut])
def meetings(request: HttpRequest, page: int = PAGE, page_size: int = SIZE) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return [
        {
            "id": m.public_id,
            "title": m.title,
            "kind": m.kind,
            "status": m.status,
            "starts_at": m.starts_at,
            "place": m.place_name,
            "invited": m.invited,
            "attendees": m.attendees,
            "quorate": m.quorate,
        }
        for m in _page(selectors.meeting_list(actor), page, page_size)
    ]


class NoticeOut(Schema):
    id: UUID
    title: str
    place: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    on_board: bool
    on_portal: bool


def _notice(n: Any) -> dict[str, Any]:
    return {
        "id": n.public_id,
        "title": n.title,
        "place": n.place,
        "starts_on": n.starts_on,
        "ends_on": n.ends_on,
        "status": n.status,
        "on_board": n.on_board,
        "on_portal": n.on_portal,
    }


@router.get("/notices", response=list[NoticeOut])
def notices(request: HttpRequest, page: int = PAGE, page_size: int = SIZE) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW, PARTICIPATE)
    qs = (
        selectors.notice_list(actor)
        if has_perm(actor, VIEW)
        else selectors.notices_for_resident(actor)
    )
    return [_notice(n) for n in _page(qs, page, page_size)]


class ObjectionIn(Schema):
    about: str
    objector: str = ""


class ObjectionOut(Schema):
    id: UUID
    lodged_on: dt.date
    due_on: dt.date
    about: str
    replied_on: dt.date | None


@router.post("/notices/{public_id}/objections", response={201: ObjectionOut})
def notice_object(request: HttpRequest, public_id: UUID, payload: ObjectionIn) -> Any:
    """A resident objects to a notice of his building (or staff log a written objection)."""
    actor = actor_of(request)
    require_perm(actor, RECORD, PARTICIPATE)
    o = services.objection_lodge(
        actor=actor, notice_public_id=public_id, about=payload.about, objector=payload.objector
    )
    return 201, {
        "id": o.public_id,
        "lodged_on": o.lodged_on,
        "due_on": o.due_on,
        "about": o.about,
        "replied_on": o.replied_on,
    }


class VoteOut(Schema):
    id: UUID
    title: str
    place: str
    rule: str
    staircase_unanimous: bool
    opens_on: dt.date
    closes_on: dt.date
    status: str


def _vote(v: Any) -> dict[str, Any]:
    return {
        "id": v.public_id,
        "title": v.title,
        "place": v.place,
        "rule": v.base_rule,
        "staircase_unanimous": v.staircase_unanimous,
        "opens_on": v.opens_on,
        "closes_on": v.closes_on,
        "status": v.status,
    }


@router.get("/votes", response=list[VoteOut])
def votes(request: HttpRequest, page: int = PAGE, page_size: int = SIZE) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW, PARTICIPATE)
    qs = (
        selectors.vote_list(actor) if has_perm(actor, VIEW) else selectors.votes_for_resident(actor)
    )
    return [_vote(v) for v in _page(qs, page, page_size)]


class LiveTallyOut(TallyOut):
    rule: str
    staircase_unanimous: bool | None


class VoteDetailOut(VoteOut):
    tally: LiveTallyOut


def _vote_of(request: HttpRequest, public_id: UUID) -> Any:
    actor = actor_of(request)
    if has_perm(actor, VIEW):
        return selectors.vote_get(actor, public_id)
    return selectors.vote_for_resident(actor, public_id)


@router.get("/votes/{public_id}", response=VoteDetailOut)
def vote(request: HttpRequest, public_id: UUID) -> Any:
    v = _vote_of(request, public_id)
    return {**_vote(v), "tally": selectors.vote_tally(v).as_dict()}


class BallotIn(Schema):
    choice: Literal["agree", "object", "abstain", "unreachable"]
    owner: str = ""
    channel: Literal["paper", "proxy", ""] = ""
    proxy_name: str = ""
    authorisation_ref: str = ""
    signature_ref: str = ""
    change: bool = False


class BallotOut(Schema):
    owner: str
    choice: str
    channel: str
    version: int
    tally: LiveTallyOut


@router.post("/votes/{public_id}/ballots", response={201: BallotOut})
def ballot(request: HttpRequest, public_id: UUID, payload: BallotIn) -> Any:
    """Record a ballot (staff: a written consent or a proxy's for `owner`; a resident: his own)
    and answer the live tally."""
    actor = actor_of(request)
    require_perm(actor, RECORD, PARTICIPATE)
    b = services.ballot_cast(
        actor=actor,
        vote_public_id=public_id,
        choice=payload.choice,
        owner_key=payload.owner,
        channel=payload.channel,
        proxy_name=payload.proxy_name,
        authorisation_ref=payload.authorisation_ref,
        signature_ref=payload.signature_ref,
        change=payload.change,
    )
    return 201, {
        "owner": b.elector.owner_key,
        "choice": b.choice,
        "channel": b.channel,
        "version": b.version,
        "tally": selectors.vote_tally(b.vote).as_dict(),
    }


class WhatIfIn(Schema):
    objecting: list[str]


@router.post("/votes/{public_id}/what-if", response=LiveTallyOut)
def what_if(request: HttpRequest, public_id: UUID, payload: WhatIfIn) -> Any:
    """Would it still pass if these owners objected? Nothing is written."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    v = selectors.vote_get(actor, public_id)
    return selectors.vote_tally(v, objecting=payload.objecting[:MAX_ELECTORATE]).as_dict()


class ProjectOut(Schema):
    id: UUID
    title: str
    place: str
    stage: str
    stuck_reason: str
    total_cost: str
    subsidy: str
    owners_cost: str
    collected: str


def _project(p: Any) -> dict[str, Any]:
    return {
        "id": p.public_id,
        "title": p.title,
        "place": p.place,
        "stage": p.stage,
        "stuck_reason": p.stuck_reason,
        "total_cost": costs.yuan(p.total_cost_fen),
        "subsidy": costs.yuan(p.subsidy_fen),
        "owners_cost": costs.yuan(p.owners_cost_fen),
        "collected": costs.yuan(getattr(p, "collected", 0) or 0),
    }


@router.get("/projects", response=list[ProjectOut])
def projects(request: HttpRequest, page: int = PAGE, page_size: int = SIZE) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return [
        _project(p)
        for p in _page(
            selectors.project_list(actor).order_by("building_id", "unit_id"), page, page_size
        )
    ]


class ShareOut(Schema):
    flat: str
    floor: int
    area: Decimal
    coefficient: Decimal
    share: str
    maintenance: str
    electricity: str
    pledged: str
    collected: str


class ProjectDetailOut(ProjectOut):
    shares: list[ShareOut]


@router.get("/projects/{public_id}", response=ProjectDetailOut)
def project(request: HttpRequest, public_id: UUID) -> Any:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    p = selectors.project_get(actor, public_id)
    shares = [
        {
            "flat": s.household.address,
            "floor": s.floor,
            "area": s.area,
            "coefficient": s.coefficient,
            "share": costs.yuan(s.share_fen),
            "maintenance": costs.yuan(s.maintenance_fen),
            "electricity": costs.yuan(s.electricity_fen),
            "pledged": costs.yuan(s.pledged_fen),
            "collected": costs.yuan(s.collected_fen),
        }
        for s in selectors.project_shares(p)
    ]
    collected = sum(s.collected_fen for s in selectors.project_shares(p))
    p.collected = collected  # type: ignore[attr-defined]
    return {**_project(p), "shares": shares}


class MyShareOut(Schema):
    project: str
    stage: str
    share: str
    maintenance: str
    electricity: str
    collected: str


@router.get("/me/shares", response=list[MyShareOut])
def my_shares(request: HttpRequest) -> Any:
    """The signed-in resident's share of his staircase's elevator."""
    actor = actor_of(request)
    require_perm(actor, PARTICIPATE)
    return [
        {
            "project": s.project.title,
            "stage": s.project.stage,
            "share": costs.yuan(s.share_fen),
            "maintenance": costs.yuan(s.maintenance_fen),
            "electricity": costs.yuan(s.electricity_fen),
            "collected": costs.yuan(s.collected_fen),
        }
        for s in selectors.shares_for_resident(actor)
    ]


__all__ = ["NotFound", "router"]
