"""Writes to the registry. Each service is one transaction and writes its audit rows in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from linli.core import dates, pii
from linli.core.audit import audit_record, changed, snapshot
from linli.core.errors import CoreError, DomainError
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, for_actor
from linli.registry.choices import (
    HOUSEHOLD_MACHINE,
    RECORDED_TAG_FIELDS,
    RESIDENT_MACHINE,
    DisabilityLevel,
    Gender,
    HouseholdStatus,
    HouseholdTransition,
    MoveReason,
    Relation,
    ResidentStatus,
    ResidentTransition,
    Tenure,
)
from linli.registry.errors import RegistryError
from linli.registry.models import Household, Residency, Resident, Unit
from linli.registry.names import pinyin_forms
from linli.registry.permissions import CHANGE_HOUSEHOLD, CHANGE_RESIDENT, REVEAL_PII, VIEW_RESIDENT
from linli.registry.validators import normalize_phone, parse_citizen_id

HOUSEHOLD_AUDIT_FIELDS = ["room", "floor", "area_m2", "tenure", "status", "notes"]
RESIDENT_AUDIT_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "citizen_id_masked",
    "phone_masked",
    "relation",
    "disability_level",
    *RECORDED_TAG_FIELDS.values(),
    "notes",
    "status",
    "household",
]


# Apps above the registry (accounts: the member's household role) react to a move-out inside
# its transaction without the registry importing them (docs/architecture.md: direction).
MoveOutListener = Callable[[Actor, Resident, int], None]
_move_out_listeners: list[MoveOutListener] = []


def register_move_out_listener(listener: MoveOutListener) -> None:
    """Call `listener(actor, resident, household_id)` whenever a resident moves out."""
    if listener not in _move_out_listeners:
        _move_out_listeners.append(listener)


# ---------------------------------------------------------------- cleaning (shared with import)


@dataclass
class ResidentData:
    """Validated resident fields, ready to write. Personal fields are already protected."""

    name: str
    gender: str
    birth_date: dt.date
    relation: str
    disability_level: str = DisabilityLevel.NONE
    citizen_id: str = ""
    phone: str = ""
    notes: str = ""
    flags: dict[str, bool] = field(default_factory=dict)

    def model_fields(self) -> dict[str, Any]:
        full, initials = pinyin_forms(self.name)
        return {
            "name": self.name,
            "name_pinyin": full,
            "name_initials": initials,
            "gender": self.gender,
            "birth_date": self.birth_date,
            "relation": self.relation,
            "disability_level": self.disability_level,
            "notes": self.notes,
            "citizen_id_encrypted": pii.encrypt(self.citizen_id),
            "citizen_id_hash": pii.lookup_hash("citizen_id", self.citizen_id),
            "citizen_id_masked": pii.mask_citizen_id(self.citizen_id),
            "phone_encrypted": pii.encrypt(self.phone),
            "phone_hash": pii.lookup_hash("phone", self.phone),
            "phone_masked": pii.mask_phone(self.phone),
            **self.flags,
        }


def resident_input_from(resident: Resident) -> dict[str, Any]:
    """The resident's current values as service input (personal fields decrypted in memory
    only), so that a partial update can be validated as a whole."""
    return {
        **_unprotected_input(resident),
        "citizen_id": pii.decrypt(resident.citizen_id_encrypted),
        "phone": pii.decrypt(resident.phone_encrypted),
    }


def _unprotected_input(resident: Resident) -> dict[str, Any]:
    """Every service input field of the resident except the protected ID number and phone."""
    return {
        "name": resident.name,
        "birth_date": resident.birth_date,
        "gender": resident.gender,
        "relation": resident.relation,
        "disability_level": resident.disability_level,
        "notes": resident.notes,
        **{f: getattr(resident, f) for f in RECORDED_TAG_FIELDS.values()},
    }


def resident_form_initial(resident: Resident) -> dict[str, Any]:
    """The resident's current values for an edit form: everything but the protected fields,
    which a form never prefills (DESIGN.md rule 10)."""
    values = _unprotected_input(resident)
    return {**values, "citizen_id": "", "phone": ""}


def _required(value: Any, field_name: str, label: str) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise DomainError(
            _("%(field)s is required.") % {"field": label},
            code=CoreError.REQUIRED,
            field=field_name,
        )
    return text


def _choice(
    value: Any, choices: Any, field_name: str, label: str, default: str | None = None
) -> str:
    text = "" if value is None else str(value).strip()
    if not text and default is not None:
        return default
    for c in choices:
        if text in (c.value, str(c.label)):
            return str(c.value)
    raise DomainError(
        _("%(value)s is not a valid %(field)s.") % {"value": text, "field": label},
        code=CoreError.INVALID_CHOICE,
        field=field_name,
    )


def _date(value: Any, field_name: str, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DomainError(
            _("%(field)s must be a date such as 1950-03-21.") % {"field": label},
            code=CoreError.INVALID_DATE,
            field=field_name,
        ) from exc


def clean_resident(
    *,
    name: Any,
    citizen_id: Any = "",
    birth_date: Any = None,
    gender: Any = "",
    phone: Any = "",
    relation: Any = "",
    disability_level: Any = "",
    notes: Any = "",
    flags: dict[str, Any] | None = None,
) -> ResidentData:
    """Validate resident input. Gender and birth date default to what the ID number says and,
    when given, must agree with it. Raises DomainError naming the field."""
    clean_name = _required(name, "name", _("Name"))
    if len(clean_name) > 50:
        raise DomainError(_("The name is too long."), code=CoreError.TOO_LONG, field="name")
    id_text = "" if citizen_id is None else str(citizen_id).strip()
    parsed = parse_citizen_id(id_text) if id_text else None
    given_birth = _date(birth_date, "birth_date", _("Birth date"))
    if parsed and given_birth and given_birth != parsed.birth_date:
        raise DomainError(
            _("The birth date does not match the one in the citizen ID number (%(date)s).")
            % {"date": parsed.birth_date.isoformat()},
            code=RegistryError.BIRTH_DATE_MISMATCH,
            field="birth_date",
        )
    birth = given_birth or (parsed.birth_date if parsed else None)
    if birth is None:
        raise DomainError(
            _("%(field)s is required.") % {"field": _("Birth date")},
            code=CoreError.REQUIRED,
            field="birth_date",
        )
    if birth > dates.local_today():
        raise DomainError(
            _("The birth date is in the future."), code=CoreError.INVALID_DATE, field="birth_date"
        )
    gender_text = "" if gender is None else str(gender).strip()
    clean_gender = (
        _choice(gender_text, Gender, "gender", _("Gender"))
        if gender_text
        else (parsed.gender if parsed else "")
    )
    if not clean_gender:
        raise DomainError(
            _("%(field)s is required.") % {"field": _("Gender")},
            code=CoreError.REQUIRED,
            field="gender",
        )
    if parsed and clean_gender != parsed.gender:
        raise DomainError(
            _("The gender does not match the citizen ID number."),
            code=RegistryError.GENDER_MISMATCH,
            field="gender",
        )
    clean_flags = {name_: bool(v) for name_, v in (flags or {}).items()}
    unknown = set(clean_flags) - set(RECORDED_TAG_FIELDS.values())
    if unknown:
        raise DomainError(_("Unknown tag."), code=CoreError.INVALID_CHOICE, field="tags")
    return ResidentData(
        name=clean_name,
        gender=clean_gender,
        birth_date=birth,
        relation=_choice(relation, Relation, "relation", _("Relation to household head")),
        disability_level=_choice(
            disability_level,
            DisabilityLevel,
            "disability_level",
            _("Disability level"),
            default=DisabilityLevel.NONE,
        ),
        citizen_id=parsed.number if parsed else "",
        phone=normalize_phone("" if phone is None else str(phone)),
        notes=("" if notes is None else str(notes)).strip(),
        flags=clean_flags,
    )


def clean_resident_input(values: Mapping[str, Any]) -> ResidentData:
    """`clean_resident` for a flat mapping (a form's cleaned data, an API payload, the current
    values of `resident_input_from` merged with a patch); tag flags are read by field name."""
    return clean_resident(
        name=values.get("name"),
        citizen_id=values.get("citizen_id") or "",
        birth_date=values.get("birth_date"),
        gender=values.get("gender") or "",
        phone=values.get("phone") or "",
        relation=values.get("relation") or "",
        disability_level=values.get("disability_level") or "",
        notes=values.get("notes") or "",
        flags={f: bool(values.get(f)) for f in RECORDED_TAG_FIELDS.values()},
    )


def clean_area(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        area = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise DomainError(
            _("The floor area must be a number of square metres."),
            code=CoreError.INVALID_NUMBER,
            field="area_m2",
        ) from exc
    if area < 0 or area > 10000:
        raise DomainError(
            _("The floor area must be between 0 and 10000 m²."),
            code=CoreError.INVALID_NUMBER,
            field="area_m2",
        )
    return area


def citizen_id_taken_error(holder: Resident | None) -> DomainError:
    """ "Already registered": naming the holder only when the actor may see him. An ID number is
    unique across every community, so the holder may live in another one; then the message
    says neither who, nor where, nor whether he still lives there (issue 8 item 15)."""
    if holder is None:
        return DomainError(
            _(
                "This citizen ID number is already registered. If the person is moving here,"
                " the community where he is registered records his move-out first."
            ),
            code=RegistryError.ID_TAKEN,
            field="citizen_id",
        )
    return DomainError(
        _("This citizen ID number is already registered to %(name)s (%(address)s).")
        % {"name": holder.name, "address": holder.household.address},
        code=RegistryError.ID_TAKEN,
        field="citizen_id",
    )


def _citizen_id_taken(actor: Actor, data: ResidentData, exclude_pk: int | None = None) -> None:
    if not data.citizen_id:
        return
    qs = Resident.objects.filter(citizen_id_hash=pii.lookup_hash("citizen_id", data.citizen_id))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        visible = for_actor(actor, VIEW_RESIDENT, qs).select_related(
            "household__building", "household__unit"
        )
        raise citizen_id_taken_error(visible.first())


def _resident_snapshot(resident: Resident) -> dict[str, Any]:
    return snapshot(resident, RESIDENT_AUDIT_FIELDS)


# ---------------------------------------------------------------- households


@transaction.atomic
def household_create(
    *,
    actor: Actor,
    unit_id: int,
    room: str,
    floor: int | None = None,
    area_m2: Any = None,
    tenure: str = Tenure.OWNER,
    notes: str = "",
) -> Household:
    unit = access(actor, CHANGE_HOUSEHOLD, Unit.objects.select_related("building"), pk=unit_id)
    room = _required(room, "room", _("Room"))
    if len(room) > 20:
        raise DomainError(_("The room number is too long."), code=CoreError.TOO_LONG, field="room")
    if floor is None:
        digits = "".join(ch for ch in room if ch.isdigit())
        floor = int(digits[:-2]) if len(digits) >= 3 else 1
    if not 1 <= floor <= unit.building.floors:
        raise DomainError(
            _("Floor %(floor)s does not exist in this building.") % {"floor": floor},
            code=CoreError.INVALID_NUMBER,
            field="floor",
        )
    household = Household(
        community_id=unit.building.community_id,
        building=unit.building,
        unit=unit,
        room=room,
        floor=floor,
        area_m2=clean_area(area_m2),
        tenure=_choice(tenure, Tenure, "tenure", _("Tenure")),
        notes=notes.strip(),
    )
    try:
        with transaction.atomic():
            household.save()
    except IntegrityError as exc:
        raise DomainError(
            _("A household already lives in room %(room)s.") % {"room": room},
            code=RegistryError.ROOM_TAKEN,
            field="room",
        ) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=household,
        community_id=household.community_id,
        after=snapshot(household, HOUSEHOLD_AUDIT_FIELDS),
    )
    return household


@transaction.atomic
def household_update(
    *,
    actor: Actor,
    household_public_id: Any,
    area_m2: Any = None,
    tenure: str | None = None,
    notes: str | None = None,
) -> Household:
    household = access(
        actor,
        CHANGE_HOUSEHOLD,
        Household.objects.select_for_update().select_related("building", "unit"),
        public_id=household_public_id,
    )
    before = snapshot(household, HOUSEHOLD_AUDIT_FIELDS)
    if area_m2 is not None:
        household.area_m2 = clean_area(area_m2)
    if tenure is not None:
        household.tenure = _choice(tenure, Tenure, "tenure", _("Tenure"))
    if notes is not None:
        household.notes = notes.strip()
    household.save()
    b, a = changed(before, snapshot(household, HOUSEHOLD_AUDIT_FIELDS))
    if a:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=household,
            community_id=household.community_id,
            before=b,
            after=a,
        )
    return household


@transaction.atomic
def household_move_out(
    *, actor: Actor, household_public_id: Any, date: dt.date, reason: str, note: str = ""
) -> Household:
    """The whole household leaves: every resident moves out and the room becomes free."""
    household = access(
        actor,
        CHANGE_HOUSEHOLD,
        Household.objects.select_for_update().select_related("building", "unit"),
        public_id=household_public_id,
    )
    if not HOUSEHOLD_MACHINE.can(HouseholdTransition.MOVE_OUT, household.status):
        raise DomainError(
            _("This household has already moved out."), code=CoreError.INVALID_TRANSITION
        )
    for resident in Resident.objects.select_for_update().filter(
        household=household, status=ResidentStatus.ACTIVE
    ):
        _move_out(actor, resident, date=date, reason=reason, note=note)
    before = snapshot(household, HOUSEHOLD_AUDIT_FIELDS)
    HOUSEHOLD_MACHINE.move(household, HouseholdTransition.MOVE_OUT, to=HouseholdStatus.VACATED)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MOVE_OUT,
        obj=household,
        community_id=household.community_id,
        reason=_choice(reason, MoveReason, "reason", _("Reason")),
        before=before,
        after=snapshot(household, HOUSEHOLD_AUDIT_FIELDS),
    )
    return household


# ---------------------------------------------------------------- residents


@transaction.atomic
def resident_create(
    *,
    actor: Actor,
    household_public_id: Any,
    data: ResidentData,
    moved_in: dt.date | None = None,
    move_in_reason: str = MoveReason.OTHER,
) -> Resident:
    """A person moves into a household (or is registered there)."""
    household = access(
        actor,
        CHANGE_RESIDENT,
        Household.objects.select_for_update().select_related("building", "unit"),
        public_id=household_public_id,
    )
    if household.status != HouseholdStatus.ACTIVE:
        raise DomainError(
            _("Nobody can move into a household that has moved out."),
            code=CoreError.INVALID_TRANSITION,
        )
    _citizen_id_taken(actor, data)
    moved_in = moved_in or dates.local_today()
    if moved_in < data.birth_date:
        raise DomainError(
            _("The move-in date is before the birth date."),
            code=CoreError.INVALID_DATE,
            field="moved_in",
        )
    resident = Resident(
        community_id=household.community_id, household=household, **data.model_fields()
    )
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:  # a concurrent registration of the same ID number
        raise citizen_id_taken_error(None) from exc
    Residency.objects.create(
        resident=resident,
        household=household,
        moved_in=moved_in,
        move_in_reason=_choice(move_in_reason, MoveReason, "move_in_reason", _("Reason")),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MOVE_IN,
        obj=resident,
        community_id=resident.community_id,
        after=_resident_snapshot(resident),
    )
    return resident


@transaction.atomic
def resident_update(*, actor: Actor, resident_public_id: Any, data: ResidentData) -> Resident:
    resident = access(
        actor,
        CHANGE_RESIDENT,
        Resident.objects.select_for_update().select_related("household"),
        public_id=resident_public_id,
    )
    _citizen_id_taken(actor, data, exclude_pk=resident.pk)
    before = _resident_snapshot(resident)
    fields = data.model_fields()
    # Unchanged personal fields keep their stored ciphertext (Fernet output differs per call).
    if fields["citizen_id_hash"] == resident.citizen_id_hash:
        fields.pop("citizen_id_encrypted")
    if fields["phone_hash"] == resident.phone_hash:
        fields.pop("phone_encrypted")
    for name, value in fields.items():
        setattr(resident, name, value)
    resident.save()
    b, a = changed(before, _resident_snapshot(resident))
    if a:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=resident,
            community_id=resident.community_id,
            before=b,
            after=a,
        )
    return resident


def _move_out(actor: Actor, resident: Resident, *, date: dt.date, reason: str, note: str) -> None:
    clean_reason = _choice(reason, MoveReason, "reason", _("Reason"))
    residency = (
        Residency.objects.select_for_update()
        .filter(resident=resident, moved_out__isnull=True)
        .first()
    )
    if residency is None or not RESIDENT_MACHINE.can(ResidentTransition.MOVE_OUT, resident.status):
        raise DomainError(
            _("This resident has already moved out."), code=CoreError.INVALID_TRANSITION
        )
    if date < residency.moved_in:
        raise DomainError(
            _("The move-out date is before the move-in date (%(date)s).")
            % {"date": residency.moved_in.isoformat()},
            code=CoreError.INVALID_DATE,
            field="date",
        )
    if date > dates.local_today():
        raise DomainError(
            _("The move-out date is in the future."), code=CoreError.INVALID_DATE, field="date"
        )
    before = _resident_snapshot(resident)
    residency.moved_out = date
    residency.move_out_reason = clean_reason
    residency.note = note.strip()[:200]
    residency.save()
    RESIDENT_MACHINE.move(resident, ResidentTransition.MOVE_OUT, to=ResidentStatus.MOVED_OUT)
    for listener in _move_out_listeners:
        listener(actor, resident, residency.household_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.MOVE_OUT,
        obj=resident,
        community_id=resident.community_id,
        reason=clean_reason + (f": {note.strip()}" if note.strip() else ""),
        before=before,
        after=_resident_snapshot(resident),
    )


@transaction.atomic
def resident_move_out(
    *, actor: Actor, resident_public_id: Any, date: dt.date, reason: str, note: str = ""
) -> Resident:
    """A resident leaves his household; his record and history stay."""
    resident = access(
        actor,
        CHANGE_RESIDENT,
        Resident.objects.select_for_update().select_related("household"),
        public_id=resident_public_id,
    )
    _move_out(actor, resident, date=date, reason=reason, note=note)
    return resident


@transaction.atomic
def resident_party_flag_set(*, actor: Actor, resident_id: int, value: bool) -> None:
    """Keep the registry's Party-member tag in step with the Party organisation. Called by the
    Party app's services inside their transaction, after they checked the actor's rights over
    the member; audited like any other change to a resident."""
    resident = Resident.objects.select_for_update().get(pk=resident_id)
    if resident.is_party_member == value:
        return
    resident.is_party_member = value
    resident.save(update_fields=["is_party_member", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=resident,
        community_id=resident.community_id,
        before={"is_party_member": not value},
        after={"is_party_member": value},
    )


@transaction.atomic
def resident_reveal(*, actor: Actor, resident_public_id: Any, field: str, reason: str) -> str:
    """Show one personal field in full. Needs the reveal permission over the resident and a
    reason; writes an audit row. A resident reading his own record needs neither."""
    if field not in ("citizen_id", "phone"):
        raise DomainError(
            _("This field cannot be revealed."), code=CoreError.INVALID_CHOICE, field="field"
        )
    own = actor.resident_id is not None
    resident = (
        access(actor, VIEW_RESIDENT, Resident.objects.all(), public_id=resident_public_id)
        if own
        else None
    )
    if resident is None or resident.pk != actor.resident_id:
        resident = access(actor, REVEAL_PII, Resident.objects.all(), public_id=resident_public_id)
        reason = (reason or "").strip()
        if len(reason) < 2:
            raise DomainError(
                _("Say why you need to see this."), code=CoreError.REQUIRED, field="reason"
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.REVEAL,
            obj=resident,
            community_id=resident.community_id,
            field=field,
            reason=reason[:500],
        )
    token = resident.citizen_id_encrypted if field == "citizen_id" else resident.phone_encrypted
    return pii.decrypt(token)
