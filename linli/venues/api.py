"""Venues API (`/api/venues/`). Thin: schemas in, selectors/services, schemas out; the same
scoping as the pages (outside the scope is a 404); a broken booking rule is a 400 with its
code (docs/api-errors.md) and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, File, Path, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import field_validator

from linli.core import dates
from linli.core.api import QueryParam, WallTime
from linli.core.exporting import xlsx_response
from linli.core.photos import photo_response
from linli.core.web import MAX_QUERY_INT, actor_of, require_perm
from linli.venues import exporting, selectors, services
from linli.venues.models import (
    Booking,
    BookingSeries,
    Kit,
    Loan,
    ServiceCategory,
    ServiceProvider,
    ServiceRecord,
    ServiceSchedule,
    Venue,
)
from linli.venues.permissions import EXPORT, KITS, MANAGE, PORTAL, SERVICES, VIEW

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
    photo_url: str | None = Field(
        None,
        description="The venue's photo (GET, same scope as the venue), or null without one.",
    )

    @staticmethod
    def resolve_photo_url(obj: Venue) -> str | None:
        return selectors.photo_url(obj, api=True)


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
    start_time: WallTime
    end_time: WallTime
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


# --- management: venues, opening hours, catalogue, providers, schedules -----------------------


class VenuesVenueIn(Schema):
    kind: str = Field(max_length=16)
    name: str = Field(max_length=100)
    capacity: int = Field(ge=1, le=100_000)
    slot_minutes: int = Field(30, ge=10, le=60)
    area_m2: Decimal = Field(Decimal(0), ge=0, le=1_000_000, max_digits=8, decimal_places=1)
    grid_id: int | None = Field(None, ge=1, le=MAX_QUERY_INT)
    place: str = Field("", max_length=200)
    description: str = Field("", max_length=2000)
    staff_may_book: bool = True
    teams_may_book: bool = True
    residents_may_book: bool = False
    needs_approval: bool = False
    active: bool = True


class VenuesHoursIn(Schema):
    weekday: int = Field(ge=0, le=6)
    opens: dt.time
    closes: dt.time

    @field_validator("opens", "closes")
    @classmethod
    def _wall_clock(cls, value: dt.time) -> dt.time:
        if value.tzinfo is not None:
            raise ValueError("a time of day at the venue, without a time zone")
        return value


class VenuesHoursOut(Schema):
    weekday: int
    opens: WallTime
    closes: WallTime


class VenuesCategoryIn(Schema):
    name: str = Field(max_length=50)
    description: str = Field("", max_length=200)
    order: int = Field(100, ge=0, le=1000)


class VenuesProviderIn(Schema):
    name: str = Field(max_length=100)
    kind: str = Field(max_length=12)
    category_ids: list[int] = Field(default_factory=list, max_length=100)

    @field_validator("category_ids")
    @classmethod
    def _bounded(cls, value: list[int]) -> list[int]:
        if any(not 1 <= v <= MAX_QUERY_INT for v in value):
            raise ValueError("ids are 1 to 2^31-1")
        return value


class VenuesProviderOut(Schema):
    id: int
    name: str
    kind: str
    category_ids: list[int]

    @staticmethod
    def resolve_category_ids(obj: ServiceProvider) -> list[int]:
        return sorted(c.pk for c in obj.categories.all())


class VenuesScheduleIn(SeriesIn):
    category_id: int = Field(ge=1, le=MAX_QUERY_INT)
    provider_id: int = Field(ge=1, le=MAX_QUERY_INT)


class VenuesScheduleOut(Schema):
    id: int
    category_id: int
    category: str = Field(alias="category.name")
    provider_id: int
    provider: str = Field(alias="provider.name")
    venue_id: int = Field(alias="series.venue_id")
    venue: str = Field(alias="series.venue.name")
    series_id: UUID = Field(alias="series.public_id")
    weekday: int = Field(alias="series.weekday")
    start_time: WallTime = Field(alias="series.start_time")
    end_time: WallTime = Field(alias="series.end_time")
    first_day: dt.date = Field(alias="series.first_day")
    last_day: dt.date = Field(alias="series.last_day")
    every_weeks: int


ID: Any = Path(..., ge=1, le=MAX_QUERY_INT)  # type: ignore[type-arg]


def _venue_data(data: VenuesVenueIn) -> services.VenueData:
    return services.VenueData(**data.model_dump())


@router.post("/venues", response={201: VenueOut})
def venue_create(request: HttpRequest, data: VenuesVenueIn) -> Status[Venue]:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return Status(201, services.venue_create(actor=actor, data=_venue_data(data)))


@router.put("/venues/{venue_id}", response=VenueOut)
def venue_update(request: HttpRequest, data: VenuesVenueIn, venue_id: int = ID) -> Venue:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return services.venue_update(actor=actor, venue_id=venue_id, data=_venue_data(data))


_PHOTO_BYTES = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/venues/{venue_id}/photo",
    url_name="venues_photo",
    summary="The venue's photo",
    openapi_extra={
        "responses": {
            200: {
                "description": "The photo, as the image type detected when it was uploaded.",
                "content": {t: _PHOTO_BYTES for t in ("image/jpeg", "image/png", "image/webp")},
            }
        }
    },
)
def venue_photo(request: HttpRequest, venue_id: int = ID) -> FileResponse:
    """Anyone who may see the venue; 404 for everybody else and for a venue without a photo."""
    venue = selectors.venue_photo(actor_of(request), venue_id)
    return photo_response(venue.photo, venue.photo_type, max_age=3600)


@router.post(
    "/venues/{venue_id}/photo", response=VenueOut, summary="Upload or replace the venue's photo"
)
def venue_photo_set(request: HttpRequest, photo: File[UploadedFile], venue_id: int = ID) -> Venue:
    """A multipart upload with one file, `photo`: a JPEG, PNG or WebP image (by its content, not
    its name) of at most 5 MB; it replaces the venue's photo. Those who manage the venue; a file
    that is not such a photo is a 400 (`invalid_file`) and changes nothing."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return services.venue_photo_set(actor=actor, venue_id=venue_id, photo=photo)


@router.delete("/venues/{venue_id}/photo", response=VenueOut, summary="Remove the venue's photo")
def venue_photo_remove(request: HttpRequest, venue_id: int = ID) -> Venue:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return services.venue_photo_remove(actor=actor, venue_id=venue_id)


@router.get("/venues/{venue_id}/hours", response=list[VenuesHoursOut])
def venue_hours(request: HttpRequest, venue_id: int = ID) -> list[Any]:
    venue = selectors.venue_get(actor_of(request), venue_id)
    return selectors.opening_hours(venue)


@router.put("/venues/{venue_id}/hours", response=list[VenuesHoursOut])
def venue_hours_set(
    request: HttpRequest, data: list[VenuesHoursIn], venue_id: int = ID
) -> list[Any]:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return services.hours_set(
        actor=actor,
        venue_id=venue_id,
        # Eight or more days repeat a weekday: the service refuses them.
        hours=[services.DayHours(h.weekday, h.opens, h.closes) for h in data],
    )


@router.post("/services/categories", response={201: VenuesCategoryOut})
def category_create(request: HttpRequest, data: VenuesCategoryIn) -> Status[ServiceCategory]:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    return Status(201, services.category_save(actor=actor, **data.model_dump()))


@router.put("/services/categories/{category_id}", response=VenuesCategoryOut)
def category_update(
    request: HttpRequest, data: VenuesCategoryIn, category_id: int = ID
) -> ServiceCategory:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    return services.category_save(actor=actor, category_id=category_id, **data.model_dump())


@router.get("/services/providers", response=list[VenuesProviderOut])
def providers(request: HttpRequest) -> list[ServiceProvider]:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    return list(selectors.provider_list(actor).order_by("name")[:500])


@router.post("/services/providers", response={201: VenuesProviderOut})
def provider_create(request: HttpRequest, data: VenuesProviderIn) -> Status[ServiceProvider]:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    return Status(201, services.provider_save(actor=actor, **data.model_dump()))


@router.put("/services/providers/{provider_id}", response=VenuesProviderOut)
def provider_update(
    request: HttpRequest, data: VenuesProviderIn, provider_id: int = ID
) -> ServiceProvider:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    return services.provider_save(actor=actor, provider_id=provider_id, **data.model_dump())


@router.get("/services/schedules", response=list[VenuesScheduleOut])
def schedules(request: HttpRequest) -> list[ServiceSchedule]:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    return list(selectors.schedule_list(actor)[:500])


@router.post("/services/schedules", response={201: VenuesScheduleOut})
def schedule_create(request: HttpRequest, data: VenuesScheduleIn) -> Status[ServiceSchedule]:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    d = data.model_dump()
    category_id, provider_id, skip = (
        d.pop("category_id"),
        d.pop("provider_id"),
        d.pop("skip_conflicts"),
    )
    return Status(
        201,
        services.schedule_create(
            actor=actor,
            category_id=category_id,
            provider_id=provider_id,
            request=services.SeriesRequest(**d),
            skip_conflicts=skip,
        ),
    )
