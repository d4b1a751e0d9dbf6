"""A request's transitions, each through `choices.REQUEST_MACHINE` (one conditional UPDATE),
an event and an audit row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.selectors import actor_for_active_user_id, staff_contact
from linli.core.audit import audit_record
from linli.core.errors import Conflict, CoreError, DomainError, NotFound, PermissionDenied
from linli.core.escalation import EscalationLevel
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, can
from linli.core.states import stale_conflict, update_if
from linli.hotline import routing
from linli.hotline.choices import (
    OPEN_STATUSES,
    RATING_REOPENS_AT_MOST,
    REOPEN_WINDOW_DAYS,
    REQUEST_MACHINE,
    CancelSource,
    DueState,
    EventKind,
    Status,
    Transition,
    VerdictSource,
)
from linli.hotline.errors import HotlineError
from linli.hotline.models import RequestEvent, RequestPhoto, ServiceRequest
from linli.hotline.permissions import FILE, MANAGE, VIEW, WORK
from linli.hotline.photos import check_photos
from linli.hotline.services._common import (
    _ask_followup,
    _audit,
    _event,
    _notify_later,
    _notify_residents,
    _save_photos,
)


def _load(actor: Actor, perm: str, public_id: Any) -> ServiceRequest:
    return access(
        actor, perm, ServiceRequest.objects.select_related("category"), public_id=public_id
    )


def _load_for_resident_or_staff(actor: Actor, public_id: Any) -> tuple[ServiceRequest, bool]:
    """Load a request the actor may act on as its resident (FILE) or as staff (WORK);
    the flag says which."""
    try:
        return _load(actor, FILE, public_id), False
    except NotFound:
        return _load(actor, WORK, public_id), True


def _already_accepted(req_pk: int) -> Conflict:
    who = (
        RequestEvent.objects.filter(request_id=req_pk, kind=EventKind.ACCEPTED)
        .values_list("actor_label", flat=True)
        .last()
    )
    return Conflict(
        _("%(who)s accepted this request first; it is theirs now.")
        % {"who": who or _("Someone else")},
        code=HotlineError.ALREADY_ACCEPTED,
    )


def _transition(
    req: ServiceRequest, transition: str, new_status: str, **values: Any
) -> ServiceRequest:
    """Move `req` from its current status with one conditional UPDATE; a lost race is a
    Conflict (for an acceptance, naming who was first)."""
    accepting = transition == Transition.ACCEPT
    if accepting and req.status in (Status.ACCEPTED, Status.ON_SITE):
        raise _already_accepted(req.pk)
    REQUEST_MACHINE.move(
        req,
        transition,
        to=new_status,
        on_conflict=(lambda: _already_accepted(req.pk)) if accepting else None,
        **values,
    )
    req.refresh_from_db()
    return req


_DUE_RESET = {"due_state": DueState.ON_TIME, "due_soon_at": None, "overdue_at": None}


def _seconds_since(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, int((end - start).total_seconds()))


@transaction.atomic
def request_accept(*, actor: Actor, public_id: Any, note: str = "") -> ServiceRequest:
    """First contact: the worker takes the request. Of two at once, one wins."""
    req = _load(actor, WORK, public_id)
    now = timezone.now()
    in_time = req.due_contact_at is None or now <= req.due_contact_at
    values: dict[str, Any] = {"accepted_at": now, "contacted_in_time": in_time, **_DUE_RESET}
    if actor.user_id:
        values["assignee_id"] = actor.user_id
    req = _transition(req, Transition.ACCEPT, Status.ACCEPTED, **values)
    _event(req, EventKind.ACCEPTED, actor, text=note.strip(), at=now)
    _audit(actor, req, Transition.ACCEPT, Status.SUBMITTED, in_time=in_time)
    _notify_residents(
        req,
        "accepted",
        _("Your request %(number)s was accepted.") % {"number": req.number},
        _("%(name)s is looking after it.") % {"name": actor.label.split(" · ")[0]},
    )
    return req


@transaction.atomic
def request_check_in(*, actor: Actor, public_id: Any, note: str = "") -> ServiceRequest:
    """The worker is at the door: time and a note."""
    req = _load(actor, WORK, public_id)
    now = timezone.now()
    values: dict[str, Any] = {"on_site_at": now, "on_site_note": note.strip()[:2000], **_DUE_RESET}
    if req.door_seconds is None:
        values["door_seconds"] = _seconds_since(req.submitted_at, now)
    req = _transition(req, Transition.CHECK_IN, Status.ON_SITE, **values)
    _event(req, EventKind.ON_SITE, actor, text=note.strip(), at=now)
    _audit(actor, req, Transition.CHECK_IN, Status.ACCEPTED)
    _notify_residents(
        req, "visited", _("Your request %(number)s: we are at your door.") % {"number": req.number}
    )
    return req


@transaction.atomic
def request_resolve(
    *, actor: Actor, public_id: Any, note: str, photos: Sequence[UploadedFile[bytes]] = ()
) -> ServiceRequest:
    """What was done (and photos of it); the resident's verdict comes next."""
    req = _load(actor, WORK, public_id)
    text = (note or "").strip()
    if not text:
        raise DomainError(_("Say what was done."), code=CoreError.REQUIRED, field="note")
    checked = check_photos(list(photos))
    now = timezone.now()
    before = req.status
    req = _transition(
        req,
        Transition.RESOLVE,
        Status.RESOLVED,
        resolved_at=now,
        resolution_note=text[:4000],
        resolve_seconds=_seconds_since(req.submitted_at, now),
        **_DUE_RESET,
    )
    _save_photos(req, checked, RequestPhoto.Kind.RESOLUTION)
    _event(req, EventKind.RESOLVED, actor, text=text, at=now)
    _audit(actor, req, Transition.RESOLVE, before)
    _notify_residents(
        req,
        "please_rate",
        _("Your request %(number)s is resolved: please rate it.") % {"number": req.number},
        text[:200],
    )
    return req


def _escalate(req: ServiceRequest, level: int, actor: Actor, reason: str, now: dt.datetime) -> bool:
    """Raise the request to `level` if it is below it (a conditional UPDATE: run twice,
    escalates once). Returns whether it escalated."""
    level = min(level, EscalationLevel.COMMUNITY_SECRETARY)
    if req.escalation_level >= level:
        return False
    contact = routing.escalation_contact(req.community_id, req.grid_id, level)
    escalated = update_if(
        ServiceRequest,
        pk=req.pk,
        where={"escalation_level": req.escalation_level},
        escalation_level=level,
        escalated_to_id=contact.user_id if contact else None,
        escalated_to_name=contact.name[:100] if contact else "",
        last_escalated_at=now,
    )
    if not escalated:
        return False
    previous = req.escalation_level
    req.refresh_from_db()
    level_label = EscalationLevel(level).label
    text = _("Escalated to the %(level)s%(name)s: %(reason)s") % {
        "level": level_label,
        "name": f" {contact.name}" if contact else "",
        "reason": reason,
    }
    _event(req, EventKind.ESCALATED, actor, text=text, at=now, data={"level": level})
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=req,
        community_id=req.community_id,
        before={"escalation_level": previous},
        after={"transition": "escalate", "escalation_level": level, "reason": reason},
    )
    if contact:
        _notify_later(
            req,
            "escalated",
            _("Request %(number)s needs you: %(reason)s")
            % {"number": req.number, "reason": reason},
            contact.user_id,
            name=contact.name,
            phone=contact.phone,
        )
    return True


def _reopen_values(req: ServiceRequest, now: dt.datetime) -> dict[str, Any]:
    """A reopened request is back with its worker, with a fresh resolution limit."""
    return {
        "reopen_count": F("reopen_count") + 1,
        "closed_at": None,
        "due_resolve_at": now + dt.timedelta(minutes=req.category.resolve_minutes),
        "due_visit_at": None,
        **_DUE_RESET,
    }


def _load_as_resident(actor: Actor, public_id: Any) -> ServiceRequest:
    """Load a request the actor may act on as its resident. Staff who can see it are refused
    (403): they do not speak for the resident, whose verdict or withdrawal it is."""
    try:
        return _load(actor, FILE, public_id)
    except NotFound:
        _load(actor, VIEW, public_id)  # outside the scope stays a 404
        raise PermissionDenied(
            _("Only the resident can do this. Record what he told you on the phone instead."),
            code=HotlineError.RESIDENT_ONLY,
        ) from None


def _rate(
    actor: Actor,
    req: ServiceRequest,
    *,
    rating: Any,
    solved: bool,
    comment: str,
    source: str,
    call_note: str = "",
) -> ServiceRequest:
    """Record a verdict: 1–2 reopens the request and escalates it one level; 3–5 closes it."""
    try:
        stars = int(rating)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise DomainError(_("Give 1 to 5 stars."), code=CoreError.INVALID_NUMBER, field="rating")
    now = timezone.now()
    text = (comment or "").strip()[:1000]
    values: dict[str, Any] = {
        "rating": stars,
        "solved": bool(solved),
        "rating_comment": text,
        "rated_at": now,
        "verdict_source": source,
    }
    reopens = stars <= RATING_REOPENS_AT_MOST
    if reopens:
        values.update(_reopen_values(req, now))
        req = _transition(req, Transition.RATE, Status.ACCEPTED, **values)
    else:
        values["closed_at"] = now
        req = _transition(req, Transition.RATE, Status.CLOSED, **values)
    data: dict[str, Any] = {"rating": stars, "solved": bool(solved), "source": source}
    if call_note:
        data["call_note"] = call_note
    _event(req, EventKind.RATED, actor, text=text, at=now, data=data)
    _audit(actor, req, Transition.RATE, Status.RESOLVED, **data)
    if reopens:
        _event(req, EventKind.REOPENED, actor, at=now, text=_("The resident is not satisfied."))
        _escalate(req, req.escalation_level + 1, actor, _("rated %(n)d of 5") % {"n": stars}, now)
        _notify_later(
            req,
            "reopened",
            _("Request %(number)s was rated %(n)d and is open again.")
            % {"number": req.number, "n": stars},
            req.assignee_id,
        )
    else:
        _event(req, EventKind.CLOSED, actor, at=now)
        _ask_followup(req)
    return req


@transaction.atomic
def request_rate(
    *,
    actor: Actor,
    public_id: Any,
    rating: int,
    solved: bool,
    comment: str = "",
) -> ServiceRequest:
    """The resident's own verdict (portal, API). Staff are refused: a verdict they heard on
    the phone goes through `request_rate_from_call`."""
    req = _load_as_resident(actor, public_id)
    return _rate(
        actor, req, rating=rating, solved=solved, comment=comment, source=VerdictSource.RESIDENT
    )


MIN_CALL_NOTE = 4


@transaction.atomic
def request_rate_from_call(
    *,
    actor: Actor,
    public_id: Any,
    rating: int,
    solved: bool,
    call_note: str,
    comment: str = "",
) -> ServiceRequest:
    """Staff write down the verdict the resident gave on the phone, noting the call (when,
    with whom). Kept as `staff_recorded_call`, shown as such in the history and counted apart
    on the rates."""
    req = _load(actor, WORK, public_id)
    note = (call_note or "").strip()
    if len(note) < MIN_CALL_NOTE:
        raise DomainError(
            _("Note the call: when you phoned and whom you spoke to."),
            code=CoreError.REQUIRED,
            field="call_note",
        )
    return _rate(
        actor,
        req,
        rating=rating,
        solved=solved,
        comment=comment,
        source=VerdictSource.STAFF_RECORDED_CALL,
        call_note=note[:200],
    )


@transaction.atomic
def request_reopen(*, actor: Actor, public_id: Any, reason: str) -> ServiceRequest:
    """The resident (or staff for him) reopens within 7 days of the resolution; his earlier
    verdict is withdrawn and he gives a new one after the next resolution."""
    req, by_staff = _load_for_resident_or_staff(actor, public_id)
    text = (reason or "").strip()
    if not text:
        raise DomainError(
            _("Say why the problem is not solved."), code=CoreError.REQUIRED, field="reason"
        )
    REQUEST_MACHINE.check(Transition.REOPEN, req.status)
    now = timezone.now()
    if req.resolved_at is None or now > req.resolved_at + dt.timedelta(days=REOPEN_WINDOW_DAYS):
        raise DomainError(
            _(
                "A request can be reopened within %(days)d days of its resolution; "
                "please file a new one."
            )
            % {"days": REOPEN_WINDOW_DAYS},
            code=HotlineError.REOPEN_WINDOW_PASSED,
        )
    before = req.status
    values = _reopen_values(req, now)
    values.update(
        {
            "rating": None,
            "solved": None,
            "rated_at": None,
            "rating_comment": "",
            "verdict_source": "",
        }
    )
    req = _transition(req, Transition.REOPEN, Status.ACCEPTED, **values)
    _event(req, EventKind.REOPENED, actor, text=text[:1000], at=now, data={"by_staff": by_staff})
    _audit(actor, req, Transition.REOPEN, before, reason=text[:200], by_staff=by_staff)
    _notify_later(
        req,
        "reopened",
        _("Request %(number)s is open again: %(reason)s")
        % {"number": req.number, "reason": text[:100]},
        req.assignee_id,
    )
    return req


@transaction.atomic
def request_close(*, actor: Actor, public_id: Any, note: str = "") -> ServiceRequest:
    """Staff close a resolved request the resident has not rated (e.g. unreachable)."""
    req = _load(actor, WORK, public_id)
    now = timezone.now()
    req = _transition(req, Transition.CLOSE, Status.CLOSED, closed_at=now)
    _event(req, EventKind.CLOSED, actor, text=note.strip(), at=now)
    _audit(actor, req, Transition.CLOSE, Status.RESOLVED)
    _ask_followup(req)
    return req


@transaction.atomic
def request_cancel(*, actor: Actor, public_id: Any, reason: str) -> ServiceRequest:
    """Withdraw an open request, with a reason. The resident's own withdrawal takes it out of
    the three rates; staff cancelling one (a duplicate call, a resident they cannot reach)
    leave it in them, with every deadline it has missed by now counted as missed."""
    req, by_staff = _load_for_resident_or_staff(actor, public_id)
    text = (reason or "").strip()
    if not text:
        raise DomainError(
            _("Give a reason for cancelling."), code=CoreError.REQUIRED, field="reason"
        )
    before = req.status
    now = timezone.now()
    values: dict[str, Any] = {
        "cancelled_at": now,
        "cancel_reason": text[:200],
        "cancel_source": CancelSource.STAFF if by_staff else CancelSource.RESIDENT,
        **_DUE_RESET,
    }
    if by_staff:
        deadline = req.next_deadline
        if isinstance(deadline, dt.datetime) and now > deadline:
            values["was_overdue"] = True
        if req.accepted_at is None and req.due_contact_at is not None:
            values["contacted_in_time"] = now <= req.due_contact_at
    req = _transition(req, Transition.CANCEL, Status.CANCELLED, **values)
    _event(req, EventKind.CANCELLED, actor, text=text[:200], at=now, data={"by_staff": by_staff})
    _audit(actor, req, Transition.CANCEL, before, reason=text[:200], by_staff=by_staff)
    return req


@transaction.atomic
def request_merge(*, actor: Actor, public_id: Any, into_public_id: Any) -> ServiceRequest:
    """Merge a duplicate into the request already being worked; the duplicate's resident
    follows the original."""
    req = _load(actor, WORK, public_id)
    target = _load(actor, WORK, into_public_id)
    if target.pk == req.pk:
        raise DomainError(
            _("A request cannot be merged into itself."), code=HotlineError.INVALID_MERGE
        )
    if (
        target.status in (Status.CANCELLED, Status.MERGED)
        or target.community_id != req.community_id
    ):
        raise DomainError(
            _("Merge into a request that is still being worked."), code=HotlineError.INVALID_MERGE
        )
    before = req.status
    now = timezone.now()
    req = _transition(req, Transition.MERGE, Status.MERGED, merged_into=target, **_DUE_RESET)
    _event(
        req,
        EventKind.MERGED,
        actor,
        text=_("Merged into request %(number)s.") % {"number": target.number},
        at=now,
        data={"into": str(target.public_id)},
    )
    _event(
        target,
        EventKind.UPDATE,
        actor,
        public=False,
        text=_("Request %(number)s was merged into this one.") % {"number": req.number},
        at=now,
    )
    _audit(actor, req, Transition.MERGE, before, into=str(target.public_id))
    return req


@transaction.atomic
def request_reassign(*, actor: Actor, public_id: Any, user_id: int, reason: str) -> ServiceRequest:
    """Hand a request to another worker (who must be able to work it), with a reason."""
    req = _load(actor, MANAGE, public_id)
    text = (reason or "").strip()
    if not text:
        raise DomainError(
            _("Give a reason for the reassignment."), code=CoreError.REQUIRED, field="reason"
        )
    if req.status not in OPEN_STATUSES:
        raise DomainError(
            _("Only open requests can be reassigned."), code=CoreError.INVALID_TRANSITION
        )
    who = actor_for_active_user_id(user_id)
    contact = staff_contact(user_id)
    if who is None or contact is None or not can(who, WORK, req):
        raise DomainError(
            _("This person cannot work requests here."),
            code=HotlineError.INVALID_ASSIGNEE,
            field="user",
        )
    if user_id == req.assignee_id:
        raise DomainError(
            _("The request is already theirs."), code=HotlineError.INVALID_ASSIGNEE, field="user"
        )
    previous = req.assignee_id
    if not update_if(
        ServiceRequest,
        pk=req.pk,
        where={"assignee_id": previous},
        assignee_id=user_id,
        updated_at=timezone.now(),
    ):
        raise stale_conflict()
    req.refresh_from_db()
    _event(
        req,
        EventKind.REASSIGNED,
        actor,
        public=False,
        text=_("To %(name)s: %(reason)s") % {"name": contact.name, "reason": text[:200]},
        data={"from": previous, "to": user_id},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=req,
        community_id=req.community_id,
        before={"assignee": previous},
        after={"transition": "reassign", "assignee": user_id},
        reason=text[:200],
    )
    _notify_later(
        req,
        "assigned",
        _("Request %(number)s was handed to you: %(reason)s")
        % {"number": req.number, "reason": text[:100]},
        user_id,
    )
    return req


@transaction.atomic
def request_note(*, actor: Actor, public_id: Any, text: str, public: bool) -> RequestEvent:
    """A public update (the resident sees it) or an internal note (staff only)."""
    req = _load(actor, WORK, public_id)
    body = (text or "").strip()
    if not body:
        raise DomainError(_("Write something."), code=CoreError.REQUIRED, field="text")
    event = _event(
        req,
        EventKind.UPDATE if public else EventKind.NOTE,
        actor,
        text=body[:4000],
        public=public,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=req,
        community_id=req.community_id,
        after={"transition": "update" if public else "note"},
    )
    return event
