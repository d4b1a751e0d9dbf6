"""The periodic sweep: due soon, overdue, escalation, closing unrated requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict
from linli.core.escalation import EscalationLevel
from linli.core.models import AuditEvent
from linli.core.states import update_if
from linli.hotline.choices import (
    OPEN_STATUSES,
    REOPEN_WINDOW_DAYS,
    REQUEST_MACHINE,
    DueState,
    EventKind,
    Status,
    Transition,
)
from linli.hotline.models import ServiceRequest
from linli.hotline.services._common import SYSTEM, _ask_followup, _event, _notify_later
from linli.hotline.services.transitions import _escalate


@dataclass(frozen=True)
class SweepResult:
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0
    closed: int = 0


DUE_SOON_SHARE = 4  # due soon = within the last quarter of a limit's span


def _stage(req: ServiceRequest) -> tuple[dt.datetime | None, dt.datetime]:
    """(deadline, start of its span) of the stage the request is in."""
    start = (
        req.accepted_at if req.status != Status.SUBMITTED and req.accepted_at else req.submitted_at
    )
    if req.reopen_count and req.rated_at and req.status == Status.ACCEPTED:
        start = max(start, req.rated_at)
    deadline = req.next_deadline
    return (deadline if isinstance(deadline, dt.datetime) else None), start


def request_sweep_one(req: ServiceRequest, now: dt.datetime) -> SweepResult:
    """Mark one open request due soon or overdue and escalate it as far as it is late:
    the branch secretary at the deadline, the community secretary one more span later."""
    deadline, start = _stage(req)
    if deadline is None:
        return SweepResult()
    span = max(deadline - start, dt.timedelta(minutes=1))
    due_soon = overdue = escalated = 0
    with transaction.atomic():
        if now < deadline:
            if req.due_state == DueState.ON_TIME and now >= deadline - span / DUE_SOON_SHARE:
                marked = update_if(
                    ServiceRequest,
                    pk=req.pk,
                    where={"status": req.status, "due_state": DueState.ON_TIME},
                    due_state=DueState.DUE_SOON,
                    due_soon_at=now,
                )
                if marked:
                    due_soon = 1
                    _event(
                        req,
                        EventKind.DUE_SOON,
                        SYSTEM,
                        public=False,
                        at=now,
                        text=_("Due by %(at)s.")
                        % {"at": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
                    )
                    _notify_later(
                        req,
                        "due_soon",
                        _("Request %(number)s is due soon.") % {"number": req.number},
                        req.assignee_id,
                    )
            return SweepResult(due_soon=due_soon)
        if req.overdue_at is None:
            marked = update_if(
                ServiceRequest,
                pk=req.pk,
                where={"status": req.status, "overdue_at__isnull": True},
                due_state=DueState.OVERDUE,
                overdue_at=now,
                was_overdue=True,
            )
            if marked:
                overdue = 1
                _event(req, EventKind.OVERDUE, SYSTEM, public=False, at=now)
                audit_record(
                    actor=SYSTEM,
                    action=AuditEvent.Action.UPDATE,
                    obj=req,
                    community_id=req.community_id,
                    after={"transition": "overdue", "deadline": deadline.isoformat()},
                )
                _notify_later(
                    req,
                    "overdue",
                    _("Request %(number)s is overdue.") % {"number": req.number},
                    req.assignee_id,
                )
        late_spans = int((now - deadline) / span)
        target = min(1 + late_spans, EscalationLevel.COMMUNITY_SECRETARY)
        req.refresh_from_db()
        while req.escalation_level < target:
            if not _escalate(req, req.escalation_level + 1, SYSTEM, _("overdue"), now):
                break
            escalated += 1
    return SweepResult(overdue=overdue, escalated=escalated)


def request_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """The periodic sweep (huey, every few minutes): due soon, overdue, escalation, and the
    closing of resolved requests nobody rated within the reopen window. Idempotent: every
    mark is a conditional UPDATE, so running it twice changes nothing the second time."""
    now = now or timezone.now()
    due_soon = overdue = escalated = closed = 0
    candidates = (
        ServiceRequest.objects.filter(status__in=OPEN_STATUSES)
        .exclude(due_state=DueState.OVERDUE, escalation_level=EscalationLevel.COMMUNITY_SECRETARY)
        .select_related("category")
        .order_by("id")
    )
    for req in candidates.iterator(chunk_size=500):
        result = request_sweep_one(req, now)
        due_soon += result.due_soon
        overdue += result.overdue
        escalated += result.escalated
    stale = now - dt.timedelta(days=REOPEN_WINDOW_DAYS)
    for req in ServiceRequest.objects.filter(
        status=Status.RESOLVED, resolved_at__lt=stale
    ).iterator(chunk_size=500):
        if _close_unrated(req, now):
            closed += 1
    return SweepResult(due_soon=due_soon, overdue=overdue, escalated=escalated, closed=closed)


@transaction.atomic
def _close_unrated(req: ServiceRequest, now: dt.datetime) -> bool:
    """Close a resolved request nobody rated within the reopen window (False: someone acted
    on it meanwhile, which wins)."""
    try:
        REQUEST_MACHINE.move(req, Transition.CLOSE, to=Status.CLOSED, closed_at=now)
    except Conflict:
        return False
    _event(
        req,
        EventKind.CLOSED,
        SYSTEM,
        at=now,
        text=_("Closed: no verdict within %(days)d days.") % {"days": REOPEN_WINDOW_DAYS},
    )
    audit_record(
        actor=SYSTEM,
        action=AuditEvent.Action.UPDATE,
        obj=req,
        community_id=req.community_id,
        before={"status": Status.RESOLVED},
        after={"transition": "close", "status": Status.CLOSED, "unrated": True},
    )
    _ask_followup(req)
    return True
