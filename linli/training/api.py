"""Training base API (`/api/training/`). Thin: schemas in, selectors/services, schemas out. The
same scoping as the pages (only the base's staff and the community admin; 404 for everyone
else). Business rules answer 400 with a code and a message (a reversed stay, a trainee count
≤ 0, more beds than exist, a fee with three decimals); nothing is written then."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from linli.core.api import QueryParam
from linli.core.exporting import xlsx_response
from linli.core.web import MAX_QUERY_INT, acting_community, actor_of, require_perm
from linli.training import exporting, selectors, services
from linli.training.models import Course, CourseCategory, Lecturer, Session, TrainingClass
from linli.training.permissions import EXPORT, MANAGE, VIEW
from linli.training.selectors import Quote, QuoteLine, TotalRow

MAX_PAGE = 100_000

router = Router(tags=["training"])


class TrainingCategoryOut(Schema):
    id: int
    name: str
    course_count: int = 0


class LecturerOut(Schema):
    id: int
    name: str
    kind: str
    affiliation: str
    topics: str


class LecturerIn(Schema):
    name: str
    kind: str
    affiliation: str = ""
    topics: str = ""


class CourseOut(Schema):
    id: int
    category_id: int
    category: str
    title: str
    format: str
    site: str
    duration_minutes: int
    fee: Decimal
    lecturers: list[str]

    @staticmethod
    def resolve_category(obj: Course) -> str:
        return obj.category.name

    @staticmethod
    def resolve_lecturers(obj: Course) -> list[str]:
        return [lec.name for lec in obj.lecturers.all()]


class CourseIn(Schema):
    category_id: int
    title: str
    format: str
    duration_minutes: int
    fee: Decimal | str
    lecturer_ids: list[int] = []
    site: str = ""
    summary: str = ""


class TrainingClassOut(Schema):
    public_id: UUID
    code: str
    name: str
    organisation: str
    province: str
    city: str
    contact_name: str
    contact_phone: str
    starts_on: dt.date
    ends_on: dt.date
    trainee_count: int
    status: str
    dietary_notes: str

    @staticmethod
    def resolve_contact_phone(obj: TrainingClass) -> str:
        return obj.contact_phone_masked


class ClassIn(Schema):
    name: str
    organisation: str
    province: str
    city: str = ""
    contact_name: str
    contact_phone: str = ""
    starts_on: dt.date
    ends_on: dt.date
    trainee_count: int
    dietary_notes: str = ""
    notes: str = ""


class TransitionIn(Schema):
    transition: str


class SessionOut(Schema):
    id: int
    course_id: int
    course: str
    lecturer_id: int | None
    lecturer: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str
    booking_id: UUID | None
    fee: Decimal
    cancelled: bool

    @staticmethod
    def resolve_booking_id(obj: Session) -> UUID | None:
        return obj.booking.public_id if obj.booking_id and obj.booking else None

    @staticmethod
    def resolve_course(obj: Session) -> str:
        return obj.course.title

    @staticmethod
    def resolve_lecturer(obj: Session) -> str:
        return obj.lecturer.name if obj.lecturer else ""


class SessionIn(Schema):
    course_id: int
    starts_at: dt.datetime
    lecturer_id: int | None = None
    room: str = ""
    venue_id: int | None = None  # a classroom of the service centre, booked through venues


class LodgingIn(Schema):
    beds: int
    first_night: dt.date | None = None
    last_night: dt.date | None = None


class LodgingOut(Schema):
    bed_nights: int


class MealIn(Schema):
    day: dt.date
    breakfasts: int = 0
    lunches: int = 0
    dinners: int = 0
    dietary_notes: str = ""
    breakfast_price: Decimal | str | None = None
    lunch_price: Decimal | str | None = None
    dinner_price: Decimal | str | None = None


class MealOut(Schema):
    day: dt.date
    breakfasts: int
    lunches: int
    dinners: int
    breakfast_price: Decimal
    lunch_price: Decimal
    dinner_price: Decimal
    dietary_notes: str


class TraineesIn(Schema):
    names: list[str]


class TraineeOut(Schema):
    id: int
    name: str
    position: str


class TrainingCheckInIn(Schema):
    trainee_ids: list[int]


class CheckInOut(Schema):
    checked_in: int


class QuoteLineOut(Schema):
    label: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


class QuoteOut(Schema):
    courses: list[QuoteLineOut]
    lodging: list[QuoteLineOut]
    meals: list[QuoteLineOut]
    courses_total: Decimal
    lodging_total: Decimal
    meals_total: Decimal
    total: Decimal
    rounding: str


class TotalOut(Schema):
    label: str
    classes: int
    visits: int


class TotalsOut(Schema):
    by_year: list[TotalOut]
    by_province: list[TotalOut]


def _lines(lines: list[QuoteLine]) -> list[dict[str, Any]]:
    return [
        {"label": x.label, "quantity": x.quantity, "unit_price": x.unit_price, "amount": x.amount}
        for x in lines
    ]


def _quote(quote: Quote) -> dict[str, Any]:
    return {
        "courses": _lines(quote.courses),
        "lodging": _lines(quote.lodging),
        "meals": _lines(quote.meals),
        "courses_total": quote.courses_total,
        "lodging_total": quote.lodging_total,
        "meals_total": quote.meals_total,
        "total": quote.total,
        "rounding": "none: every amount is a 2-decimal price times a whole count (exact)",
    }


def _totals(rows: list[TotalRow]) -> list[dict[str, Any]]:
    return [{"label": r.label, "classes": r.classes, "visits": r.visits} for r in rows]


# ---------------------------------------------------------------- catalogue


@router.get("/categories", response=list[TrainingCategoryOut])
def categories(request: HttpRequest) -> list[CourseCategory]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return list(selectors.category_list(actor))


@router.get("/courses", response=list[CourseOut])
def courses(
    request: HttpRequest,
    category_id: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    q: str = "",
) -> list[Course]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return list(selectors.course_list(actor, category_id=category_id, q=q[:50]))


@router.post("/courses", response={201: CourseOut})
def course_create(request: HttpRequest, data: CourseIn) -> Status[Course]:
    actor = actor_of(request)
    course = services.course_create(
        actor=actor,
        community_id=acting_community(actor, MANAGE),
        category_id=data.category_id,
        title=data.title,
        format=data.format,
        duration_minutes=data.duration_minutes,
        fee=data.fee,
        lecturer_ids=data.lecturer_ids,
        site=data.site,
        summary=data.summary,
    )
    return Status(201, selectors.course_get(actor, course.pk))


@router.get("/lecturers", response=list[LecturerOut])
def lecturers(request: HttpRequest) -> list[Lecturer]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return list(selectors.lecturer_list(actor))


@router.post("/lecturers", response={201: LecturerOut})
def lecturer_create(request: HttpRequest, data: LecturerIn) -> Status[Lecturer]:
    actor = actor_of(request)
    return Status(
        201,
        services.lecturer_create(
            actor=actor, community_id=acting_community(actor, MANAGE), **data.model_dump()
        ),
    )


# ---------------------------------------------------------------- classes


@router.get("/classes", response=list[TrainingClassOut])
def classes(
    request: HttpRequest,
    status: str = "",
    year: int | None = QueryParam(None, ge=1900, le=2200),
    q: str = "",
    page: int = QueryParam(1, ge=1, le=MAX_PAGE),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> list[TrainingClass]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    start = (page - 1) * page_size
    qs = selectors.class_list(actor, status=status, year=year, q=q[:50])
    return list(qs[start : start + page_size])


@router.post("/classes", response={201: TrainingClassOut})
def class_create(request: HttpRequest, data: ClassIn) -> Status[TrainingClass]:
    actor = actor_of(request)
    return Status(
        201,
        services.class_create(
            actor=actor, community_id=acting_community(actor, MANAGE), **data.model_dump()
        ),
    )


@router.get("/classes/export")
def classes_export(
    request: HttpRequest, year: int | None = QueryParam(None, ge=1900, le=2200)
) -> HttpResponse:
    """The classes as .xlsx (the page's export, for API clients); audited as an export."""
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    return xlsx_response(exporting.export_classes(actor=actor, year=year))


@router.get("/totals/export")
def totals_export(request: HttpRequest) -> HttpResponse:
    """Trainee-visit totals by year and by province as .xlsx."""
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    return xlsx_response(exporting.export_totals(actor=actor))


@router.get("/classes/{public_id}", response=TrainingClassOut)
def class_get(request: HttpRequest, public_id: UUID) -> TrainingClass:
    return selectors.class_get(actor_of(request), public_id)


@router.post("/classes/{public_id}/transition", response=TrainingClassOut)
def class_transition(request: HttpRequest, public_id: UUID, data: TransitionIn) -> TrainingClass:
    return services.class_transition(
        actor=actor_of(request), public_id=public_id, transition=data.transition
    )


@router.get("/classes/{public_id}/sessions", response=list[SessionOut])
def sessions(request: HttpRequest, public_id: UUID) -> list[Session]:
    klass = selectors.class_get(actor_of(request), public_id)
    return list(selectors.class_sessions(klass))


@router.post("/classes/{public_id}/sessions", response={201: SessionOut})
def session_add(request: HttpRequest, public_id: UUID, data: SessionIn) -> Status[Session]:
    session = services.session_add(actor=actor_of(request), public_id=public_id, **data.dict())
    return Status(201, session)


@router.post("/sessions/{session_id}/cancel", response=SessionOut)
def session_cancel(request: HttpRequest, session_id: int) -> Session:
    services.session_cancel(actor=actor_of(request), session_id=session_id)
    return selectors.session_get(actor_of(request), session_id)


@router.post("/sessions/{session_id}/check-in", response=CheckInOut)
def session_check_in(
    request: HttpRequest, session_id: int, data: TrainingCheckInIn
) -> dict[str, int]:
    added = services.session_check_in(
        actor=actor_of(request), session_id=session_id, trainee_ids=data.trainee_ids
    )
    return {"checked_in": added}


@router.post("/classes/{public_id}/lodging", response={201: LodgingOut})
def lodging_book(request: HttpRequest, public_id: UUID, data: LodgingIn) -> Status[dict[str, int]]:
    rows = services.lodging_book(actor=actor_of(request), public_id=public_id, **data.dict())
    return Status(201, {"bed_nights": len(rows)})


@router.post("/classes/{public_id}/lodging/release", response=LodgingOut)
def lodging_release(request: HttpRequest, public_id: UUID) -> dict[str, int]:
    return {"bed_nights": services.lodging_release(actor=actor_of(request), public_id=public_id)}


@router.post("/classes/{public_id}/meals", response=MealOut)
def meals_set(request: HttpRequest, public_id: UUID, data: MealIn) -> Any:
    return services.meals_set(actor=actor_of(request), public_id=public_id, **data.dict())


@router.post("/classes/{public_id}/trainees", response={201: list[TraineeOut]})
def trainees_add(request: HttpRequest, public_id: UUID, data: TraineesIn) -> Status[Any]:
    rows = services.trainees_add(
        actor=actor_of(request), public_id=public_id, names="\n".join(data.names)
    )
    return Status(201, rows)


@router.get("/classes/{public_id}/quote", response=QuoteOut)
def class_quote(request: HttpRequest, public_id: UUID) -> dict[str, Any]:
    klass = selectors.class_get(actor_of(request), public_id)
    return _quote(selectors.class_quote(klass))


@router.get("/totals", response=TotalsOut)
def totals(
    request: HttpRequest, year: int | None = QueryParam(None, ge=1900, le=2200)
) -> dict[str, Any]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return {
        "by_year": _totals(selectors.totals_by_year(actor)),
        "by_province": _totals(selectors.totals_by_province(actor, year=year)),
    }
