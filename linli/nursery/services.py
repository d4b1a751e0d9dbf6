"""Writes of the day-care. Each is one transaction; the database settles contention (a class's
seats are numbered and unique, the class row is locked while a seat is chosen)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.selectors import user_ids_of_residents
from linli.core import dates, pii
from linli.core.audit import audit_record
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.notify import Message, publish
from linli.core.permissions import Actor, access, communities_for, has_perm
from linli.core.photos import check_photo, delete_after_commit, store_photo
from linli.core.states import stale_conflict, update_if
from linli.nursery.choices import (
    BAND_RULES,
    CONSENT_TEXT_VERSION,
    Band,
    ChildStatus,
    HealthResult,
    Mood,
    Presence,
)
from linli.nursery.errors import NurseryError
from linli.nursery.models import (
    Attendance,
    Child,
    NurseryClass,
    PickupPerson,
    PickupRefusal,
    RosterEntry,
)
from linli.nursery.permissions import GUARDIAN, MANAGE, VIEW_CHILDREN
from linli.registry.choices import ResidentStatus
from linli.registry.models import Resident

MANAGE_CHILD = VIEW_CHILDREN  # writes to one child need MANAGE and the child in VIEW_CHILDREN scope

CONSENT_TEXT = (
    "本人作为监护人，同意文昌花园社区托育点为照护本儿童之目的，收集和使用其姓名、出生日期、"
    "健康检查结果、过敏信息、每日晨午检与出勤记录及接送人信息；仅托育工作人员、社区管理员和"
    "本人可查看；离园后按规定期限删除。"
)


def age_in_months(birth: dt.date, on: dt.date) -> int:
    """Whole months from `birth` to `on` (a child born on 15 March is 6 months on 15 September)."""
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if on.day < birth.day:
        months -= 1
    return months


def _clean_text(value: str, limit: int, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), code=CoreError.REQUIRED, field=field)
    if len(value) > limit:
        raise DomainError(_("The text is too long."), code=CoreError.TOO_LONG, field=field)
    return value


def _normal_phone(phone: str, field: str = "phone") -> str:
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if not (len(digits) == 11 and digits.startswith("1")):
        raise DomainError(
            _("Enter an 11-digit mobile number."), code=CoreError.INVALID_PHONE, field=field
        )
    return digits


@transaction.atomic
def class_open(
    *,
    actor: Actor,
    community_id: int,
    name: str,
    band: str,
    capacity: int | None = None,
    room: str = "",
) -> NurseryClass:
    if community_id not in set(communities_for(actor, MANAGE)):
        raise NotFound(_("Not found."))
    if band not in Band.values:
        raise DomainError(_("Choose a band."), code=CoreError.INVALID_CHOICE, field="band")
    rule = BAND_RULES[band]
    size = rule.max_children if capacity is None else capacity
    if not 1 <= size <= rule.max_children:
        raise DomainError(
            _("A class of this band takes at most %(n)s children.") % {"n": rule.max_children},
            code=NurseryError.CLASS_TOO_LARGE,
            field="capacity",
        )
    name = _clean_text(name, 50, "name", required=True)
    if NurseryClass.objects.filter(community_id=community_id, name=name).exists():
        raise DomainError(_("A class of this name exists."), code=CoreError.CONFLICT, field="name")
    cls = NurseryClass.objects.create(
        community_id=community_id,
        name=name,
        band=band,
        capacity=size,
        children_per_carer=rule.children_per_carer,
        room=_clean_text(room, 50, "room"),
    )
    audit_record(actor=actor, action="create", obj=cls, community_id=community_id)
    return cls


def _take_seat(cls: NurseryClass) -> int | None:
    """The lowest free seat of `cls` (its row locked by the caller), or None when full."""
    taken = set(
        Child.objects.filter(nursery_class=cls, status=ChildStatus.ENROLLED).values_list(
            "seat", flat=True
        )
    )
    for seat in range(1, cls.capacity + 1):
        if seat not in taken:
            return seat
    return None


@dataclass(frozen=True)
class Enrolment:
    child: Child
    waiting: bool


@transaction.atomic
def child_enrol(
    *,
    actor: Actor,
    class_id: int,
    resident_public_id: Any,
    start_date: dt.date,
    consent_by_public_id: Any = None,
    consent_given: bool = False,
    health_checked_on: dt.date | None = None,
    health_clinic: str = "",
    health_result: str = "",
    allergies: str = "",
    notes: str = "",
) -> Enrolment:
    """Enrol a registry child in a class: consent first (nothing is kept without it), then the
    age against the band on the start date, the health check, and a seat — or the waiting list
    when the class is full."""
    cls = access(actor, MANAGE, NurseryClass.objects.select_for_update(), pk=class_id)
    if not consent_given or not consent_by_public_id:
        raise DomainError(
            _("Record the guardian's consent before anything else."),
            code=NurseryError.CONSENT_REQUIRED,
            field="consent_given",
        )
    try:
        child_resident = Resident.objects.select_related("household").get(
            public_id=resident_public_id,
            community_id=cls.community_id,
            status=ResidentStatus.ACTIVE,
        )
        guardian = Resident.objects.get(
            public_id=consent_by_public_id,
            household_id=child_resident.household_id,
            status=ResidentStatus.ACTIVE,
        )
    except (Resident.DoesNotExist, ValueError, TypeError) as exc:
        raise DomainError(
            _("Choose a child of the registry and a guardian of the same household."),
            code=CoreError.NOT_FOUND,
            field="resident",
        ) from exc
    if age_in_months(guardian.birth_date, start_date) < 18 * 12:
        raise DomainError(
            _("The guardian giving consent must be an adult."),
            code=NurseryError.CONSENT_REQUIRED,
            field="consent_by",
        )
    rule = BAND_RULES[cls.band]
    months = age_in_months(child_resident.birth_date, start_date)
    if not rule.min_months <= months < rule.max_months:
        raise DomainError(
            _(
                "On %(day)s the child is %(months)s months old; %(cls)s takes children of "
                "%(lo)s to %(hi)s months."
            )
            % {
                "day": start_date.isoformat(),
                "months": months,
                "cls": cls.name,
                "lo": rule.min_months,
                "hi": rule.max_months,
            },
            code=NurseryError.AGE_OUT_OF_BAND,
            field="start_date",
        )
    if Child.objects.filter(resident=child_resident).exclude(status=ChildStatus.LEFT).exists():
        raise DomainError(
            _("The child is enrolled or waiting already."), code=NurseryError.ALREADY_ENROLLED
        )
    if health_result and health_result not in HealthResult.values:
        raise DomainError(
            _("Choose a result."), code=CoreError.INVALID_CHOICE, field="health_result"
        )
    if health_result != HealthResult.FIT or health_checked_on is None:
        raise DomainError(
            _("A passed health check (date, clinic, result) is needed before admission."),
            code=NurseryError.HEALTH_CHECK_REQUIRED,
            field="health_result",
        )
    if health_checked_on > start_date:
        raise DomainError(
            _("The health check must come before the start date."),
            code=CoreError.INVALID_DATE,
            field="health_checked_on",
        )
    seat = _take_seat(cls)
    now = timezone.now()
    try:
        with transaction.atomic():
            child = Child.objects.create(
                community_id=cls.community_id,
                resident=child_resident,
                household_id=child_resident.household_id,
                nursery_class=cls,
                status=ChildStatus.ENROLLED if seat else ChildStatus.WAITING,
                seat=seat,
                waiting_since=None if seat else now,
                start_date=start_date,
                consent_by=guardian,
                consent_at=now,
                consent_text=CONSENT_TEXT,
                consent_version=CONSENT_TEXT_VERSION,
                consent_recorded_by_id=actor.user_id,
                health_checked_on=health_checked_on,
                health_clinic=_clean_text(health_clinic, 100, "health_clinic", required=True),
                health_result=health_result,
                allergies=_clean_text(allergies, 200, "allergies"),
                notes=_clean_text(notes, 2000, "notes"),
            )
    except IntegrityError as exc:  # a concurrent enrolment took the seat or the child
        raise DomainError(
            _("Someone enrolled at the same moment; reload and try again."),
            code=CoreError.CONFLICT,
        ) from exc
    PickupPerson.objects.create(
        child=child,
        resident=guardian,
        name=guardian.name,
        relation=_("Guardian"),
        is_guardian=True,
        phone_encrypted=guardian.phone_encrypted,
        phone_hash=guardian.phone_hash,
        phone_masked=guardian.phone_masked,
    )
    audit_record(
        actor=actor,
        action="create",
        obj=child,
        object_label=cls.name,
        community_id=cls.community_id,
        after={"status": child.status, "seat": seat, "consent_version": CONSENT_TEXT_VERSION},
    )
    return Enrolment(child=child, waiting=seat is None)


@transaction.atomic
def child_admit(*, actor: Actor, public_id: Any) -> Child:
    """Give a waiting child the class's first free seat."""
    child = access(actor, MANAGE_CHILD, Child.objects.all(), public_id=public_id)
    cls = NurseryClass.objects.select_for_update().get(pk=child.nursery_class_id)
    if child.status != ChildStatus.WAITING:
        raise DomainError(
            _("Only a waiting child can be admitted."), code=CoreError.INVALID_TRANSITION
        )
    seat = _take_seat(cls)
    if seat is None:
        raise DomainError(_("The class is full."), code=NurseryError.CLASS_TOO_LARGE)
    if not update_if(
        Child,
        pk=child.pk,
        where={"status": ChildStatus.WAITING},
        status=ChildStatus.ENROLLED,
        seat=seat,
    ):
        raise stale_conflict()
    child.refresh_from_db()
    audit_record(actor=actor, action="update", obj=child, community_id=child.community_id)
    return child


@transaction.atomic
def child_leave(*, actor: Actor, public_id: Any, on: dt.date, reason: str = "") -> Child:
    """The child leaves: the seat is freed (the first waiting child can then be admitted)."""
    if not has_perm(actor, MANAGE):
        raise NotFound(_("Not found."))
    child = access(actor, MANAGE_CHILD, Child.objects.select_for_update(), public_id=public_id)
    if child.status == ChildStatus.LEFT:
        raise DomainError(_("The child has left already."), code=CoreError.INVALID_TRANSITION)
    child.status = ChildStatus.LEFT
    child.seat = None
    child.left_on = on
    child.leave_reason = _clean_text(reason, 200, "reason")
    child.save(update_fields=["status", "seat", "left_on", "leave_reason", "updated_at"])
    audit_record(actor=actor, action="update", obj=child, community_id=child.community_id)
    return child


@transaction.atomic
def child_open(*, actor: Actor, public_id: Any) -> Child:
    """Load one child's record. Staff reads are written to the audit trail; a guardian reads
    his own household's child without an audit row."""
    qs = Child.objects.select_related("resident", "nursery_class", "consent_by")
    if has_perm(actor, VIEW_CHILDREN):
        child = access(actor, VIEW_CHILDREN, qs, public_id=public_id)
        audit_record(
            actor=actor,
            action="reveal",
            obj=child,
            object_label=child.nursery_class.name,
            field="child_record",
            community_id=child.community_id,
        )
        return child
    return access(actor, GUARDIAN, qs, public_id=public_id)


def _child_for_write(actor: Actor, public_id: Any, *, lock: bool = False) -> Child:
    if not has_perm(actor, MANAGE):
        raise NotFound(_("Not found."))
    qs = Child.objects.select_related("nursery_class", "resident")
    if lock:
        qs = qs.select_for_update()
    return access(actor, VIEW_CHILDREN, qs, public_id=public_id)


@transaction.atomic
def pickup_person_add(
    *,
    actor: Actor,
    public_id: Any,
    name: str,
    relation: str,
    phone: str,
    photo: UploadedFile[bytes] | None = None,
) -> PickupPerson:
    """Add an authorised pickup person (staff, or the child's guardian from the portal), with
    a photo if one is given (checked first: a bad file writes nothing)."""
    child = _child_for_pickup_list(actor, public_id)
    if child.status == ChildStatus.LEFT:
        raise DomainError(_("The child has left."), code=CoreError.INVALID_TRANSITION)
    digits = _normal_phone(phone)
    clean_name = _clean_text(name, 50, "name", required=True)
    clean_relation = _clean_text(relation, 30, "relation", required=True)
    checked = check_photo(photo) if photo is not None else None
    person = PickupPerson(
        child=child,
        name=clean_name,
        relation=clean_relation,
        phone_encrypted=pii.encrypt(digits),
        phone_hash=pii.lookup_hash("phone", digits),
        phone_masked=pii.mask_phone(digits),
    )
    if photo is not None and checked is not None:
        _store_photo(person, photo, *checked)
    person.save()
    audit_record(
        actor=actor,
        action="create",
        obj=person,
        object_label=f"{person.name}（{person.relation}）",
        community_id=child.community_id,
        after={"photo": bool(person.photo)},
    )
    return person


def _child_for_pickup_list(actor: Actor, public_id: Any) -> Child:
    """The child whose pickup list the actor may change: staff of his day-care, or one of the
    child's own guardians."""
    if has_perm(actor, MANAGE):
        return _child_for_write(actor, public_id)
    return access(actor, GUARDIAN, Child.objects.all(), public_id=public_id)


def _store_photo(
    person: PickupPerson, upload: UploadedFile[bytes], content_type: str, ext: str
) -> None:
    store_photo(person.photo, upload, ext)
    person.photo_type = content_type


@transaction.atomic
def pickup_person_photo_set(
    *, actor: Actor, public_id: Any, person_id: int, photo: UploadedFile[bytes]
) -> PickupPerson:
    """Attach (or replace) the photo of a person on the child's pickup list (staff, or the
    child's guardian). The replaced file is removed once the change is committed."""
    child = _child_for_pickup_list(actor, public_id)
    person = (
        PickupPerson.objects.select_for_update()
        .filter(pk=person_id, child=child, active=True)
        .first()
    )
    if person is None:
        raise NotFound(_("Not found."))
    content_type, ext = check_photo(photo)
    old = person.photo.name
    _store_photo(person, photo, content_type, ext)
    person.save(update_fields=["photo", "photo_type", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=person,
        object_label=f"{person.name}（{person.relation}）",
        community_id=child.community_id,
        after={"photo": True},
    )
    delete_after_commit(person.photo, old)
    return person


@transaction.atomic
def pickup_person_photo_remove(*, actor: Actor, public_id: Any, person_id: int) -> PickupPerson:
    """Remove the photo of a person on the child's pickup list (staff, or the child's
    guardian). A person without a photo is NotFound, like the photo itself; the file is removed
    from storage once the change is committed."""
    child = _child_for_pickup_list(actor, public_id)
    person = (
        PickupPerson.objects.select_for_update()
        .filter(pk=person_id, child=child, active=True)
        .first()
    )
    old = person.photo.name if person is not None else None
    if person is None or not old:
        raise NotFound(_("Not found."))
    photo = person.photo
    person.photo = ""
    person.photo_type = ""
    person.save(update_fields=["photo", "photo_type", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=person,
        object_label=f"{person.name}（{person.relation}）",
        community_id=child.community_id,
        before={"photo": True},
        after={"photo": False},
    )
    delete_after_commit(photo, old)
    return person


@transaction.atomic
def pickup_photo_open(*, actor: Actor, public_id: Any, person_id: int) -> PickupPerson:
    """Load the photo of a person on a child's pickup list: the day-care's staff and the
    community admin (every view audited, as any read of a child's record), or the child's own
    guardians; everybody else (and a person without a photo) gets NotFound."""
    if has_perm(actor, VIEW_CHILDREN):
        child = access(actor, VIEW_CHILDREN, Child.objects.all(), public_id=public_id)
    else:
        child = access(actor, GUARDIAN, Child.objects.all(), public_id=public_id)
    person = PickupPerson.objects.filter(pk=person_id, child=child, active=True).first()
    if person is None or not person.photo:
        raise NotFound(_("Not found."))
    if has_perm(actor, VIEW_CHILDREN):
        audit_record(
            actor=actor,
            action="reveal",
            obj=child,
            object_label=f"{person.name}（{person.relation}）",
            field="pickup_photo",
            community_id=child.community_id,
        )
    return person


@transaction.atomic
def pickup_person_remove(*, actor: Actor, public_id: Any, person_id: int) -> None:
    child = _child_for_pickup_list(actor, public_id)
    updated = PickupPerson.objects.filter(
        pk=person_id, child=child, active=True, is_guardian=False
    ).update(active=False)
    if not updated:
        raise NotFound(_("Not found."))
    audit_record(
        actor=actor,
        action="update",
        object_type="nursery.pickupperson",
        object_id=str(person_id),
        community_id=child.community_id,
        after={"active": False},
    )


def _temperature(value: Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    if not Decimal("34.0") <= value <= Decimal("42.0") or value != value.quantize(Decimal("0.1")):
        raise DomainError(
            _("Enter a temperature between 34.0 and 42.0 °C."),
            code=CoreError.INVALID_NUMBER,
            field=field,
        )
    return value


@transaction.atomic
def morning_check(
    *,
    actor: Actor,
    public_id: Any,
    temperature: Decimal,
    hands_mouth_ok: bool,
    mood: str,
    day: dt.date | None = None,
) -> Attendance:
    """The morning check (晨检) at arrival: the child is present from now."""
    child = _child_for_write(actor, public_id)
    if child.status != ChildStatus.ENROLLED:
        raise DomainError(_("The child is not enrolled."), code=CoreError.INVALID_TRANSITION)
    if mood not in Mood.values:
        raise DomainError(_("Choose a mood."), code=CoreError.INVALID_CHOICE, field="mood")
    temp = _temperature(temperature, "temperature")
    day = day or dates.local_today()
    row, _created = Attendance.objects.select_for_update().get_or_create(
        child=child,
        day=day,
        defaults={"nursery_class_id": child.nursery_class_id, "presence": Presence.PRESENT},
    )
    if row.picked_up_at is not None:
        raise DomainError(
            _("The child has been collected already today."), code=CoreError.INVALID_TRANSITION
        )
    row.presence = Presence.PRESENT
    row.absence_reason = ""
    row.absence_by_guardian = False
    row.arrived_at = row.arrived_at or timezone.now()
    row.morning_temperature = temp
    row.morning_hands_mouth_ok = hands_mouth_ok
    row.morning_mood = mood
    row.recorded_by_id = actor.user_id
    row.save()
    if (temp is not None and temp >= Decimal("37.3")) or not hands_mouth_ok:
        _tell_guardians(
            child,
            key=f"nursery.morning:{child.pk}:{day.isoformat()}",
            kind="nursery.health",
            title=_("Morning check: %(name)s needs attention") % {"name": child.resident.name},
            urgent=True,
        )
    return row


@transaction.atomic
def noon_check(
    *, actor: Actor, public_id: Any, temperature: Decimal, ok: bool, day: dt.date | None = None
) -> Attendance:
    child = _child_for_write(actor, public_id)
    day = day or dates.local_today()
    row = (
        Attendance.objects.select_for_update()
        .filter(child=child, day=day, presence=Presence.PRESENT)
        .first()
    )
    if row is None:
        raise DomainError(
            _("The child has not been checked in today."), code=NurseryError.NOT_PRESENT
        )
    row.noon_temperature = _temperature(temperature, "temperature")
    row.noon_ok = ok
    row.save(update_fields=["noon_temperature", "noon_ok", "updated_at"])
    return row


def _tell_guardians(child: Child, *, key: str, kind: str, title: str, urgent: bool) -> None:
    resident_ids = list(
        PickupPerson.objects.filter(
            child=child, is_guardian=True, resident__isnull=False
        ).values_list("resident_id", flat=True)
    )
    resident_ids.append(child.consent_by_id)
    publish(
        Message(
            key=key,
            kind=kind,
            user_ids=tuple(user_ids_of_residents(resident_ids)),
            title=title,
            url="/nursery/my/",
            urgent=urgent,
            community_id=child.community_id,
        )
    )


class PickupRefused(DomainError):
    """A pickup by someone not on the list: the refusal is logged, nothing else is written."""


def pickup_record(
    *,
    actor: Actor,
    public_id: Any,
    person_id: int | None = None,
    name: str = "",
    relation: str = "",
    phone: str = "",
    day: dt.date | None = None,
) -> Attendance:
    """Hand the child over to `person_id` from the pickup list. Anyone else (`person_id` None
    or not an active entry of this child's list) is refused: the refusal is logged and the
    guardians notified (committed), then `PickupRefused` (400) is raised."""
    refusal: PickupRefusal | None = None
    with transaction.atomic():
        child = _child_for_write(actor, public_id, lock=True)
        day = day or dates.local_today()
        person = (
            PickupPerson.objects.filter(pk=person_id, child=child, active=True).first()
            if person_id
            else None
        )
        if person is None:
            given = _clean_text(name, 50, "name", required=True)
            masked = ""
            if phone.strip():
                masked = pii.mask_phone(_normal_phone(phone))
            refusal = PickupRefusal.objects.create(
                child=child,
                person_name=given,
                relation=_clean_text(relation, 30, "relation"),
                phone_masked=masked,
                recorded_by_id=actor.user_id,
            )
            audit_record(
                actor=actor,
                action="create",
                obj=refusal,
                object_label=given,
                community_id=child.community_id,
                reason="pickup refused",
            )
            _tell_guardians(
                child,
                key=f"nursery.pickup_refused:{refusal.pk}",
                kind="nursery.pickup_refused",
                title=_("Pickup refused: %(person)s came for %(name)s and is not on the list")
                % {"person": given, "name": child.resident.name},
                urgent=True,
            )
        else:
            row = (
                Attendance.objects.select_for_update()
                .filter(child=child, day=day, presence=Presence.PRESENT)
                .first()
            )
            if row is None:
                raise DomainError(
                    _("The child has not been checked in today."), code=NurseryError.NOT_PRESENT
                )
            if row.picked_up_at is not None:
                raise DomainError(
                    _("The child has been collected already."), code=CoreError.INVALID_TRANSITION
                )
            row.picked_up_at = timezone.now()
            row.picked_up_by = person
            row.save(update_fields=["picked_up_at", "picked_up_by", "updated_at"])
            return row
    raise PickupRefused(
        _("%(person)s is not on the pickup list: the child stays; the guardians have been told.")
        % {"person": refusal.person_name},
        code=NurseryError.PICKUP_REFUSED,
        field="person",
    )


@transaction.atomic
def absence_mark(*, actor: Actor, public_id: Any, day: dt.date, reason: str = "") -> Attendance:
    """Mark a day absent (a guardian from the portal, or staff). Only today or a later day."""
    by_guardian = not has_perm(actor, MANAGE)
    if by_guardian:
        child = access(actor, GUARDIAN, Child.objects.all(), public_id=public_id)
    else:
        child = _child_for_write(actor, public_id)
    if child.status != ChildStatus.ENROLLED:
        raise DomainError(_("The child is not enrolled."), code=CoreError.INVALID_TRANSITION)
    today = dates.local_today()
    if day < today or day > today + dt.timedelta(days=60):
        raise DomainError(
            _("Choose today or a day within the next two months."),
            code=CoreError.INVALID_DATE,
            field="day",
        )
    row = Attendance.objects.select_for_update().filter(child=child, day=day).first()
    if row is not None and row.presence == Presence.PRESENT:
        raise DomainError(
            _("The child is at the day-care already today."), code=CoreError.INVALID_TRANSITION
        )
    row, _created = Attendance.objects.update_or_create(
        child=child,
        day=day,
        defaults={
            "nursery_class_id": child.nursery_class_id,
            "presence": Presence.ABSENT,
            "absence_reason": _clean_text(reason, 200, "reason"),
            "absence_by_guardian": by_guardian,
            "recorded_by_id": actor.user_id,
        },
    )
    return row


@transaction.atomic
def roster_set(
    *, actor: Actor, class_id: int, day: dt.date, carers: list[tuple[int, str]]
) -> list[RosterEntry]:
    """Set who is on duty in a class on a day (replaces that day's roster of the class).
    `carers` are (user id, label) pairs from `selectors.carer_choices`."""
    cls = access(actor, MANAGE, NurseryClass.objects.select_for_update(), pk=class_id)
    RosterEntry.objects.filter(nursery_class=cls, day=day).delete()
    rows = RosterEntry.objects.bulk_create(
        [
            RosterEntry(nursery_class=cls, day=day, carer_id=uid, carer_label=label)
            for uid, label in carers
        ]
    )
    audit_record(
        actor=actor,
        action="update",
        obj=cls,
        field="roster",
        community_id=cls.community_id,
        after={"day": day.isoformat(), "carers": [uid for uid, _l in carers]},
    )
    return rows
