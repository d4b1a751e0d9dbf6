"""Writes of the new-employment workers' station. Keyword-only, actor first, one transaction,
loaded through the permission engine, audited where it is governance.

Safety reports go to Community 110 through `linli.hotline.services.request_file` (channel
`safety_outpost`, category `safety_hazard`) in a savepoint of the same transaction: if Community
110 refuses (no such category in this community, say), the report stays here "not yet forwarded"
with the reason, and `reports_forward_pending` (a nightly task, or the station's button) tries
again. Verifying a forwarded report pays the worker's points through the volunteers ledger.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from linli.core import dates, pii
from linli.core.audit import audit_record
from linli.core.errors import Conflict, CoreError, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for
from linli.core.states import update_if
from linli.hotline.photos import check_photos
from linli.registry.selectors import resident_get
from linli.registry.validators import normalize_phone
from linli.riders.choices import (
    ENROLMENT_MACHINE,
    MEAL_PRICES,
    REPORT_MACHINE,
    EnrolmentStatus,
    EnrolmentTransition,
    Meal,
    Payment,
    ReportCategory,
    ReportStatus,
    ReportTransition,
    VisitPurpose,
    WorkerKind,
)
from linli.riders.errors import RidersError
from linli.riders.models import (
    CanteenMeal,
    Enrolment,
    SafetyReport,
    Station,
    StationVisit,
    SummerClass,
    Worker,
)
from linli.riders.permissions import CLASS_STAFF, MANAGE
from linli.riders.selectors import worker_for_resident
from linli.volunteers import points

HOTLINE_CHANNEL = "safety_outpost"
HOTLINE_CATEGORY = "safety_hazard"
STATION_NAME = "广小新·共享家"


def _community_allowed(actor: Actor, perm: str, community_id: int) -> None:
    if community_id not in communities_for(actor, perm):
        raise NotFound(_("Not found."))


def station_for(community_id: int) -> Station:
    """The community's station, opened on first use."""
    station, _created = Station.objects.get_or_create(community_id=community_id, name=STATION_NAME)
    return station


# ---------------------------------------------------------------- workers


@transaction.atomic
def worker_register(
    *,
    actor: Actor,
    community_id: int,
    kind: str,
    platform: str,
    work_station: str = "",
    resident_public_id: Any = None,
    name: str = "",
    phone: str = "",
    registered_on: dt.date | None = None,
) -> Worker:
    """Register a rider, courier or driver: from the registry, or from outside with a name and
    a phone (stored encrypted, shown masked)."""
    _community_allowed(actor, MANAGE, community_id)
    if kind not in WorkerKind.values:
        raise DomainError(
            _("Choose what he works as."), code=CoreError.INVALID_CHOICE, field="kind"
        )
    platform = platform.strip()
    if not platform:
        raise DomainError(_("Enter the platform."), code=CoreError.REQUIRED, field="platform")
    fields: dict[str, Any] = {
        "community_id": community_id,
        "kind": kind,
        "platform": platform,
        "work_station": work_station.strip(),
        "registered_on": registered_on or dates.local_today(),
    }
    if resident_public_id:
        resident = resident_get(actor, resident_public_id)
        if resident.community_id != community_id:
            raise NotFound(_("Not found."))
        fields.update(resident_id=resident.pk, name=resident.name)
    else:
        name = name.strip()
        if not name:
            raise DomainError(_("Enter the name."), code=CoreError.REQUIRED, field="name")
        number = normalize_phone(phone)
        if not number:
            raise DomainError(
                _("A worker from outside the community needs a phone number."),
                code=CoreError.REQUIRED,
                field="phone",
            )
        fields.update(
            name=name,
            phone_encrypted=pii.encrypt(number),
            phone_hash=pii.lookup_hash("phone", number),
            phone_masked=pii.mask_phone(number),
        )
    try:
        with transaction.atomic():
            worker = Worker.objects.create(**fields)
    except IntegrityError as exc:
        raise DomainError(
            _("This worker is already registered."), code=RidersError.WORKER_REGISTERED
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=worker,
        community_id=community_id,
        after={
            "name": worker.name,
            "kind": kind,
            "platform": platform,
            "phone": worker.phone_masked,
            "from_registry": bool(resident_public_id),
        },
    )
    return worker


def _worker(actor: Actor, perm: str, public_id: Any) -> Worker:
    return access(actor, perm, Worker.objects.all(), public_id=public_id)


@transaction.atomic
def visit_record(
    *, actor: Actor, worker_public_id: Any, purpose: str, at: dt.datetime | None = None
) -> StationVisit:
    worker = _worker(actor, MANAGE, worker_public_id)
    if purpose not in VisitPurpose.values:
        raise DomainError(_("Choose the purpose."), code=CoreError.INVALID_CHOICE, field="purpose")
    return StationVisit.objects.create(
        station=station_for(worker.community_id),
        worker=worker,
        visited_at=at or dates.local_now(),
        purpose=purpose,
    )


@transaction.atomic
def meal_record(
    *,
    actor: Actor,
    worker_public_id: Any,
    meal: str,
    payment: str,
    day: dt.date | None = None,
) -> CanteenMeal:
    """One meal in the canteen; a worker eats each meal once a day."""
    worker = _worker(actor, MANAGE, worker_public_id)
    if meal not in Meal.values:
        raise DomainError(_("Choose the meal."), code=CoreError.INVALID_CHOICE, field="meal")
    if payment not in Payment.values:
        raise DomainError(
            _("Choose how it was paid."), code=CoreError.INVALID_CHOICE, field="payment"
        )
    try:
        with transaction.atomic():
            return CanteenMeal.objects.create(
                station=station_for(worker.community_id),
                worker=worker,
                day=day or dates.local_today(),
                meal=meal,
                payment=payment,
                price=Decimal(MEAL_PRICES[payment]),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This meal has already been recorded for him today."),
            code=RidersError.MEAL_RECORDED,
        ) from exc


# ---------------------------------------------------------------- the summer class


@transaction.atomic
def class_create(
    *,
    actor: Actor,
    community_id: int,
    name: str,
    place: str,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
) -> SummerClass:
    _community_allowed(actor, MANAGE, community_id)
    if ends_on < starts_on:
        raise DomainError(
            _("The class must end after it starts."), code=CoreError.INVALID_DATE, field="ends_on"
        )
    if capacity < 1:
        raise DomainError(
            _("There must be at least one place."),
            code=CoreError.INVALID_NUMBER,
            field="capacity",
        )
    summer_class = SummerClass.objects.create(
        community_id=community_id,
        name=name.strip(),
        place=place.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=summer_class,
        community_id=community_id,
        after={"name": summer_class.name, "capacity": capacity},
    )
    return summer_class


@transaction.atomic
def enrolment_create(
    *,
    actor: Actor,
    class_id: int,
    worker_public_id: Any,
    child_name: str,
    child_birth_date: dt.date,
    child_gender: str,
    notes: str = "",
) -> Enrolment:
    """The class staff enrol a worker's child: a place while there is one, the waiting list
    after (the seat is taken by a conditional update, so two staff never overfill it)."""
    summer_class = access(actor, CLASS_STAFF, SummerClass.objects.all(), pk=class_id)
    worker = Worker.objects.filter(
        public_id=worker_public_id, community_id=summer_class.community_id
    ).first()
    if worker is None:
        raise NotFound(_("Not found."), field="worker")
    if not child_name.strip():
        raise DomainError(_("Enter the child's name."), code=CoreError.REQUIRED, field="child_name")
    if child_birth_date >= summer_class.starts_on:
        raise DomainError(
            _("Check the birth date."), code=CoreError.INVALID_DATE, field="child_birth_date"
        )
    seated = update_if(
        SummerClass,
        pk=summer_class.pk,
        where=Q(enrolled__lt=F("capacity")),
        enrolled=F("enrolled") + 1,
    )
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                summer_class=summer_class,
                worker=worker,
                child_name=child_name.strip(),
                child_birth_date=child_birth_date,
                child_gender=child_gender,
                notes=notes.strip(),
                status=EnrolmentStatus.ENROLLED if seated else EnrolmentStatus.WAITLISTED,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This child is already enrolled."), code=RidersError.CHILD_ENROLLED
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=enrolment,
        object_label=summer_class.name,
        community_id=summer_class.community_id,
        after={"status": enrolment.status},
    )
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor: Actor, enrolment_public_id: Any) -> Enrolment:
    """Withdraw a child; a freed place goes to the first child on the waiting list."""
    enrolment = access(actor, CLASS_STAFF, Enrolment.objects.all(), public_id=enrolment_public_id)
    summer_class = SummerClass.objects.select_for_update().get(pk=enrolment.summer_class_id)
    was = enrolment.status
    ENROLMENT_MACHINE.move(
        enrolment,
        EnrolmentTransition.WITHDRAW,
        to=EnrolmentStatus.WITHDRAWN,
        on_conflict=lambda: Conflict(_("This child has already been withdrawn.")),
    )
    if was == EnrolmentStatus.ENROLLED:
        waiting = (
            Enrolment.objects.filter(summer_class=summer_class, status=EnrolmentStatus.WAITLISTED)
            .order_by("created_at", "id")
            .first()
        )
        if waiting:
            # The class row is locked: nobody else moves its waiting list meanwhile.
            ENROLMENT_MACHINE.move(
                waiting, EnrolmentTransition.PROMOTE, to=EnrolmentStatus.ENROLLED
            )
        else:
            update_if(
                SummerClass,
                pk=summer_class.pk,
                where=Q(enrolled__gt=0),
                enrolled=F("enrolled") - 1,
            )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=enrolment,
        object_label=summer_class.name,
        community_id=summer_class.community_id,
        before={"status": was},
        after={"status": EnrolmentStatus.WITHDRAWN},
    )
    enrolment.refresh_from_db()
    return enrolment


# ---------------------------------------------------------------- safety reports


def checked_photo(photo: UploadedFile[bytes] | None) -> tuple[UploadedFile[bytes], str, str] | None:
    """(upload, content type, extension) by Community 110's photo check (format allow-list,
    size and pixel limits), before anything is stored; the error names the form's field."""
    if photo is None:
        return None
    try:
        [checked] = check_photos([photo])
    except DomainError as exc:
        raise DomainError(exc.message, code=exc.code, field="photo") from None
    return checked


def _forward(actor: Actor, report: SafetyReport, photo: Any = None) -> None:
    """Hand the report to Community 110 in a savepoint; on refusal keep it pending."""
    from linli.hotline.services import request_file

    household = report.worker.resident.household.public_id if report.worker.resident else None
    try:
        with transaction.atomic():
            request = request_file(
                actor=actor,
                community_id=report.community_id,
                category_code=HOTLINE_CATEGORY,
                description=f"【{report.get_category_display()}】{report.description}",
                channel=HOTLINE_CHANNEL,
                household_public_id=household,
                location_text=report.place,
                photos=[photo] if photo is not None else [],
                reporter_name=report.worker.name,
            )
    except DomainError as exc:
        SafetyReport.objects.filter(pk=report.pk).update(forward_error=exc.message[:200])
        return
    REPORT_MACHINE.move(
        report,
        ReportTransition.FORWARD,
        to=ReportStatus.FORWARDED,
        hotline_request_id=request.public_id,
        hotline_number=request.number,
        forwarded_at=dates.local_now(),
        forward_error="",
    )


@transaction.atomic
def report_file(
    *,
    actor: Actor,
    category: str,
    place: str,
    description: str,
    photo: UploadedFile[bytes] | None = None,
    worker_public_id: Any = None,
) -> SafetyReport:
    """A worker files a safety report from his phone (or station staff for him); it is stored
    and forwarded to Community 110 at once."""
    if worker_public_id:
        worker = _worker(actor, MANAGE, worker_public_id)
    else:
        found = worker_for_resident(actor)
        if found is None:
            raise NotFound(_("Register at the station first."))
        worker = found
    if category not in ReportCategory.values:
        raise DomainError(
            _("Choose what kind of hazard."), code=CoreError.INVALID_CHOICE, field="category"
        )
    if not place.strip():
        raise DomainError(_("Say where it is."), code=CoreError.REQUIRED, field="place")
    if not description.strip():
        raise DomainError(_("Describe the problem."), code=CoreError.REQUIRED, field="description")
    checked = checked_photo(photo)
    report = SafetyReport(
        community_id=worker.community_id,
        worker=worker,
        category=category,
        place=place.strip()[:200],
        description=description.strip()[:1000],
    )
    if checked is not None:
        upload, report.photo_type, extension = checked
        upload.seek(0)
        # Named by the detected type, never by the uploader's file name.
        report.photo.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    report.save()
    report.worker = worker
    _forward(actor, report, report.photo.file if checked is not None else None)
    report.refresh_from_db()
    return report


def reports_forward_pending(*, actor: Actor) -> int:
    """Forward every report still waiting (e.g. filed while Community 110 refused it). Returns
    how many went through."""
    sent = 0
    pending = list(
        SafetyReport.objects.filter(status=ReportStatus.NOT_FORWARDED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for report_id in pending:
        with transaction.atomic():
            # Locked and re-read: a report the station forwarded meanwhile is not sent twice.
            report = (
                SafetyReport.objects.select_for_update(of=("self",))
                .select_related("worker__resident__household")
                .filter(pk=report_id, status=ReportStatus.NOT_FORWARDED)
                .first()
            )
            if report is None:
                continue
            _forward(actor, report, report.photo.file if report.photo else None)
        if SafetyReport.objects.filter(pk=report_id, status=ReportStatus.FORWARDED).exists():
            sent += 1
    return sent


def worker_points_account(worker: Worker) -> int:
    """The id of the worker's points account, opened through the volunteers' ledger and linked
    on first use (a resident's is his own account)."""
    if worker.points_account_id is None:
        account = points.account_open(
            community_id=worker.community_id, name=worker.name, resident_id=worker.resident_id
        )
        Worker.objects.filter(pk=worker.pk).update(points_account=account)
        worker.points_account = account
    assert worker.points_account_id is not None
    return worker.points_account_id


def _decide(actor: Actor, report: SafetyReport, transition: str, to: str, **fields: Any) -> None:
    """Verify or reject a forwarded report (the station's decision), once."""
    REPORT_MACHINE.move(
        report,
        transition,
        to=to,
        on_conflict=lambda: Conflict(_("Someone else decided on this report first.")),
        decided_at=dates.local_now(),
        decided_by_id=actor.user_id,
        **fields,
    )


def _report(actor: Actor, public_id: Any) -> SafetyReport:
    return access(actor, MANAGE, SafetyReport.objects.select_related("worker"), public_id=public_id)


@transaction.atomic
def report_verify(*, actor: Actor, report_public_id: Any) -> SafetyReport:
    """The station confirms the hazard was real: the worker earns the community's points for a
    verified safety report (once)."""
    report = _report(actor, report_public_id)
    _decide(actor, report, ReportTransition.VERIFY, ReportStatus.VERIFIED)
    account_id = worker_points_account(report.worker)
    entry = points.points_award_safety_report(
        actor=actor,
        account_id=account_id,
        report_ref=str(report.public_id),
        reason=f"{report.get_category_display()} · {report.place}"[:200],
    )
    earned = entry.points if entry else 0
    SafetyReport.objects.filter(pk=report.pk).update(points=earned)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=report,
        community_id=report.community_id,
        before={"status": ReportStatus.FORWARDED},
        after={"status": ReportStatus.VERIFIED, "points": earned},
    )
    report.refresh_from_db()
    return report


@transaction.atomic
def report_reject(*, actor: Actor, report_public_id: Any, reason: str) -> SafetyReport:
    report = _report(actor, report_public_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why."), code=CoreError.REQUIRED, field="reason")
    _decide(
        actor, report, ReportTransition.REJECT, ReportStatus.REJECTED, reject_reason=reason[:200]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=report,
        community_id=report.community_id,
        reason=reason,
        before={"status": ReportStatus.FORWARDED},
        after={"status": ReportStatus.REJECTED},
    )
    report.refresh_from_db()
    return report


def as_upload(value: Any) -> UploadedFile[bytes] | None:
    """A form's file value as the services expect it."""
    return cast(UploadedFile[bytes], value) if value else None
