"""Day-care API (`/api/nursery/`). Child data only for the day-care's staff, the community admin
(every read of one record audited) and the child's own guardians; everybody else gets 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import File as FilePart
from ninja.params.functions import Path as PathParam

from linli.core import dates
from linli.core.photos import ALLOWED_FORMATS, MAX_PHOTO_BYTES, photo_response
from linli.core.web import MAX_QUERY_INT, actor_of, require_perm
from linli.nursery import selectors, services
from linli.nursery.choices import PICKUP_PHOTO_MAX_AGE
from linli.nursery.models import Attendance, Child, NurseryClass, PickupPerson
from linli.nursery.permissions import GUARDIAN, MANAGE, VIEW, VIEW_CHILDREN

router = Router(tags=["nursery"])

PHOTO_PATH = "/children/{public_id}/pickup-people/{person_id}/photo"
PHOTO_URL_NAME = "api:nursery_pickup_photo"
PERSON_ID = PathParam(..., ge=1, le=MAX_QUERY_INT, description="The person's id on the list.")
PHOTO_PART = FilePart(
    ...,
    description=(
        f"The image: JPEG, PNG or WebP, at most {MAX_PHOTO_BYTES // (1024 * 1024)} MB "
        "(checked by its content, not its name or declared type)."
    ),
)


class NurseryClassOut(Schema):
    id: int
    name: str
    band: str
    capacity: int
    children_per_carer: int
    enrolled: int
    waiting: int


class ClassDayOut(Schema):
    class_id: int
    name: str
    enrolled: int
    present: int
    carers: list[str]
    needed: int
    in_ratio: bool


class ChildOut(Schema):
    public_id: UUID
    name: str
    birth_date: dt.date
    class_id: int
    class_name: str
    status: str
    seat: int | None
    start_date: dt.date

    @staticmethod
    def resolve_name(obj: Child) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_birth_date(obj: Child) -> dt.date:
        return obj.resident.birth_date

    @staticmethod
    def resolve_class_id(obj: Child) -> int:
        return obj.nursery_class_id

    @staticmethod
    def resolve_class_name(obj: Child) -> str:
        return obj.nursery_class.name


class PickupPersonOut(Schema):
    id: int
    name: str
    relation: str
    is_guardian: bool
    phone: str
    photo_url: str | None = Field(
        None,
        description=(
            "The person's photo, if any: an API path (GET it with the same session or token; "
            "same scope as the child's record)."
        ),
    )

    @staticmethod
    def resolve_phone(obj: PickupPerson) -> str:
        return obj.phone_masked

    @staticmethod
    def resolve_photo_url(obj: PickupPerson) -> str | None:
        if not obj.photo:
            return None
        return reverse(PHOTO_URL_NAME, args=[obj.child.public_id, obj.pk])


class ChildDetailOut(ChildOut):
    consent_at: dt.datetime
    consent_version: str
    health_checked_on: dt.date | None
    health_clinic: str
    health_result: str
    allergies: str
    notes: str
    pickup_people: list[PickupPersonOut]

    @staticmethod
    def resolve_pickup_people(obj: Child) -> list[PickupPerson]:
        people = list(selectors.pickup_people(obj))
        for person in people:
            person.child = obj  # the photo's URL names the child: no query per person
        return people


class AttendanceOut(Schema):
    day: dt.date
    presence: str
    absence_reason: str
    arrived_at: dt.datetime | None
    morning_temperature: Decimal | None
    morning_hands_mouth_ok: bool | None
    morning_mood: str
    noon_temperature: Decimal | None
    noon_ok: bool | None
    picked_up_at: dt.datetime | None
    picked_up_by: str

    @staticmethod
    def resolve_picked_up_by(obj: Attendance) -> str:
        return str(obj.picked_up_by) if obj.picked_up_by_id else ""


class EnrolIn(Schema):
    class_id: int
    resident_public_id: UUID
    start_date: dt.date
    consent_by_public_id: UUID | None = None
    consent_given: bool = False
    health_checked_on: dt.date | None = None
    health_clinic: str = ""
    health_result: str = ""
    allergies: str = ""
    notes: str = ""


class EnrolOut(Schema):
    child: ChildOut
    waiting: bool


class MorningIn(Schema):
    temperature: Decimal = Field(..., max_digits=3, decimal_places=1)
    hands_mouth_ok: bool
    mood: str


class NoonIn(Schema):
    temperature: Decimal = Field(..., max_digits=3, decimal_places=1)
    ok: bool


class NurseryPickupIn(Schema):
    person_id: int | None = None
    name: str = ""
    relation: str = ""
    phone: str = ""


class PersonIn(Schema):
    name: str
    relation: str
    phone: str


class AbsenceIn(Schema):
    day: dt.date
    reason: str = ""


class LeaveIn(Schema):
    on: dt.date
    reason: str = ""


@router.get("/classes", response=list[NurseryClassOut])
def classes(request: HttpRequest) -> list[NurseryClass]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return list(selectors.class_list(actor))


@router.get("/day", response=list[ClassDayOut])
def day(request: HttpRequest, on: dt.date | None = None) -> list[dict[str, object]]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    board = selectors.day_board(actor, on or dates.local_today())
    return [
        {
            "class_id": d.cls.id,
            "name": d.cls.name,
            "enrolled": d.enrolled,
            "present": d.present,
            "carers": d.carers,
            "needed": d.needed,
            "in_ratio": d.ok,
        }
        for d in board
    ]


@router.get("/children", response=list[ChildOut])
def children(request: HttpRequest, status: str = "") -> list[Child]:
    actor = actor_of(request)
    require_perm(actor, VIEW_CHILDREN, GUARDIAN)
    if not selectors.can_manage(actor):
        return selectors.children_for_resident(actor)
    return list(selectors.child_list(actor, status or None)[:500])


@router.post("/children", response={201: EnrolOut})
def enrol(request: HttpRequest, data: EnrolIn) -> Status[dict[str, object]]:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    result = services.child_enrol(actor=actor, **data.dict())
    return Status(201, {"child": result.child, "waiting": result.waiting})


@router.get("/children/{public_id}", response=ChildDetailOut)
def child(request: HttpRequest, public_id: UUID) -> Child:
    return services.child_open(actor=actor_of(request), public_id=public_id)


@router.get("/children/{public_id}/attendance", response=list[AttendanceOut])
def child_attendance(request: HttpRequest, public_id: UUID) -> list[Attendance]:
    found = services.child_open(actor=actor_of(request), public_id=public_id)
    return selectors.attendance_history(found, limit=60)


@router.post("/children/{public_id}/morning", response=AttendanceOut)
def morning(request: HttpRequest, public_id: UUID, data: MorningIn) -> Attendance:
    return services.morning_check(actor=actor_of(request), public_id=public_id, **data.dict())


@router.post("/children/{public_id}/noon", response=AttendanceOut)
def noon(request: HttpRequest, public_id: UUID, data: NoonIn) -> Attendance:
    return services.noon_check(actor=actor_of(request), public_id=public_id, **data.dict())


@router.post("/children/{public_id}/pickup", response=AttendanceOut)
def pickup(request: HttpRequest, public_id: UUID, data: NurseryPickupIn) -> Attendance:
    return services.pickup_record(actor=actor_of(request), public_id=public_id, **data.dict())


@router.post("/children/{public_id}/absence", response=AttendanceOut)
def absence(request: HttpRequest, public_id: UUID, data: AbsenceIn) -> Attendance:
    return services.absence_mark(actor=actor_of(request), public_id=public_id, **data.dict())


@router.post("/children/{public_id}/pickup-people", response={201: PickupPersonOut})
def pickup_person_add(
    request: HttpRequest, public_id: UUID, data: PersonIn
) -> Status[PickupPerson]:
    return Status(
        201,
        services.pickup_person_add(actor=actor_of(request), public_id=public_id, **data.dict()),
    )


@router.post("/children/{public_id}/leave", response=ChildOut)
def leave(request: HttpRequest, public_id: UUID, data: LeaveIn) -> Child:
    return services.child_leave(actor=actor_of(request), public_id=public_id, **data.dict())


@router.get(
    PHOTO_PATH,
    url_name="nursery_pickup_photo",
    summary="The photo of a person on a child's pickup list",
    openapi_extra={
        "responses": {
            200: {
                "description": "The image, as its type was detected when it was attached.",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type, _ext in ALLOWED_FORMATS.values()
                },
            }
        }
    },
)
def pickup_photo(request: HttpRequest, public_id: UUID, person_id: int = PERSON_ID) -> FileResponse:
    """The day-care's staff and the community admin (each view audited) and the child's own
    guardians; 404 for everybody else and for a person without a photo."""
    person = services.pickup_photo_open(
        actor=actor_of(request), public_id=public_id, person_id=person_id
    )
    return photo_response(person.photo, person.photo_type, max_age=PICKUP_PHOTO_MAX_AGE)


@router.post(
    PHOTO_PATH,
    response=PickupPersonOut,
    summary="Attach or replace the photo of a person on a child's pickup list",
)
def pickup_photo_set(
    request: HttpRequest,
    public_id: UUID,
    photo: UploadedFile = PHOTO_PART,
    person_id: int = PERSON_ID,
) -> PickupPerson:
    """The day-care's staff and the child's own guardians; 404 for everybody else. A file that
    is not a photo, or too large, is a 400 `invalid_file` and nothing is written; the replaced
    file is removed from storage."""
    return services.pickup_person_photo_set(
        actor=actor_of(request), public_id=public_id, person_id=person_id, photo=photo
    )


@router.delete(
    PHOTO_PATH,
    response=PickupPersonOut,
    summary="Remove the photo of a person on a child's pickup list",
)
def pickup_photo_remove(
    request: HttpRequest, public_id: UUID, person_id: int = PERSON_ID
) -> PickupPerson:
    """The day-care's staff and the child's own guardians; 404 for everybody else and for a
    person without a photo. The file is removed from storage."""
    return services.pickup_person_photo_remove(
        actor=actor_of(request), public_id=public_id, person_id=person_id
    )
