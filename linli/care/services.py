"""Every write of elderly care (`<entity>_<verb>(*, actor, ...)`, one transaction each).

Reads live in `selectors.py`; the proactive sweep (`proactive_sweep`) is here because it writes
tasks. Ages, living alone and empty nest derive from the registry (`elders_sync`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.selectors import community_staff_labels, grid_worker_contacts
from linli.care import scoring
from linli.care.choices import (
    LATE_AFTER_MINUTES,
    MISSED_AFTER_HOURS,
    POOR_RATING,
    TASK_MACHINE,
    VISIT_MACHINE,
    ArrangementKind,
    AssessmentReason,
    Assignee,
    DischargeReason,
    ElderStatus,
    PlanStatus,
    RuleKind,
    TaskStatus,
    TaskTransition,
    Unit,
    VisitStatus,
    VisitTransition,
    WaitingStatus,
)
from linli.care.errors import CareError
from linli.care.models import (
    Admission,
    Arrangement,
    Assessment,
    Attendance,
    Bed,
    CallBack,
    CarePlan,
    DayCentre,
    Elder,
    PlanItem,
    ProactiveRule,
    ProactiveTask,
    Provider,
    Service,
    Visit,
    VisitLog,
    WaitingEntry,
)
from linli.care.permissions import MANAGE, PORTAL, VIEW_RECORDS, WORK_TASKS
from linli.care.selectors import visit_followup
from linli.core import dates, pii
from linli.core.audit import audit_record
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.followups import request_followup
from linli.core.models import AuditEvent
from linli.core.notify import Message, publish
from linli.core.permissions import Actor, access, system_actor
from linli.core.roles import Role
from linli.registry.choices import DisabilityLevel, HouseholdStatus, ResidentStatus
from linli.registry.models import Household, Resident
from linli.registry.validators import normalize_phone

ELDER_AGE = 60
OLD_AGE = 80
SCHEDULE_DAYS = 14  # visits are scheduled this many days ahead
WEEKDAYS: dict[int, tuple[int, ...]] = {
    1: (1,),
    2: (1, 4),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
MAX_TEXT = 2000


def _text(value: Any, name: str, limit: int = MAX_TEXT, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("This field is required."), code=CoreError.REQUIRED, field=name)
    if len(text) > limit:
        raise DomainError(
            _("At most %(n)d characters.") % {"n": limit}, code=CoreError.TOO_LONG, field=name
        )
    return text


def _user_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise DomainError(_("Sign in first."), code=CoreError.UNAUTHENTICATED)
    return actor.user_id


def _active_elder(actor: Actor, perm: str, public_id: Any, *, lock: bool = False) -> Elder:
    qs = Elder.objects.select_related("resident", "household")
    if lock:
        qs = qs.select_for_update()
    elder = access(actor, perm, qs, public_id=public_id)
    _check_active(elder)
    return elder


def _check_active(elder: Elder) -> None:
    if elder.status != ElderStatus.ACTIVE:
        raise DomainError(
            _("%(name)s has left the register (moved out or died); nothing was written.")
            % {"name": elder.resident.name},
            code=CareError.NOT_AN_ELDER,
        )


# --- the register -----------------------------------------------------------------------------


@dataclass
class SyncResult:
    added: int = 0
    updated: int = 0
    left: int = 0


def _cutoff(today: dt.date, years: int) -> dt.date:
    return dates.add_months(today, -12 * years)


def elders_diff(
    *, today: dt.date, community_ids: Iterable[int] | None = None
) -> tuple[list[Elder], list[Elder], list[Elder]]:
    """What `elders_sync` would write: new (unsaved) elders, changed ones, those who left
    (three queries)."""
    c60, c80 = _cutoff(today, ELDER_AGE), _cutoff(today, OLD_AGE)
    scope = None if community_ids is None else set(community_ids)
    residents = Resident.objects.filter(status=ResidentStatus.ACTIVE, birth_date__lte=c60)
    if scope is not None:
        residents = residents.filter(community_id__in=sorted(scope))
    rows = list(
        residents.values(
            "id",
            "community_id",
            "household_id",
            "household__building__grid_id",
            "birth_date",
            "disability_level",
            "is_low_income",
        )
    )
    members = {
        m["household_id"]: m
        for m in Resident.objects.filter(
            status=ResidentStatus.ACTIVE, household__in=Subquery(residents.values("household_id"))
        )
        .values("household_id")
        .annotate(n=Count("id"), young=Count("id", filter=Q(birth_date__gt=c60)))
    }
    existing = {e.resident_id: e for e in Elder.objects.all()}
    new: list[Elder] = []
    changed: list[Elder] = []
    seen: set[int] = set()
    for r in rows:
        m = members.get(r["household_id"], {"n": 1, "young": 0})
        values = {
            "community_id": r["community_id"],
            "grid_id": r["household__building__grid_id"],
            "household_id": r["household_id"],
            "over_80": r["birth_date"] <= c80,
            "disabled": r["disability_level"] != DisabilityLevel.NONE,
            "living_alone": m["n"] == 1,
            "empty_nest": m["young"] == 0,
            "low_income": r["is_low_income"],
            "status": ElderStatus.ACTIVE,
        }
        seen.add(r["id"])
        elder = existing.get(r["id"])
        if elder is None:
            new.append(Elder(resident_id=r["id"], **values))
        elif any(getattr(elder, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(elder, k, v)
            elder.left_on = None
            changed.append(elder)
    left: list[Elder] = []
    for elder in existing.values():
        if elder.resident_id in seen or elder.status != ElderStatus.ACTIVE:
            continue
        if scope is not None and elder.community_id not in scope:
            continue
        elder.status = ElderStatus.LEFT
        elder.left_on = today
        left.append(elder)
    return new, changed, left


SYNC_FIELDS = (
    "community_id",
    "grid_id",
    "household_id",
    "over_80",
    "disabled",
    "living_alone",
    "empty_nest",
    "low_income",
    "status",
    "left_on",
)


def elders_sync(
    *, today: dt.date | None = None, community_ids: Iterable[int] | None = None
) -> SyncResult:
    """Bring the register in step with the registry (a constant number of queries): every
    active resident aged 60+ is an elder, with his flags recomputed; an elder whose resident is
    no longer active has left (his care closes). Idempotent; runs before every sweep."""
    today = today or dates.local_today()
    new, changed, left = elders_diff(today=today, community_ids=community_ids)
    with transaction.atomic():
        Elder.objects.bulk_create(new, batch_size=1000)
        Elder.objects.bulk_update(changed, list(SYNC_FIELDS), batch_size=1000)
        Elder.objects.bulk_update(left, ["status", "left_on"], batch_size=1000)
        if left:
            _close_care([e.pk for e in left], today, "left")
    return SyncResult(added=len(new), updated=len(changed), left=len(left))


def _close_care(elder_ids: Sequence[int], day: dt.date, reason: str) -> None:
    """Close plans, cancel future visits and open tasks of elders who left (a few UPDATEs)."""
    now = timezone.now()
    CarePlan.objects.filter(elder_id__in=elder_ids, status=PlanStatus.ACTIVE).update(
        status=PlanStatus.CLOSED, ends_on=day, closed_reason=reason[:100], updated_at=now
    )
    Visit.objects.filter(elder_id__in=elder_ids, status=VisitStatus.SCHEDULED).update(
        status=VisitStatus.CANCELLED, updated_at=now
    )
    ProactiveTask.objects.filter(elder_id__in=elder_ids, status=TaskStatus.OPEN).update(
        status=TaskStatus.CANCELLED, updated_at=now
    )
    Arrangement.objects.filter(elder_id__in=elder_ids, ended_on__isnull=True).update(ended_on=day)


def on_resident_moved_out(actor: Actor, resident: Resident, household_id: int) -> None:
    """The registry's move-out listener (inside its transaction): the elder leaves the register,
    his plans close, his future visits and open tasks are cancelled."""
    elder = Elder.objects.select_for_update().filter(resident_id=resident.pk).first()
    if elder is None or elder.status != ElderStatus.ACTIVE:
        return
    day = dates.local_today()
    elder.status = ElderStatus.LEFT
    elder.left_on = day
    elder.save(update_fields=["status", "left_on", "updated_at"])
    _close_care([elder.pk], day, _("Moved out of the registry"))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=elder,
        community_id=elder.community_id,
        reason="moved out",
        before={"status": ElderStatus.ACTIVE},
        after={"status": ElderStatus.LEFT},
    )


@transaction.atomic
def elder_update(
    *,
    actor: Actor,
    elder_public_id: Any,
    emergency_name: str = "",
    emergency_phone: str = "",
    health_notes: str = "",
) -> Elder:
    """Emergency contact (the phone stored encrypted, shown masked) and health notes."""
    elder = _active_elder(actor, MANAGE, elder_public_id, lock=True)
    phone = normalize_phone(emergency_phone) if str(emergency_phone or "").strip() else ""
    before = {
        "emergency_name": elder.emergency_name,
        "emergency_phone": elder.emergency_phone_masked,
    }
    elder.emergency_name = _text(emergency_name, "emergency_name", 50)
    elder.emergency_phone_encrypted = pii.encrypt(phone) if phone else ""
    elder.emergency_phone_hash = pii.lookup_hash("phone", phone) if phone else ""
    elder.emergency_phone_masked = pii.mask_phone(phone) if phone else ""
    elder.health_notes = _text(health_notes, "health_notes")
    elder.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=elder,
        community_id=elder.community_id,
        before=before,
        after={
            "emergency_name": elder.emergency_name,
            "emergency_phone": elder.emergency_phone_masked,
        },
    )
    return elder


@transaction.atomic
def arrangement_set(
    *, actor: Actor, elder_public_id: Any, kind: str, place: str = "", started_on: dt.date
) -> Arrangement:
    """A new current arrangement; the previous one ends the day before (history kept)."""
    elder = _active_elder(actor, MANAGE, elder_public_id, lock=True)
    if kind not in ArrangementKind.values:
        raise DomainError(_("Choose an arrangement."), code=CoreError.INVALID_CHOICE, field="kind")
    current = Arrangement.objects.filter(elder=elder, ended_on__isnull=True).first()
    if current is not None:
        if started_on <= current.started_on:
            raise DomainError(
                _("The new arrangement must start after the current one (%(date)s).")
                % {"date": current.started_on.isoformat()},
                code=CoreError.INVALID_DATE,
                field="started_on",
            )
        current.ended_on = started_on - dt.timedelta(days=1)
        current.save(update_fields=["ended_on", "updated_at"])
    row = Arrangement.objects.create(
        elder=elder, kind=kind, place=_text(place, "place", 100), started_on=started_on
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=row,
        object_label=str(elder),
        community_id=elder.community_id,
        after={"kind": kind, "place": row.place, "started_on": started_on.isoformat()},
    )
    return row


# --- assessments ------------------------------------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    actor: Actor,
    elder_public_id: Any,
    reason: str,
    answers: Mapping[str, Any],
    dementia: bool = False,
    risk_events: int = 0,
    assessed_on: dt.date | None = None,
    notes: str = "",
) -> Assessment:
    """Score and store an assessment (every answer kept); the elder's level follows it. A
    missing or out-of-range answer is refused naming the item; nothing is written."""
    elder = _active_elder(actor, MANAGE, elder_public_id, lock=True)
    if reason not in AssessmentReason.values:
        raise DomainError(_("Choose the reason."), code=CoreError.INVALID_CHOICE, field="reason")
    try:
        events = int(risk_events)
    except (TypeError, ValueError):
        events = -1
    if not 0 <= events <= 99:
        raise DomainError(
            _("Care-risk events must be a number from 0 to 99."),
            code=CoreError.INVALID_NUMBER,
            field="risk_events",
        )
    day = assessed_on or dates.local_today()
    if day > dates.local_today():
        raise DomainError(
            _("The date is in the future."), code=CoreError.INVALID_DATE, field="assessed_on"
        )
    result = scoring.score(
        scoring.load_form(), answers, dementia=bool(dementia), risk_events=events
    )
    assessment = Assessment.objects.create(
        elder=elder,
        community_id=elder.community_id,
        reason=reason,
        assessed_on=day,
        assessor_id=actor.user_id,
        answers=result.answers,
        dementia=bool(dementia),
        risk_events=events,
        dimension_totals=result.dimension_totals,
        total=result.total,
        base_level=result.base_level,
        level=result.level,
        adjustments=result.adjustments,
        notes=_text(notes, "notes"),
    )
    if elder.assessed_on is None or day >= elder.assessed_on:
        elder.level = result.level
        elder.assessed_on = day
        elder.save(update_fields=["level", "assessed_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=assessment,
        object_label=str(elder),
        community_id=elder.community_id,
        after={"reason": reason, "level": result.level, "assessed_on": day.isoformat()},
    )
    return assessment


@transaction.atomic
def assessment_read(*, actor: Actor, public_id: Any) -> Assessment:
    """Open one assessment with its answers: care workers and the admin, or the elder himself;
    every read is written to the audit trail (as a reveal of sensitive data)."""
    qs = Assessment.objects.select_related("elder__resident", "assessor")
    try:
        assessment = access(actor, VIEW_RECORDS, qs, public_id=public_id)
    except NotFound:
        assessment = access(actor, PORTAL, qs, public_id=public_id)
        if assessment.elder.resident_id != actor.resident_id:
            raise
    audit_record(
        actor=actor,
        action=AuditEvent.Action.REVEAL,
        obj=assessment,
        object_label=str(assessment.elder),
        community_id=assessment.community_id,
        field="assessment",
        reason="read",
    )
    return assessment


# --- plans and visits -------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    service_code: str
    per_week: int
    hour: int


# Suggested services by level rank (0 intact … 4 lost) and by flag: what the care team starts
# from when drawing up a plan (docs/care.md explains the reasoning).
BY_RANK: dict[int, tuple[Suggestion, ...]] = {
    0: (Suggestion("companion_phone", 1, 10),),
    1: (Suggestion("companion_chat", 1, 10), Suggestion("cleaning_house", 1, 9)),
    2: (
        Suggestion("cleaning_house", 2, 9),
        Suggestion("rehab_guidance", 1, 15),
        Suggestion("medical_bp", 1, 10),
    ),
    3: (
        Suggestion("cleaning_house", 2, 9),
        Suggestion("bathing_home_bath", 1, 14),
        Suggestion("rehab_nursing", 2, 15),
        Suggestion("medical_bp", 2, 10),
    ),
    4: (
        Suggestion("cleaning_house", 3, 9),
        Suggestion("bathing_bed_bath", 2, 14),
        Suggestion("rehab_nursing", 5, 15),
        Suggestion("medical_bp", 2, 10),
    ),
}
BY_FLAG: dict[str, tuple[Suggestion, ...]] = {
    "living_alone": (Suggestion("companion_chat", 1, 16), Suggestion("emergency_pager", 1, 11)),
    "over_80": (Suggestion("meals_lunch", 5, 11),),
    "low_income": (Suggestion("errands_shop", 1, 10),),
}


def plan_suggest(elder: Elder, rank: int | None) -> list[Suggestion]:
    """Services for a first plan from the level (rank; None = not assessed) and the flags."""
    chosen: dict[str, Suggestion] = {}
    for s in BY_RANK.get(rank if rank is not None else 1, ()):
        chosen[s.service_code] = s
    for flag, items in BY_FLAG.items():
        if getattr(elder, flag):
            for s in items:
                chosen.setdefault(s.service_code, s)
    return list(chosen.values())


@dataclass(frozen=True)
class PlanLine:
    service_id: int
    per_week: int
    hour: int = 9


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    elder_public_id: Any,
    provider_id: int,
    items: Sequence[PlanLine],
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> CarePlan:
    """A new plan replaces the elder's active one (closed, future visits cancelled); its visits
    for the next two weeks are scheduled at once (the daily task keeps the horizon)."""
    elder = _active_elder(actor, MANAGE, elder_public_id, lock=True)
    provider = access(
        actor, MANAGE, Provider.objects.filter(community_id=elder.community_id), pk=provider_id
    )
    if not items:
        raise DomainError(_("Choose at least one service."), code=CoreError.REQUIRED, field="items")
    start = starts_on or dates.local_today()
    if ends_on is not None and ends_on < start:
        raise DomainError(
            _("The plan ends before it starts."), code=CoreError.INVALID_DATE, field="ends_on"
        )
    services = Service.objects.in_bulk([i.service_id for i in items])
    for line in items:
        if line.service_id not in services:
            raise DomainError(_("Unknown service."), code=CoreError.INVALID_CHOICE, field="items")
        if not 1 <= line.per_week <= 7 or not 6 <= line.hour <= 20:
            raise DomainError(
                _("A service is 1 to 7 times a week, between 6 and 20 o'clock."),
                code=CoreError.INVALID_NUMBER,
                field="items",
            )
    old = [p.pk for p in CarePlan.objects.filter(elder=elder, status=PlanStatus.ACTIVE)]
    if old:
        CarePlan.objects.filter(pk__in=old).update(
            status=PlanStatus.CLOSED, ends_on=start, closed_reason=_("Replaced by a new plan")
        )
        Visit.objects.filter(
            plan_id__in=old, status=VisitStatus.SCHEDULED, scheduled_at__gte=dates.day_start(start)
        ).update(status=VisitStatus.CANCELLED)
    plan = CarePlan.objects.create(
        elder=elder,
        community_id=elder.community_id,
        provider=provider,
        starts_on=start,
        ends_on=ends_on,
    )
    PlanItem.objects.bulk_create(
        [
            PlanItem(plan=plan, service_id=i.service_id, per_week=i.per_week, hour=i.hour)
            for i in items
        ]
    )
    visits_schedule(plans=[plan], start=start, days=SCHEDULE_DAYS)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=plan,
        object_label=str(elder),
        community_id=elder.community_id,
        after={
            "services": [services[i.service_id].code for i in items],
            "starts_on": start.isoformat(),
        },
    )
    return plan


def visits_schedule(*, plans: Sequence[CarePlan] | None = None, start: dt.date, days: int) -> int:
    """Create the scheduled visits of active plans from `start` for `days` days (idempotent:
    one visit per plan, service and time)."""
    qs = CarePlan.objects.filter(status=PlanStatus.ACTIVE, elder__status=ElderStatus.ACTIVE)
    if plans is not None:
        qs = qs.filter(pk__in=[p.pk for p in plans])
    plan_rows = {p.pk: p for p in qs.select_related("elder")}
    lines = PlanItem.objects.filter(plan_id__in=list(plan_rows)).select_related("service")
    new: list[Visit] = []
    for line in lines:
        plan = plan_rows[line.plan_id]
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            if day < plan.starts_on or (plan.ends_on and day > plan.ends_on):
                continue
            if day.weekday() not in WEEKDAYS[line.per_week]:
                continue
            new.append(
                Visit(
                    elder=plan.elder,
                    community_id=plan.community_id,
                    grid_id=plan.elder.grid_id,
                    household_id=plan.elder.household_id,
                    plan=plan,
                    service_id=line.service_id,
                    provider_id=plan.provider_id,
                    scheduled_at=dates.day_start(day) + dt.timedelta(hours=line.hour),
                )
            )
    Visit.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(new)


def _load_visit(actor: Actor, public_id: Any, perm: str = MANAGE) -> Visit:
    return access(
        actor,
        perm,
        Visit.objects.select_for_update().select_related("elder__resident", "service"),
        public_id=public_id,
    )


@transaction.atomic
def visit_check_in(
    *, actor: Actor, public_id: Any, place: str = "", lat: Any = None, long: Any = None
) -> Visit:
    """The care worker arrives (on his phone): who (him), whom, what, where and the start time
    are recorded; more than 30 minutes after the scheduled time it is late."""
    visit = _load_visit(actor, public_id)
    _check_active(visit.elder)
    now = timezone.now()
    where = _text(place, "place", 100) or visit.elder.household.address
    VISIT_MACHINE.move(
        visit,
        VisitTransition.CHECK_IN,
        to=VisitStatus.IN_PROGRESS,
        worker_id=actor.user_id,
        checked_in_at=now,
        place=where,
        late=now > visit.scheduled_at + dt.timedelta(minutes=LATE_AFTER_MINUTES),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=visit,
        object_label=str(visit.elder),
        community_id=visit.community_id,
        after={"status": visit.status, "place": where},
    )
    return visit


@transaction.atomic
def visit_check_out(
    *, actor: Actor, public_id: Any, notes: str = "", at: dt.datetime | None = None
) -> Visit:
    """The care worker leaves: the end time and notes; the elder's household is asked to rate."""
    visit = _load_visit(actor, public_id)
    end = at or timezone.now()
    if visit.checked_in_at is not None and end < visit.checked_in_at:
        raise DomainError(
            _("The check-out (%(end)s) is before the check-in (%(start)s); nothing was written.")
            % {
                "end": dates.local_now().replace(microsecond=0).isoformat()
                if at is None
                else end.isoformat(),
                "start": visit.checked_in_at.isoformat(),
            },
            code=CareError.CHECKOUT_BEFORE_CHECKIN,
            field="at",
        )
    units = Decimal(1)
    if visit.service.unit == Unit.HOUR and visit.checked_in_at is not None:
        hours = Decimal((end - visit.checked_in_at).total_seconds()) / Decimal(3600)
        units = max(Decimal("0.5"), hours.quantize(Decimal("0.01")))
    VISIT_MACHINE.move(
        visit,
        VisitTransition.CHECK_OUT,
        to=VisitStatus.DONE,
        checked_out_at=end,
        notes=_text(notes, "notes"),
        units=units,
    )
    user_ids = tuple(
        Resident.objects.filter(household_id=visit.household_id, account__isnull=False).values_list(
            "account__id", flat=True
        )
    )
    publish(
        Message(
            key=f"care.please_rate:{visit.pk}",
            kind="care.please_rate",
            user_ids=tuple(int(u) for u in user_ids),
            title=_("Please rate today's care visit: %(service)s")
            % {"service": visit.service.name},
            url=f"/care/me/visits/{visit.public_id}/rate/",
            community_id=visit.community_id,
        )
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=visit,
        object_label=str(visit.elder),
        community_id=visit.community_id,
        after={"status": visit.status},
    )
    return visit


@transaction.atomic
def visit_rate(*, actor: Actor, public_id: Any, rating: Any, comment: str = "") -> Visit:
    """The elder (or his family) rates a finished visit 1–5, which closes it; 2 or less opens a
    follow-up task for the care team."""
    try:
        visit = _load_visit(actor, public_id, PORTAL)
    except NotFound:
        visit = _load_visit(actor, public_id, MANAGE)
    try:
        value = int(str(rating).strip())
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise DomainError(_("Choose 1 to 5 stars."), code=CoreError.INVALID_NUMBER, field="rating")
    if visit.status == VisitStatus.CLOSED:
        raise DomainError(_("This visit has been rated already."), code=CareError.ALREADY_RATED)
    VISIT_MACHINE.move(
        visit,
        VisitTransition.RATE,
        to=VisitStatus.CLOSED,
        rating=value,
        rating_comment=_text(comment, "comment", 200),
        rated_at=timezone.now(),
    )
    if value <= POOR_RATING:
        rule = ProactiveRule.objects.filter(kind=RuleKind.POOR_RATING, active=True).first()
        if rule is not None:
            _raise_tasks(rule, [_candidate_for_visit(visit, rule)], timezone.now())
    # Only now the surveys follow-up (as Community 110 asks after the resident's verdict): at
    # check-out the household is asked for its stars, and one question at a time is enough.
    request_followup(visit_followup(visit))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=visit,
        object_label=str(visit.elder),
        community_id=visit.community_id,
        after={"status": visit.status, "rating": value},
    )
    return visit


@transaction.atomic
def visit_cancel(*, actor: Actor, public_id: Any, reason: str = "") -> Visit:
    visit = _load_visit(actor, public_id)
    VISIT_MACHINE.move(
        visit, VisitTransition.CANCEL, to=VisitStatus.CANCELLED, notes=_text(reason, "reason", 200)
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=visit,
        object_label=str(visit.elder),
        community_id=visit.community_id,
        after={"status": visit.status},
    )
    return visit


@transaction.atomic
def callback_record(
    *, actor: Actor, visit_public_id: Any, confirmed: bool, answer: str
) -> CallBack:
    """Supervision: staff phoned the elder about a visit and wrote down what he said."""
    visit = _load_visit(actor, visit_public_id)
    if visit.status not in (VisitStatus.DONE, VisitStatus.CLOSED, VisitStatus.MISSED):
        raise DomainError(
            _("Call back about a visit that took place or was missed."),
            code=CoreError.INVALID_TRANSITION,
        )
    row = CallBack.objects.create(
        visit=visit,
        staff_id=_user_id(actor),
        confirmed=bool(confirmed),
        answer=_text(answer, "answer", 200, required=True),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=row,
        object_label=str(visit.elder),
        community_id=visit.community_id,
        after={"confirmed": bool(confirmed)},
    )
    return row


# --- day-care ---------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    centre_id: int,
    elder_public_id: Any,
    day: dt.date | None = None,
    meals: int = 1,
) -> Attendance:
    """An elder attends the day-care centre (with meals). The centre's row is locked, so two
    desks recording at once never exceed the places."""
    centre = access(actor, MANAGE, DayCentre.objects.select_for_update(), pk=centre_id)
    elder = _active_elder(actor, MANAGE, elder_public_id)
    if elder.community_id != centre.community_id:
        raise NotFound(_("Not found."))
    day = day or dates.local_today()
    if not 0 <= int(meals) <= 3:
        raise DomainError(_("Meals: 0 to 3."), code=CoreError.INVALID_NUMBER, field="meals")
    if Attendance.objects.filter(centre=centre, elder=elder, day=day).exists():
        raise DomainError(
            _("%(name)s's attendance that day is recorded.") % {"name": elder.resident.name},
            code=CareError.ALREADY_ATTENDING,
        )
    taken = Attendance.objects.filter(centre=centre, day=day).count()
    if taken >= centre.capacity:
        raise DomainError(
            _("The centre is full that day (%(n)d places).") % {"n": centre.capacity},
            code=CareError.CENTRE_FULL,
        )
    try:
        with transaction.atomic():
            row = Attendance.objects.create(
                centre=centre, elder=elder, day=day, meals=int(meals), recorded_by_id=actor.user_id
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(name)s's attendance that day is recorded.") % {"name": elder.resident.name},
            code=CareError.ALREADY_ATTENDING,
        ) from exc
    return row


# --- apartments -------------------------------------------------------------------------------


@transaction.atomic
def waiting_add(
    *, actor: Actor, apartment_id: int, elder_public_id: Any, applied_on: dt.date | None = None
) -> WaitingEntry:
    from linli.care.models import Apartment

    apartment = access(actor, MANAGE, Apartment.objects.all(), pk=apartment_id)
    elder = _active_elder(actor, MANAGE, elder_public_id)
    if elder.community_id != apartment.community_id:
        raise NotFound(_("Not found."))
    try:
        with transaction.atomic():
            entry = WaitingEntry.objects.create(
                apartment=apartment,
                elder=elder,
                community_id=elder.community_id,
                applied_on=applied_on or dates.local_today(),
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(name)s is on the waiting list already.") % {"name": elder.resident.name},
            code=CareError.ALREADY_WAITING,
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=entry,
        object_label=str(elder),
        community_id=elder.community_id,
    )
    return entry


@transaction.atomic
def admission_create(
    *, actor: Actor, bed_id: int, elder_public_id: Any, admitted_on: dt.date | None = None
) -> Admission:
    """Admit an elder to a free bed (with his current level); the database refuses a second
    open stay in the same bed or for the same elder, which becomes a clear message."""
    bed = _bed(actor, bed_id)
    elder = _active_elder(actor, MANAGE, elder_public_id)
    if elder.community_id != bed.room.apartment.community_id:
        raise NotFound(_("Not found."))
    holder = (
        Admission.objects.filter(bed=bed, discharged_on__isnull=True)
        .select_related("elder__resident")
        .first()
    )
    if holder is not None:
        raise _occupied(bed)
    if Admission.objects.filter(elder=elder, discharged_on__isnull=True).exists():
        raise DomainError(
            _("%(name)s already holds a bed.") % {"name": elder.resident.name},
            code=CareError.ALREADY_ADMITTED,
        )
    try:
        with transaction.atomic():
            admission = Admission.objects.create(
                bed=bed,
                elder=elder,
                community_id=elder.community_id,
                level=elder.level,
                admitted_on=admitted_on or dates.local_today(),
            )
    except IntegrityError as exc:
        raise _occupied(bed) from exc
    WaitingEntry.objects.filter(elder=elder, status=WaitingStatus.WAITING).update(
        status=WaitingStatus.ADMITTED
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=admission,
        object_label=str(elder),
        community_id=elder.community_id,
        after={"bed": str(bed), "level": elder.level},
    )
    return admission


def _bed(actor: Actor, bed_id: int) -> Bed:
    from linli.care.models import Apartment

    bed = Bed.objects.select_related("room__apartment").filter(pk=bed_id).first()
    if bed is None:
        raise NotFound(_("Not found."))
    access(actor, MANAGE, Apartment.objects.all(), pk=bed.room.apartment_id)
    return bed


def _occupied(bed: Bed) -> DomainError:
    return DomainError(
        _("Bed %(bed)s is held by another elder; nothing was written.") % {"bed": str(bed)},
        code=CareError.BED_OCCUPIED,
    )


@transaction.atomic
def admission_discharge(
    *, actor: Actor, public_id: Any, day: dt.date | None = None, reason: str = DischargeReason.HOME
) -> Admission:
    admission = access(actor, MANAGE, Admission.objects.select_for_update(), public_id=public_id)
    if admission.discharged_on is not None:
        raise DomainError(_("Already discharged."), code=CoreError.INVALID_TRANSITION)
    if reason not in DischargeReason.values:
        raise DomainError(_("Choose the reason."), code=CoreError.INVALID_CHOICE, field="reason")
    day = day or dates.local_today()
    if day < admission.admitted_on:
        raise DomainError(
            _("Discharge before admission."), code=CoreError.INVALID_DATE, field="day"
        )
    admission.discharged_on = day
    admission.discharge_reason = reason
    admission.save(update_fields=["discharged_on", "discharge_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=admission,
        community_id=admission.community_id,
        after={"discharged_on": day.isoformat()},
    )
    return admission


# --- proactive governance ---------------------------------------------------------------------


@dataclass
class Candidate:
    subject: str
    period: str
    community_id: int
    grid_id: int
    household_id: int
    elder_id: int | None
    title: str


@dataclass
class SweepResult:
    synced: SyncResult = field(default_factory=SyncResult)
    missed: int = 0
    raised: int = 0
    escalated: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)


def _quarter(day: dt.date) -> tuple[str, dt.date, dt.date]:
    q = (day.month - 1) // 3
    start = dt.date(day.year, q * 3 + 1, 1)
    end = dates.add_months(start, 3) - dt.timedelta(days=1)
    return f"{day.year}Q{q + 1}", start, end


def _candidate_for_visit(visit: Visit, rule: ProactiveRule) -> Candidate:
    return Candidate(
        subject=f"visit:{visit.pk}",
        period="",
        community_id=visit.community_id,
        grid_id=visit.grid_id,
        household_id=visit.household_id,
        elder_id=visit.elder_id,
        title=f"{rule.name}：{visit.elder.resident.name}",
    )


def _flag_q(flags: Iterable[str], prefix: str = "") -> Q:
    q = Q()
    for f in flags:
        if f in ("over_80", "disabled", "living_alone", "empty_nest", "low_income"):
            q &= Q(**{f"{prefix}{f}": True})
    return q


def _no_contact(rule: ProactiveRule, now: dt.datetime) -> list[Candidate]:
    """Elders with the rule's flags whose last contact of any kind (a care visit checked in, a
    visit log at the household, a day at the day-care) is older than `days` (or never)."""
    limit = now - dt.timedelta(days=rule.days)
    last_visit = (
        Visit.objects.filter(elder=OuterRef("pk"), checked_in_at__isnull=False)
        .order_by("-checked_in_at")
        .values("checked_in_at")[:1]
    )
    last_log = (
        VisitLog.objects.filter(household=OuterRef("household_id"))
        .order_by("-visited_at")
        .values("visited_at")[:1]
    )
    last_day = Attendance.objects.filter(elder=OuterRef("pk")).order_by("-day").values("day")[:1]
    rows = (
        Elder.objects.filter(_flag_q(rule.flags), status=ElderStatus.ACTIVE, created_at__lte=limit)
        .annotate(v=Subquery(last_visit), g=Subquery(last_log), d=Subquery(last_day))
        .values("pk", "community_id", "grid_id", "household_id", "resident__name", "v", "g", "d")
    )
    out: list[Candidate] = []
    for r in rows:
        moments = [m for m in (r["v"], r["g"]) if m is not None]
        if r["d"] is not None:
            moments.append(dates.day_start(r["d"]) + dt.timedelta(hours=12))
        last = max(moments) if moments else None
        if last is not None and last >= limit:
            continue
        out.append(
            Candidate(
                subject=f"elder:{r['pk']}",
                period=dates.local_date(last).isoformat() if last else "never",
                community_id=r["community_id"],
                grid_id=r["grid_id"],
                household_id=r["household_id"],
                elder_id=r["pk"],
                title=f"{rule.name}：{r['resident__name']}",
            )
        )
    return out


def _missed(rule: ProactiveRule, now: dt.datetime) -> list[Candidate]:
    rows = Visit.objects.filter(
        status=VisitStatus.MISSED,
        scheduled_at__gte=now - dt.timedelta(days=7),
        elder__status=ElderStatus.ACTIVE,
    ).select_related("elder__resident")
    return [_candidate_for_visit(v, rule) for v in rows]


def _overdue_requests(rule: ProactiveRule, now: dt.datetime) -> list[Candidate]:
    from linli.hotline.selectors import RequestFilters, request_list

    community_ids = set(
        Elder.objects.filter(status=ElderStatus.ACTIVE)
        .values_list("community_id", flat=True)
        .distinct()
    )
    if not community_ids:
        return []
    elders = Elder.objects.filter(status=ElderStatus.ACTIVE)
    reader = system_actor("care", community_ids=community_ids)
    rows = (
        request_list(reader, RequestFilters(status="open"))
        .filter(due_resolve_at__lt=now, household__in=Subquery(elders.values("household_id")))
        .values("pk", "community_id", "grid_id", "household_id")
    )
    return [
        Candidate(
            subject=f"request:{r['pk']}",
            period="",
            community_id=r["community_id"],
            grid_id=r["grid_id"],
            household_id=r["household_id"],
            elder_id=None,
            title=f"{rule.name}：{r['pk']:06d}",
        )
        for r in rows
        if r["grid_id"] is not None
    ]


def _household_quarter(rule: ProactiveRule, now: dt.datetime) -> list[Candidate]:
    """In the last `days` days of a quarter: households of elders with the rule's flags that no
    grid worker has visited since the quarter began."""
    today = dates.local_date(now)
    label, start, end = _quarter(today)
    if (end - today).days > rule.days:
        return []
    visited = VisitLog.objects.filter(visited_at__gte=dates.day_start(start)).values("household_id")
    rows = (
        Elder.objects.filter(_flag_q(rule.flags), status=ElderStatus.ACTIVE)
        .exclude(household_id__in=Subquery(visited))
        .values(
            "household_id",
            "community_id",
            "grid_id",
            "household__building__number",
            "household__unit__number",
            "household__room",
        )
        .distinct()
    )
    return [
        Candidate(
            subject=f"household:{r['household_id']}",
            period=label,
            community_id=r["community_id"],
            grid_id=r["grid_id"],
            household_id=r["household_id"],
            elder_id=None,
            title=f"{rule.name}：{r['household__building__number']}-{r['household__unit__number']}-{r['household__room']}",
        )
        for r in rows
    ]


EVALUATORS = {
    RuleKind.NO_CONTACT: _no_contact,
    RuleKind.MISSED_VISIT: _missed,
    RuleKind.OVERDUE_REQUEST: _overdue_requests,
    RuleKind.HOUSEHOLD_QUARTER: _household_quarter,
}


def _assignees(rule: ProactiveRule, candidates: Sequence[Candidate]) -> dict[int, int | None]:
    """Grid id → user id of who gets the task (grid worker of the grid, or the community's
    first care worker); constant queries: one, or one per community."""
    if rule.assignee == Assignee.GRID_WORKER:
        contacts = grid_worker_contacts({c.grid_id for c in candidates})
        return {g: c.user_id for g, c in contacts.items()}
    by_community: dict[int, int | None] = {}
    for cid in {c.community_id for c in candidates}:
        staff = community_staff_labels(cid, [Role.CARE_WORKER]) or community_staff_labels(
            cid, [Role.COMMUNITY_ADMIN]
        )
        by_community[cid] = staff[0][0] if staff else None
    return {c.grid_id: by_community[c.community_id] for c in candidates}


def _raise_tasks(rule: ProactiveRule, candidates: Sequence[Candidate], now: dt.datetime) -> int:
    """Create one task per new (rule, subject, period); the unique constraint settles a race
    and makes a second run a no-op. Each assignee gets one message for the batch."""
    if not candidates:
        return 0
    existing = set(
        ProactiveTask.objects.filter(
            rule=rule, subject__in=[c.subject for c in candidates]
        ).values_list("subject", "period")
    )
    fresh = [c for c in candidates if (c.subject, c.period) not in existing]
    if not fresh:
        return 0
    who = _assignees(rule, fresh)
    due = now + dt.timedelta(hours=rule.due_hours)
    if rule.kind == RuleKind.HOUSEHOLD_QUARTER:
        due = min(due, dates.day_start(_quarter(dates.local_date(now))[2] + dt.timedelta(days=1)))
    tasks = [
        ProactiveTask(
            rule=rule,
            subject=c.subject,
            period=c.period,
            community_id=c.community_id,
            grid_id=c.grid_id,
            household_id=c.household_id,
            elder_id=c.elder_id,
            title=c.title[:200],
            assignee_id=who.get(c.grid_id),
            raised_at=now,
            due_at=due,
        )
        for c in fresh
    ]
    ProactiveTask.objects.bulk_create(tasks, ignore_conflicts=True, batch_size=1000)
    per_user: dict[int, int] = defaultdict(int)
    community: dict[int, int] = {}
    for t in tasks:
        if t.assignee_id:
            per_user[t.assignee_id] += 1
            community[t.assignee_id] = t.community_id
    for user_id, n in per_user.items():
        publish(
            Message(
                key=f"care.task_raised:{rule.code}:{user_id}:{now:%Y%m%d%H%M}",
                kind="care.task_raised",
                user_ids=(user_id,),
                title=_("%(n)d new visit task(s): %(rule)s") % {"n": n, "rule": rule.name},
                url="/care/tasks/",
                community_id=community[user_id],
            )
        )
    return len(tasks)


def _escalate(now: dt.datetime) -> int:
    """Open tasks past due by their rule's escalation time go to the community admin."""
    rows = list(
        ProactiveTask.objects.filter(
            status=TaskStatus.OPEN, escalated_at__isnull=True, due_at__lt=now
        )
        .select_related("rule")
        .only("pk", "due_at", "community_id", "rule__escalate_hours", "title")
    )
    late = [t for t in rows if t.due_at + dt.timedelta(hours=t.rule.escalate_hours) < now]
    if not late:
        return 0
    ProactiveTask.objects.filter(pk__in=[t.pk for t in late], escalated_at__isnull=True).update(
        escalated_at=now
    )
    by_community: dict[int, int] = defaultdict(int)
    for t in late:
        by_community[t.community_id] += 1
    for cid, n in by_community.items():
        admins = community_staff_labels(cid, [Role.COMMUNITY_ADMIN])
        publish(
            Message(
                key=f"care.task_escalated:{cid}:{now:%Y%m%d%H%M}",
                kind="care.task_escalated",
                user_ids=tuple(uid for uid, _label in admins[:3]),
                title=_("%(n)d visit task(s) overdue and escalated") % {"n": n},
                url="/care/tasks/?state=escalated",
                urgent=True,
                community_id=cid,
            )
        )
    return len(late)


@transaction.atomic
def proactive_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """The huey task's body: sync the register, mark visits nobody checked in to as missed,
    evaluate every active rule, escalate overdue tasks. Idempotent (a second run raises
    nothing new) and a constant number of queries whatever the number of elders."""
    now = now or timezone.now()
    result = SweepResult(synced=elders_sync(today=dates.local_date(now)))
    result.missed = Visit.objects.filter(
        status=VisitStatus.SCHEDULED, scheduled_at__lt=now - dt.timedelta(hours=MISSED_AFTER_HOURS)
    ).update(status=VisitStatus.MISSED, updated_at=now)
    for rule in ProactiveRule.objects.filter(active=True).order_by("id"):
        evaluate = EVALUATORS.get(RuleKind(rule.kind))
        if evaluate is None:
            continue
        n = _raise_tasks(rule, evaluate(rule, now), now)
        result.by_rule[rule.code] = n
        result.raised += n
    result.escalated = _escalate(now)
    return result


@transaction.atomic
def visit_log_create(
    *,
    actor: Actor,
    household_public_id: Any,
    purpose: str,
    met: str = "",
    findings: str = "",
    follow_ups: str = "",
    file_request: bool = False,
    category_code: str = "",
    task_public_id: Any = None,
) -> VisitLog:
    """A visit to a household (走访). A finding may file a Community 110 request ("found on a
    visit"); a task it answers is cleared. One transaction: the log, the request, the task."""
    household = access(
        actor,
        WORK_TASKS,
        Household.objects.filter(status=HouseholdStatus.ACTIVE).select_related("building", "unit"),
        public_id=household_public_id,
    )
    task = None
    if task_public_id:
        task = access(
            actor, WORK_TASKS, ProactiveTask.objects.select_for_update(), public_id=task_public_id
        )
        if task.household_id != household.pk:
            raise NotFound(_("Not found."))
        TASK_MACHINE.check(TaskTransition.CLEAR, task.status)
    log = VisitLog(
        community_id=household.community_id,
        grid_id=household.building.grid_id,
        household=household,
        visitor_id=_user_id(actor),
        visited_at=timezone.now(),
        purpose=_text(purpose, "purpose", 200, required=True),
        met=_text(met, "met", 100),
        findings=_text(findings, "findings"),
        follow_ups=_text(follow_ups, "follow_ups"),
    )
    if file_request:
        from linli.hotline.choices import Channel
        from linli.hotline.services import request_file

        if not log.findings:
            raise DomainError(
                _("Describe what you found."), code=CoreError.REQUIRED, field="findings"
            )
        req = request_file(
            actor=actor,
            community_id=household.community_id,
            category_code=category_code,
            description=log.findings,
            channel=Channel.FOUND_ON_VISIT,
            household_public_id=household.public_id,
        )
        log.request_id = req.pk
        log.request_number = str(req.number)
    log.save()
    if task is not None:
        TASK_MACHINE.move(
            task, TaskTransition.CLEAR, to=TaskStatus.DONE, done_at=log.visited_at, visit_log=log
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=log,
        object_label=str(household),
        community_id=household.community_id,
        after={"purpose": log.purpose, "request": log.request_number},
    )
    return log
