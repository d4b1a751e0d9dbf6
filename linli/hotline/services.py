"""Every write of the request desk. Each service is keyword-only with `actor` first, runs in
one transaction, loads its request through the permission engine (outside the scope is a 404),
changes the status only along `choices.ALLOWED_FROM`, writes a `RequestEvent` and an audit row
in the same transaction, and notifies people after the commit.

Contention is settled by the database: a transition is a conditional UPDATE on the status it
starts from, so of two workers accepting one request at once exactly one updates a row and the
other is told who was first.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.accounts.selectors import actor_for_user
from linli.core import pii
from linli.core.audit import audit_record
from linli.core.errors import Conflict, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.permissions import (
    Actor,
    access,
    can,
    communities_for,
    has_perm,
    role_perms,
)
from linli.core.roles import Reach
from linli.hotline import catalogue, routing
from linli.hotline.choices import (
    MAX_DESCRIPTION,
    OPEN_STATUSES,
    RATING_REOPENS_AT_MOST,
    REOPEN_WINDOW_DAYS,
    Channel,
    DueState,
    EscalationLevel,
    EventKind,
    Status,
    Transition,
    check_transition,
)
from linli.hotline.models import (
    Category,
    DutyAssignment,
    GridEscalationContact,
    RequestEvent,
    RequestPhoto,
    ServiceRequest,
)
from linli.hotline.notifiers import Notification, notify
from linli.hotline.permissions import FILE, MANAGE, WORK
from linli.hotline.photos import check_photos
from linli.registry.models import Community, Grid, Household
from linli.registry.validators import normalize_phone

# Who acts when nobody does: the periodic sweep.
SYSTEM = Actor(user_id=None, label="Linli")


# --- catalogue ------------------------------------------------------------------------------


def category_install_defaults(*, community_id: int) -> int:
    """Give a community the default catalogue (codes it already has are left alone)."""
    existing = set(
        Category.objects.filter(community_id=community_id).values_list("code", flat=True)
    )
    rows = []
    for order, seed in enumerate(catalogue.DEFAULT_CATALOGUE):
        if seed.code in existing:
            continue
        contact, visit, resolve = catalogue.default_limits(seed.priority)
        rows.append(
            Category(
                community_id=community_id,
                code=seed.code,
                name=seed.name,
                group=seed.group,
                description=seed.description,
                priority=seed.priority,
                contact_minutes=contact,
                visit_minutes=visit,
                resolve_minutes=resolve,
                questions=seed.questions,
                order=(order + 1) * 10,
            )
        )
    Category.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _category(community_id: int, code: str) -> Category:
    category = Category.objects.filter(community_id=community_id, code=code, active=True).first()
    if category is None and not Category.objects.filter(community_id=community_id).exists():
        category_install_defaults(community_id=community_id)
        category = Category.objects.filter(
            community_id=community_id, code=code, active=True
        ).first()
    if category is None:
        raise DomainError(
            _("Unknown request category: %(code)s") % {"code": code[:40]},
            code="unknown_category",
            field="category",
        )
    return category


@dataclass(frozen=True)
class CategoryInput:
    name: str
    priority: str
    contact_minutes: int | None
    visit_minutes: int | None
    resolve_minutes: int
    questions: list[dict[str, Any]]
    active: bool = True
    description: str = ""


@transaction.atomic
def category_update(*, actor: Actor, category_id: int, data: CategoryInput) -> Category:
    """Edit a category's name, priority, time limits and questions (community admins)."""
    category = access(actor, MANAGE, Category.objects.select_for_update(), pk=category_id)
    if not data.name.strip():
        raise DomainError(_("A category needs a name."), code="required", field="name")
    for field_name, value in (
        ("contact_minutes", data.contact_minutes),
        ("visit_minutes", data.visit_minutes),
        ("resolve_minutes", data.resolve_minutes),
    ):
        if value is not None and not 1 <= value <= 60 * 24 * 365:
            raise DomainError(
                _("A time limit is between 1 minute and a year."),
                code="bad_limit",
                field=field_name,
            )
    questions = catalogue.clean_questions(data.questions)
    fields = ["name", "priority", "contact_minutes", "visit_minutes", "resolve_minutes", "active"]
    before = {f: getattr(category, f) for f in fields}
    before["questions"] = category.questions
    category.name = data.name.strip()[:50]
    category.description = data.description.strip()[:200]
    category.priority = data.priority
    category.contact_minutes = data.contact_minutes
    category.visit_minutes = data.visit_minutes
    category.resolve_minutes = data.resolve_minutes
    category.questions = questions
    category.active = data.active
    category.save()
    after = {f: getattr(category, f) for f in fields}
    after["questions"] = questions
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=category,
        community_id=category.community_id,
        before=before,
        after=after,
    )
    return category


# --- filing ---------------------------------------------------------------------------------


def _deadline(start: dt.datetime, minutes: int | None) -> dt.datetime | None:
    return start + dt.timedelta(minutes=minutes) if minutes else None


def _coordinate(value: Any, bound: int, field_name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or not -bound <= number <= bound:
        raise DomainError(
            _("%(field)s must be a number between -%(bound)d and %(bound)d.")
            % {"field": field_name, "bound": bound},
            code="bad_location",
            field=field_name,
        )
    return number.quantize(Decimal("0.000001"))


def _household_for_filing(
    actor: Actor, channel: str, community_id: int, household_public_id: Any
) -> Household | None:
    households = Household.objects.select_related("building", "unit")
    if channel == Channel.PORTAL:
        if not household_public_id:
            raise DomainError(_("Choose the household."), code="required", field="household")
        return access(actor, FILE, households, public_id=household_public_id)
    if household_public_id in (None, ""):
        return None
    if channel == Channel.PHONE:
        return access(actor, WORK, households, public_id=household_public_id)
    # Integration channels attach a household of the same community without scope checks:
    # the calling module authenticated its client; nothing about the household is returned.
    try:
        return households.get(public_id=household_public_id, community_id=community_id)
    except (Household.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("Not found.")) from exc


def _check_filer(actor: Actor, channel: str, community_id: int) -> None:
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), code="bad_channel", field="channel")
    if channel == Channel.PHONE and community_id not in communities_for(actor, WORK):
        raise NotFound(_("Not found."))
    if channel == Channel.PORTAL and not has_perm(actor, FILE):
        raise NotFound(_("Not found."))


def _event(
    req: ServiceRequest,
    kind: str,
    actor: Actor,
    *,
    text: str = "",
    public: bool = True,
    at: dt.datetime | None = None,
    data: dict[str, Any] | None = None,
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=req,
        kind=kind,
        public=public,
        at=at or timezone.now(),
        actor_id=actor.user_id,
        actor_label=actor.label[:150],
        text=text,
        data=data or {},
    )


def _audit(actor: Actor, req: ServiceRequest, transition: str, before: str, **after: Any) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE
        if transition == Transition.SUBMIT
        else AuditEvent.Action.UPDATE,
        obj=req,
        community_id=req.community_id,
        before={"status": before} if before else None,
        after={"transition": transition, "status": req.status, **after},
    )


def _notify_later(
    req: ServiceRequest,
    kind: str,
    text: str,
    user_id: int | None,
    *,
    name: str = "",
    phone: str = "",
) -> None:
    if not user_id and not name:
        return
    number, public_id = req.number, str(req.public_id)

    def send() -> None:
        # Looked up after the commit: the write transaction stays short.
        recipient, work_phone = name, phone
        if user_id and not (recipient and work_phone):
            user_name, user_phone = routing.user_phone(user_id)
            recipient, work_phone = recipient or user_name, work_phone or user_phone
        notify(
            Notification(
                kind=kind,
                request_number=number,
                request_public_id=public_id,
                text=text,
                recipient_name=recipient,
                user_id=user_id,
                phone=work_phone,
            )
        )

    transaction.on_commit(send)


def _save_photos(
    req: ServiceRequest, checked: list[tuple[UploadedFile, str, str]], kind: str
) -> None:
    for upload, content_type, ext in checked:
        photo = RequestPhoto(
            request=req, kind=kind, content_type=content_type, size=upload.size or 0
        )
        upload.seek(0)
        photo.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        photo.save()


def first_of_month(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def request_file(
    *,
    actor: Actor,
    community_id: int,
    category_code: str,
    description: str,
    channel: str,
    household_public_id: Any = None,
    location_text: str = "",
    photos: Sequence[UploadedFile] = (),
    reporter_name: str = "",
    reporter_phone: str = "",
    lat: Any = None,
    long: Any = None,
    answers: dict[str, Any] | None = None,
) -> ServiceRequest:
    """File a request with Community 110: the one entry point of every channel.

    - `channel="portal"`: a resident for his own household (`household_public_id` required;
      another household is a 404).
    - `channel="phone"`: staff holding `hotline.work` in the community, for a household in
      their scope or none.
    - `channel="open311"` / `"safety_outpost"`: another module, which has authenticated its own
      client; `household_public_id` (optional) must belong to the community.

    The request gets the category's deadlines, is routed to the grid's duty worker (or the
    community's duty officer) and the assignee is notified after the commit.

    Checks and reads run before the transaction, which holds only the writes: on SQLite a
    write transaction holds the database's one write lock from its first statement, so a
    short one lets parallel intake through (bench/bench_hotline_intake.py)."""
    _check_filer(actor, channel, community_id)
    if channel not in (Channel.PHONE, Channel.PORTAL) and not (
        Community.objects.filter(pk=community_id).exists()
    ):  # staff and residents reach only communities their grants name
        raise NotFound(_("Not found."))
    household = _household_for_filing(actor, channel, community_id, household_public_id)
    if household is not None and household.community_id != community_id:
        raise NotFound(_("Not found."))
    text = (description or "").strip()
    if not text:
        raise DomainError(_("Describe the problem."), code="required", field="description")
    if len(text) > MAX_DESCRIPTION:
        raise DomainError(
            _("The description may be at most %(n)d characters.") % {"n": MAX_DESCRIPTION},
            code="too_long",
            field="description",
        )
    category = _category(community_id, str(category_code or "").strip())
    clean = catalogue.clean_answers(category.questions, answers)
    lat_value = _coordinate(lat, 90, "lat")
    long_value = _coordinate(long, 180, "long")
    checked = check_photos(list(photos))
    phone = ""
    if reporter_phone and reporter_phone.strip():
        phone = normalize_phone(reporter_phone)
    now = timezone.now()
    grid_id = household.building.grid_id if household else None
    assignee_id = routing.route(community_id, grid_id, now)
    with transaction.atomic():
        return _file(
            actor,
            community_id=community_id,
            household=household,
            category=category,
            channel=channel,
            values={
                "description": text,
                "location_text": (location_text or "").strip()[:200],
                "lat": lat_value,
                "long": long_value,
                "answers": clean,
                "reporter_name": (reporter_name or "").strip()[:50],
                "reporter_phone_encrypted": pii.encrypt(phone),
                "reporter_phone_hash": pii.lookup_hash("phone", phone),
                "reporter_phone_masked": pii.mask_phone(phone),
                "assignee_id": assignee_id,
            },
            photos=checked,
            now=now,
        )


def _file(
    actor: Actor,
    *,
    community_id: int,
    household: Household | None,
    category: Category,
    channel: str,
    values: dict[str, Any],
    photos: list[tuple[UploadedFile, str, str]],
    now: dt.datetime,
) -> ServiceRequest:
    """The writes of `request_file`, inside its transaction."""
    req = ServiceRequest.objects.create(
        community_id=community_id,
        grid_id=household.building.grid_id if household else None,
        building_id=household.building_id if household else None,
        household=household,
        category=category,
        priority=category.priority,
        channel=channel,
        status=Status.SUBMITTED,
        filed_by_id=actor.user_id,
        submitted_at=now,
        period_month=first_of_month(now),
        due_contact_at=_deadline(now, category.contact_minutes),
        due_visit_at=_deadline(now, category.visit_minutes),
        due_resolve_at=now + dt.timedelta(minutes=category.resolve_minutes),
        **values,
    )
    _save_photos(req, photos, RequestPhoto.Kind.REPORT)
    _event(req, EventKind.SUBMITTED, actor, at=now, data={"channel": channel})
    _audit(actor, req, Transition.SUBMIT, "", channel=channel, category=category.code)
    _notify_later(
        req,
        "assigned",
        _("New request %(number)s: %(category)s")
        % {"number": req.number, "category": category.name},
        req.assignee_id,
    )
    return req


# --- transitions ----------------------------------------------------------------------------


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
        code="already_accepted",
    )


def _transition(
    req: ServiceRequest, transition: str, new_status: str, **values: Any
) -> ServiceRequest:
    """Move `req` from its current status with one conditional UPDATE; a lost race is a
    Conflict (for an acceptance, naming who was first)."""
    if transition == Transition.ACCEPT and req.status in (Status.ACCEPTED, Status.ON_SITE):
        raise _already_accepted(req.pk)
    check_transition(transition, req.status)
    updated = ServiceRequest.objects.filter(pk=req.pk, status=req.status).update(
        status=new_status, updated_at=timezone.now(), **values
    )
    if updated != 1:
        if transition == Transition.ACCEPT:
            raise _already_accepted(req.pk)
        raise Conflict(
            _("Someone changed this request a moment ago; reload it and try again."),
            code="conflict",
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
    return req


@transaction.atomic
def request_resolve(
    *, actor: Actor, public_id: Any, note: str, photos: Sequence[UploadedFile] = ()
) -> ServiceRequest:
    """What was done (and photos of it); the resident's verdict comes next."""
    req = _load(actor, WORK, public_id)
    text = (note or "").strip()
    if not text:
        raise DomainError(_("Say what was done."), code="required", field="note")
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
    return req


def _escalate(req: ServiceRequest, level: int, actor: Actor, reason: str, now: dt.datetime) -> bool:
    """Raise the request to `level` if it is below it (a conditional UPDATE: run twice,
    escalates once). Returns whether it escalated."""
    level = min(level, EscalationLevel.COMMUNITY_SECRETARY)
    if req.escalation_level >= level:
        return False
    contact = routing.escalation_contact(req.community_id, req.grid_id, level)
    updated = ServiceRequest.objects.filter(
        pk=req.pk, escalation_level=req.escalation_level
    ).update(
        escalation_level=level,
        escalated_to_id=contact.user_id if contact else None,
        escalated_to_name=contact.name[:100] if contact else "",
        last_escalated_at=now,
    )
    if updated != 1:
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


@transaction.atomic
def request_rate(
    *,
    actor: Actor,
    public_id: Any,
    rating: int,
    solved: bool,
    comment: str = "",
) -> ServiceRequest:
    """The resident's verdict, given in the portal or recorded by staff from a phone call.
    1–2 reopens the request and escalates it one level; 3–5 closes it."""
    req, by_staff = _load_for_resident_or_staff(actor, public_id)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(_("Give 1 to 5 stars."), code="bad_rating", field="rating")
    now = timezone.now()
    values: dict[str, Any] = {
        "rating": rating,
        "solved": bool(solved),
        "rating_comment": (comment or "").strip()[:1000],
        "rated_at": now,
    }
    reopens = rating <= RATING_REOPENS_AT_MOST
    if reopens:
        values.update(_reopen_values(req, now))
        req = _transition(req, Transition.RATE, Status.ACCEPTED, **values)
    else:
        values["closed_at"] = now
        req = _transition(req, Transition.RATE, Status.CLOSED, **values)
    data = {"rating": rating, "solved": bool(solved), "by_staff": by_staff}
    text = (comment or "").strip()
    _event(req, EventKind.RATED, actor, text=text, at=now, data=data)
    _audit(actor, req, Transition.RATE, Status.RESOLVED, rating=rating, solved=bool(solved))
    if reopens:
        _event(req, EventKind.REOPENED, actor, at=now, text=_("The resident is not satisfied."))
        _escalate(req, req.escalation_level + 1, actor, _("rated %(n)d of 5") % {"n": rating}, now)
        _notify_later(
            req,
            "reopened",
            _("Request %(number)s was rated %(n)d and is open again.")
            % {"number": req.number, "n": rating},
            req.assignee_id,
        )
    else:
        _event(req, EventKind.CLOSED, actor, at=now)
    return req


@transaction.atomic
def request_reopen(*, actor: Actor, public_id: Any, reason: str) -> ServiceRequest:
    """The resident (or staff for him) reopens within 7 days of the resolution; his earlier
    verdict is withdrawn and he gives a new one after the next resolution."""
    req, _by_staff = _load_for_resident_or_staff(actor, public_id)
    text = (reason or "").strip()
    if not text:
        raise DomainError(_("Say why the problem is not solved."), code="required", field="reason")
    check_transition(Transition.REOPEN, req.status)
    now = timezone.now()
    if req.resolved_at is None or now > req.resolved_at + dt.timedelta(days=REOPEN_WINDOW_DAYS):
        raise DomainError(
            _(
                "A request can be reopened within %(days)d days of its resolution; "
                "please file a new one."
            )
            % {"days": REOPEN_WINDOW_DAYS},
            code="reopen_window_passed",
        )
    before = req.status
    values = _reopen_values(req, now)
    values.update({"rating": None, "solved": None, "rated_at": None, "rating_comment": ""})
    req = _transition(req, Transition.REOPEN, Status.ACCEPTED, **values)
    _event(req, EventKind.REOPENED, actor, text=text[:1000], at=now)
    _audit(actor, req, Transition.REOPEN, before, reason=text[:200])
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
    return req


@transaction.atomic
def request_cancel(*, actor: Actor, public_id: Any, reason: str) -> ServiceRequest:
    """The resident withdraws his request (staff may record it for him), with a reason."""
    req, _by_staff = _load_for_resident_or_staff(actor, public_id)
    text = (reason or "").strip()
    if not text:
        raise DomainError(_("Give a reason for cancelling."), code="required", field="reason")
    before = req.status
    now = timezone.now()
    req = _transition(
        req,
        Transition.CANCEL,
        Status.CANCELLED,
        cancelled_at=now,
        cancel_reason=text[:200],
        **_DUE_RESET,
    )
    _event(req, EventKind.CANCELLED, actor, text=text[:200], at=now)
    _audit(actor, req, Transition.CANCEL, before, reason=text[:200])
    return req


@transaction.atomic
def request_merge(*, actor: Actor, public_id: Any, into_public_id: Any) -> ServiceRequest:
    """Merge a duplicate into the request already being worked; the duplicate's resident
    follows the original."""
    req = _load(actor, WORK, public_id)
    target = _load(actor, WORK, into_public_id)
    if target.pk == req.pk:
        raise DomainError(_("A request cannot be merged into itself."), code="merge_self")
    if (
        target.status in (Status.CANCELLED, Status.MERGED)
        or target.community_id != req.community_id
    ):
        raise DomainError(
            _("Merge into a request that is still being worked."), code="merge_target"
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
        raise DomainError(_("Give a reason for the reassignment."), code="required", field="reason")
    if req.status not in OPEN_STATUSES:
        raise DomainError(_("Only open requests can be reassigned."), code="invalid_transition")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not can(actor_for_user(user), WORK, req):
        raise DomainError(
            _("This person cannot work requests here."), code="bad_assignee", field="user"
        )
    if user.pk == req.assignee_id:
        raise DomainError(_("The request is already theirs."), code="same_assignee", field="user")
    previous = req.assignee_id
    updated = ServiceRequest.objects.filter(pk=req.pk, assignee_id=previous).update(
        assignee=user, updated_at=timezone.now()
    )
    if updated != 1:
        raise Conflict(_("Someone changed this request a moment ago; reload it and try again."))
    req.refresh_from_db()
    _event(
        req,
        EventKind.REASSIGNED,
        actor,
        public=False,
        text=_("To %(name)s: %(reason)s") % {"name": user, "reason": text[:200]},
        data={"from": previous, "to": user.pk},
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=req,
        community_id=req.community_id,
        before={"assignee": previous},
        after={"transition": "reassign", "assignee": user.pk},
        reason=text[:200],
    )
    _notify_later(
        req,
        "assigned",
        _("Request %(number)s was handed to you: %(reason)s")
        % {"number": req.number, "reason": text[:100]},
        user.pk,
    )
    return req


@transaction.atomic
def request_note(*, actor: Actor, public_id: Any, text: str, public: bool) -> RequestEvent:
    """A public update (the resident sees it) or an internal note (staff only)."""
    req = _load(actor, WORK, public_id)
    body = (text or "").strip()
    if not body:
        raise DomainError(_("Write something."), code="required", field="text")
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


# --- settings: duty roster and escalation contacts ------------------------------------------


@transaction.atomic
def duty_add(
    *,
    actor: Actor,
    community_id: int,
    grid_id: int | None,
    user_id: int,
    weekday: int | None,
    is_fallback: bool,
) -> DutyAssignment:
    if community_id not in communities_for(actor, MANAGE):
        raise NotFound(_("Not found."))
    if weekday is not None and not 0 <= weekday <= 6:
        raise DomainError(_("Choose a weekday."), code="bad_weekday", field="weekday")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if (
        grid_id is not None
        and not Grid.objects.filter(pk=grid_id, community_id=community_id).exists()
    ):
        raise DomainError(_("Choose a grid of this community."), field="grid")
    probe = ServiceRequest(community_id=community_id, grid_id=grid_id)
    if user is None or not _could_work(user, probe):
        raise DomainError(_("This person cannot work requests here."), field="user")
    row = DutyAssignment.objects.create(
        community_id=community_id,
        grid_id=grid_id,
        user=user,
        weekday=weekday,
        is_fallback=is_fallback,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=row,
        community_id=community_id,
        after={"grid": grid_id, "user": user.pk, "weekday": weekday, "fallback": is_fallback},
    )
    return row


def _could_work(user: User, probe: ServiceRequest) -> bool:
    """Whether `user` could work a request of the probe's community and grid (no query for
    the probe itself: the grants are checked against its fields)."""
    who = actor_for_user(user)
    for grant in who.grants:
        if WORK not in role_perms(grant.role):
            continue
        if grant.reach == Reach.GRID:
            if probe.grid_id in grant.grid_ids:
                return True
        elif probe.community_id in grant.community_ids:
            return True
    return False


@transaction.atomic
def duty_remove(*, actor: Actor, duty_id: int) -> None:
    row = access(actor, MANAGE, DutyAssignment.objects.all(), pk=duty_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=row,
        community_id=row.community_id,
        before={"grid": row.grid_id, "user": row.user_id, "weekday": row.weekday},
        after={"removed": True},
    )
    row.delete()


@transaction.atomic
def escalation_contact_set(
    *,
    actor: Actor,
    community_id: int,
    grid_id: int | None,
    level: str,
    name: str,
    phone: str = "",
    user_id: int | None = None,
) -> GridEscalationContact:
    """Set (create or replace) the configured contact at one level for a grid or community."""
    if community_id not in communities_for(actor, MANAGE):
        raise NotFound(_("Not found."))
    if level not in GridEscalationContact.Level.values:
        raise DomainError(_("Choose a level."), field="level")
    if level == GridEscalationContact.Level.GRID_BRANCH_SECRETARY and grid_id is None:
        raise DomainError(_("A branch secretary belongs to a grid."), field="grid")
    if not (name or "").strip():
        raise DomainError(_("Enter a name."), code="required", field="name")
    if (
        grid_id is not None
        and not Grid.objects.filter(pk=grid_id, community_id=community_id).exists()
    ):
        raise DomainError(_("Choose a grid of this community."), field="grid")
    if user_id is not None and not User.objects.filter(pk=user_id, is_active=True).exists():
        raise DomainError(_("Unknown account."), field="user")
    try:
        where: dict[str, Any] = (
            {"grid_id": grid_id} if grid_id is not None else {"grid__isnull": True}
        )
        row, created = GridEscalationContact.objects.update_or_create(
            community_id=community_id,
            level=level,
            **where,
            defaults={"name": name.strip()[:100], "phone": phone.strip()[:30], "user_id": user_id},
        )
    except IntegrityError as exc:
        raise Conflict(_("Someone set this contact a moment ago; reload and try again.")) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=row,
        community_id=community_id,
        after={"grid": grid_id, "level": level, "name": row.name, "user": user_id},
    )
    return row


# --- time limits and escalation -------------------------------------------------------------


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
                marked = ServiceRequest.objects.filter(
                    pk=req.pk, status=req.status, due_state=DueState.ON_TIME
                ).update(due_state=DueState.DUE_SOON, due_soon_at=now)
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
            marked = ServiceRequest.objects.filter(
                pk=req.pk, status=req.status, overdue_at__isnull=True
            ).update(due_state=DueState.OVERDUE, overdue_at=now, was_overdue=True)
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
        with transaction.atomic():
            if ServiceRequest.objects.filter(pk=req.pk, status=Status.RESOLVED).update(
                status=Status.CLOSED, closed_at=now
            ):
                closed += 1
                _event(
                    req,
                    EventKind.CLOSED,
                    SYSTEM,
                    at=now,
                    text=_("Closed: no verdict within %(days)d days.")
                    % {"days": REOPEN_WINDOW_DAYS},
                )
                audit_record(
                    actor=SYSTEM,
                    action=AuditEvent.Action.UPDATE,
                    obj=req,
                    community_id=req.community_id,
                    before={"status": Status.RESOLVED},
                    after={"transition": "close", "status": Status.CLOSED, "unrated": True},
                )
    return SweepResult(due_soon=due_soon, overdue=overdue, escalated=escalated, closed=closed)
