"""Venues API (`/api/venues/`). Thin: schemas in, selectors/services, schemas out; the same
scoping as the pages (outside the scope is a 404); a broken booking rule is a 400 with its
code (docs/api-errors.md) and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from linli.core import dates
from linli.core.api import QueryParam
from linli.core.exporting import xlsx_response
from linli.core.web import MAX_QUERY_INT, actor_of, require_perm
from linli.venues import exporting, selectors, services
from linli.venues.models import (
    Booking,
    BookingSeries,
    Kit,
    Loan,
    ServiceCategory,
    ServiceRecord,
    Venue,
)
from linli.venues.permissions import EXPORT, KITS, PORTAL, SERVICES, VIEW

MAX_PAGE = 100_000

router = Router(tags=["venues"])


class VenueOut(Schema):
    id: int
    kind: str
    name: str
    grid_id: int | None
    area_m2: Decimal
    capacity: int
    slot_minutes: int
    needs_approval: bool
    residents_may_book: bool
    teams_may_book: bool
    staff_may_book: bool


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    state: str
    label: str


class DayOut(Schema):
    day: dt.date
    closed: str | None
    slots: list[SlotOut]


class AvailabilityOut(Schema):
    venue_id: int
    days: list[DayOut]


class BookingIn(Schema):
    venue_id: int
    start: dt.datetime
    end: dt.datetime
    purpose: str = Field(max_length=200)
    attendance: int = Field(ge=1, le=100000)
    host: str = Field("", max_length=100)


class BookingOut(Schema):
    public_id: UUID
    venue_id: int
    venue: str = Field(alias="venue.name")
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    purpose: str
    host: str
    attendance: int
    visitors: int | None
    series_id: UUID | None = None

    @staticmethod
    def resolve_series_id(obj: Booking) -> UUID | None:
        return obj.series.public_id if obj.series_id and obj.series else None


class MoveIn(Schema):
    start: dt.datetime
    end: dt.datetime


class DecideIn(Schema):
    transition: str
    note: str = Field("", max_length=200)
    visitors: int | None = Field(None, ge=0, le=100000)


class SeriesIn(Schema):
    venue_id: int = Field(ge=1, le=MAX_QUERY_INT)
    weekday: int = Field(ge=0, le=6)
    start_time: dt.time
    end_time: dt.time
    first_day: dt.date
    last_day: dt.date
    purpose: str = Field(max_length=200)
    attendance: int = Field(ge=1, le=100000)
    host: str = Field("", max_length=100)
    every_weeks: int = Field(1, ge=1, le=8)
    skip_conflicts: bool = False

    @field_validator("start_time", "end_time")
    @classmethod
    def _wall_clock(cls, value: dt.time) -> dt.time:
        # A series repeats at the venue's local time; "19:00Z" has no meaning there.
        if value.tzinfo is not None:
            raise ValueError("a time of day at the venue, without a time zone")
        return value


class OccurrenceOut(Schema):
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    problem: str
    code: str


class SeriesOut(Schema):
    public_id: UUID
    venue_id: int
    weekday: int
    start_time: dt.time
    end_time: dt.time
    first_day: dt.date
    last_day: dt.date
    purpose: str
    host: str
    bookings: int = 0

    @staticmethod
    def resolve_bookings(obj: BookingSeries) -> int:
        return obj.bookings.count()


class CancelledOut(Schema):
    cancelled: int


class MonthUseOut(Schema):
    month: dt.date
    hours_open: Decimal
    hours_booked: Decimal
    rate: Decimal | None
    bookings: int
    checkins: int
    visitors: int
    no_shows: int


class VenueUseOut(Schema):
    venue_id: int
    venue: str
    total: MonthUseOut
    months: list[MonthUseOut]


class UtilisationOut(Schema):
    first_month: dt.date
    venues: list[VenueUseOut]
    heat: list[list[int]]


class KitItemOut(Schema):
    id: int
    name: str
    quantity: int
    available: int
    loan_days: int


class KitOut(Schema):
    id: int
    venue_id: int
    kind: str
    items: list[KitItemOut]

    @staticmethod
    def resolve_items(obj: Kit) -> list[Any]:
        return list(obj.items.all())


class BorrowIn(Schema):
    quantity: int = Field(1, ge=1, le=20)


class LoanOut(Schema):
    public_id: UUID
    item_id: int
    item: str = Field(alias="item.name")
    quantity: int
    status: str
    borrowed_at: dt.datetime
    due_on: dt.date
    returned_at: dt.datetime | None


class VenuesCategoryOut(Schema):
    id: int
    name: str
    description: str


class RecordIn(Schema):
    category_id: int
    provider_id: int
    resident_public_id: UUID
    what: str = Field(max_length=300)
    served_at: dt.datetime | None = None
    venue_id: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT)


class RecordOut(Schema):
    public_id: UUID
    category: str = Field(alias="category.name")
    provider: str = Field(alias="provider.name")
    served_at: dt.datetime
    what: str
    venue_id: int | None
    status: str
    rating: int | None
    comment: str


class VenuesRateIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=300)


# --- venues and availability -----------------------------------------------------------------


@router.get("/venues", response=list[VenueOut])
def venues(request: HttpRequest, kind: str = "") -> list[Venue]:
    actor = actor_of(request)
    require_perm(actor, VIEW, PORTAL)
    qs = selectors.venue_list(actor).order_by("kind", "name")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs)


@router.get("/venues/{venue_id}", response=VenueOut)
def venue(request: HttpRequest, venue_id: int) -> Venue:
    return selectors.venue_get(actor_of(request), venue_id)


@router.get("/venues/{venue_id}/availability", response=AvailabilityOut)
def availability(
    request: HttpRequest,
    venue_id: int,
    since: dt.date | None = None,
    days: int = QueryParam(7, ge=1, le=62),
) -> dict[str, Any]:
    actor = actor_of(request)
    v = selectors.venue_get(actor, venue_id)
    first = since or dates.local_today()
    if not dates.year_in_range(first.year):
        first = dates.local_today()
    a = selectors.venue_availability(actor, v, first, days)
    return {"venue_id": v.pk, "days": a.days}


# --- bookings --------------------------------------------------------------------------------


@router.post("/bookings", response={201: BookingOut})
def booking_create(request: HttpRequest, data: BookingIn) -> Status[Booking]:
    return Status(
        201,
        services.booking_create(
            actor=actor_of(request),
            venue=data.venue_id,
            start=data.start,
            end=data.end,
            purpose=data.purpose,
            attendance=data.attendance,
            host=data.host,
        ),
    )


@router.get("/bookings", response=list[BookingOut])
def bookings(
    request: HttpRequest,
    venue_id: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
    status: str = "",
    month: str = "",
    page: int = QueryParam(1, ge=1, le=MAX_PAGE),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> list[Booking]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    qs = selectors.booking_list(
        actor,
        selectors.BookingFilters(venue_id=venue_id, status=status, month=dates.parse_month(month)),
    )
    start = (page - 1) * page_size
    return list(qs[start : start + page_size])


@router.get("/bookings/mine", response=list[BookingOut])
def my_bookings(request: HttpRequest) -> list[Booking]:
    return list(selectors.bookings_for_resident(actor_of(request))[:200])


@router.get("/bookings/export")
def bookings_export(request: HttpRequest, month: str = "") -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    return xlsx_response(exporting.export_bookings(actor=actor, month=dates.parse_month(month)))


@router.get("/bookings/{public_id}", response=BookingOut)
def booking(request: HttpRequest, public_id: UUID) -> Booking:
    return selectors.booking_get(actor_of(request), public_id)


@router.post("/bookings/{public_id}/cancel", response=BookingOut)
def booking_cancel(request: HttpRequest, public_id: UUID) -> Booking:
    return services.booking_cancel(actor=actor_of(request), public_id=public_id)


@router.post("/bookings/{public_id}/move", response=BookingOut)
def booking_move(request: HttpRequest, public_id: UUID, data: MoveIn) -> Booking:
    return services.booking_move(
        actor=actor_of(request), public_id=public_id, start=data.start, end=data.end
    )


@router.post("/bookings/{public_id}/decide", response=BookingOut)
def booking_decide(request: HttpRequest, public_id: UUID, data: DecideIn) -> Booking:
    return services.booking_decide(
        actor=actor_of(request),
        public_id=public_id,
        transition=data.transition,
        note=data.note,
        visitors=data.visitors,
    )


def _series_request(data: SeriesIn) -> services.SeriesRequest:
    return services.SeriesRequest(
        venue_id=data.venue_id,
        weekday=data.weekday,
        start_time=data.start_time,
        end_time=data.end_time,
        first_day=data.first_day,
        last_day=data.last_day,
        purpose=data.purpose,
        attendance=data.attendance,
        host=data.host,
        every_weeks=data.every_weeks,
    )


@router.post("/series/preview", response=list[OccurrenceOut])
def series_preview(request: HttpRequest, data: SeriesIn) -> list[selectors.Occurrence]:
    """Every date of the rule with what stands in its way (nothing is saved)."""
    actor = actor_of(request)
    v = selectors.venue_for_booking(actor, data.venue_id)
    return selectors.series_preview(
        v,
        weekday=data.weekday,
        start_time=data.start_time,
        end_time=data.end_time,
        first_day=data.first_day,
        last_day=data.last_day,
        every_weeks=data.every_weeks,
        now=dates.local_now(),
    )


@router.post("/series", response={201: SeriesOut})
def series_create(request: HttpRequest, data: SeriesIn) -> Status[BookingSeries]:
    """Book every date; if any is not free, a 400 `series_conflicts` lists them all in
    `details` and nothing is saved (unless `skip_conflicts`)."""
    return Status(
        201,
        services.booking_series_create(
            actor=actor_of(request),
            request=_series_request(data),
            skip_conflicts=data.skip_conflicts,
        ),
    )


@router.post("/series/{public_id}/cancel", response=CancelledOut)
def series_cancel(request: HttpRequest, public_id: UUID) -> dict[str, int]:
    n = services.booking_series_cancel(actor=actor_of(request), public_id=public_id)
    return {"cancelled": n}


# --- utilisation -------------------------------------------------------------------------------


def _use(m: selectors.MonthUse) -> dict[str, Any]:
    return {
        "month": m.month,
        "hours_open": m.hours_open,
        "hours_booked": m.hours_booked,
        "rate": m.rate,
        "bookings": m.bookings,
        "checkins": m.checkins,
        "visitors": m.visitors,
        "no_shows": m.no_shows,
    }


@router.get("/utilisation", response=UtilisationOut)
def utilisation(
    request: HttpRequest, year: int | None = QueryParam(None, ge=2000, le=2100)
) -> dict[str, Any]:
    """Per venue and month (the twelve months of `year`, or the last twelve), ranked."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    first = dt.date(year, 1, 1) if year else dates.add_months(dates.this_month(), -11)
    report = selectors.utilisation(actor, first, 12)
    return {
        "first_month": report.first_month,
        "heat": report.heat,
        "venues": [
            {
                "venue_id": u.venue.pk,
                "venue": u.venue.name,
                "total": _use(u.total),
                "months": [_use(m) for m in u.months],
            }
            for u in report.venues
        ],
    }


# --- kits --------------------------------------------------------------------------------------


@router.get("/kits/{kit_id}", response=KitOut)
def kit(request: HttpRequest, kit_id: int) -> Kit:
    actor = actor_of(request)
    require_perm(actor, VIEW, PORTAL)
    return selectors.kit_get(actor, kit_id)


@router.post("/kits/items/{item_id}/borrow", response={201: LoanOut})
def borrow(request: HttpRequest, item_id: int, data: BorrowIn) -> Status[Loan]:
    return Status(
        201,
        services.loan_create(actor=actor_of(request), item_id=item_id, quantity=data.quantity),
    )


@router.get("/loans", response=list[LoanOut])
def loans(request: HttpRequest, overdue: bool = False) -> list[Loan]:
    actor = actor_of(request)
    require_perm(actor, KITS)
    return list(selectors.loan_list(actor, overdue=overdue)[:500])


@router.get("/loans/mine", response=list[LoanOut])
def my_loans(request: HttpRequest) -> list[Loan]:
    return list(selectors.loans_for_resident(actor_of(request))[:200])


@router.post("/loans/{public_id}/return", response=LoanOut)
def loan_return(request: HttpRequest, public_id: UUID) -> Loan:
    return services.loan_return(actor=actor_of(request), public_id=public_id)


# --- services ---------------------------------------------------------------------------------


@router.get("/services/categories", response=list[VenuesCategoryOut])
def categories(request: HttpRequest) -> list[ServiceCategory]:
    actor = actor_of(request)
    require_perm(actor, VIEW, PORTAL, SERVICES)
    return list(selectors.category_list(actor))


@router.get("/records", response=list[RecordOut])
def records(
    request: HttpRequest,
    month: str = "",
    page: int = QueryParam(1, ge=1, le=MAX_PAGE),
    page_size: int = QueryParam(50, ge=1, le=200),
) -> list[ServiceRecord]:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    start = (page - 1) * page_size
    qs = selectors.record_list(actor, month=dates.parse_month(month))
    return list(qs[start : start + page_size])


@router.post("/records", response={201: RecordOut})
def record_create(request: HttpRequest, data: RecordIn) -> Status[ServiceRecord]:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    return Status(
        201,
        services.record_create(
            actor=actor,
            category_id=data.category_id,
            provider_id=data.provider_id,
            resident_id=selectors.resident_id_of(actor, data.resident_public_id),
            what=data.what,
            served_at=data.served_at,
            venue_id=data.venue_id,
        ),
    )


@router.get("/records/export")
def records_export(request: HttpRequest, month: str = "") -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    return xlsx_response(exporting.export_records(actor=actor, month=dates.parse_month(month)))


@router.get("/records/mine", response=list[RecordOut])
def my_records(request: HttpRequest) -> list[ServiceRecord]:
    return list(selectors.records_for_resident(actor_of(request))[:200])


@router.post("/records/{public_id}/rate", response=RecordOut)
def record_rate(request: HttpRequest, public_id: UUID, data: VenuesRateIn) -> ServiceRecord:
    return services.record_rate(
        actor=actor_of(request), public_id=public_id, rating=data.rating, comment=data.comment
    )
