"""Every read of the venues domain, starting from the actor's scope: venues a person may see
or book, a venue's availability for a week or a month, bookings (all, mine), series previews,
kits and loans, the service catalogue and records, utilisation and the weekday × hour heat map.
Availability and utilisation run a constant number of queries whatever the data."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import dates, pii
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.permissions import Actor, access, communities_for, for_actor, has_perm
from linli.registry.models import Grid, Resident
from linli.venues import rules
from linli.venues.choices import HOLDING, USED, BookingStatus, LoanStatus, RecordStatus
from linli.venues.models import (
    Booking,
    BookingSeries,
    Closure,
    Kit,
    KitItem,
    Loan,
    OpeningHours,
    ServiceCategory,
    ServiceProvider,
    ServiceRecord,
    ServiceSchedule,
    Venue,
)
from linli.venues.permissions import BOOK, KITS, MANAGE, PORTAL, SERVICES, VIEW

# --- venues ----------------------------------------------------------------------------------


def portal_venues(actor: Actor) -> QuerySet[Venue]:
    """The venues a resident may book: residents' venues of his community."""
    return Venue.objects.filter(
        community_id__in=communities_for(actor, PORTAL), active=True, residents_may_book=True
    )


def venue_list(actor: Actor) -> QuerySet[Venue]:
    """Venues the actor may see: staff their scope (a grid worker his grid's micro-homes),
    a resident those residents may book."""
    q = Q(pk__in=[])
    if has_perm(actor, VIEW):
        q |= Q(pk__in=for_actor(actor, VIEW, Venue.objects.all()).values("pk"))
    if has_perm(actor, PORTAL):
        q |= Q(pk__in=portal_venues(actor).values("pk"))
    return Venue.objects.filter(q).select_related("grid")


def venue_get(actor: Actor, venue_id: int) -> Venue:
    venue = venue_list(actor).filter(pk=venue_id).first()
    if venue is None:
        raise NotFound(_("Not found."))
    return venue


def venue_photo(actor: Actor, venue_id: int) -> Venue:
    """The venue whose photo the actor opens: anyone who may see the venue (staff in scope,
    a resident the venues residents may book); a venue without a photo, or outside the
    actor's scope, is not found."""
    venue = venue_get(actor, venue_id)
    if not venue.photo or not venue.photo_type:
        raise NotFound(_("Not found."))
    return venue


def photo_url(venue: Venue, *, api: bool = False) -> str | None:
    """Where the venue's photo is served (the page's URL, or the API's), or None without one.
    The query names the stored file (a random name, new on each upload), so a browser never
    shows a replaced photo from its cache."""
    if not venue.photo:
        return None
    url = (
        reverse("api:venues_photo", kwargs={"venue_id": venue.pk})
        if api
        else reverse("venues:venue_photo", kwargs={"venue_id": venue.pk})
    )
    return f"{url}?v={PurePosixPath(venue.photo.name or '').stem[:12]}"


def venue_for_booking(actor: Actor, venue_id: Any) -> Venue:
    """The venue an actor books: staff through their booking scope, residents the venues
    residents may book; anything else is not found."""
    try:
        pk = int(venue_id)
    except (TypeError, ValueError) as exc:
        raise NotFound(_("Not found.")) from exc
    qs = Venue.objects.filter(active=True)
    for perm in (MANAGE, BOOK):
        if has_perm(actor, perm):
            found = for_actor(actor, perm, qs).filter(pk=pk).first()
            if found is not None:
                return found
    if has_perm(actor, PORTAL):
        found = portal_venues(actor).filter(pk=pk).first()
        if found is not None:
            return found
    raise NotFound(_("Not found."))


def venue_for_management(actor: Actor, venue_id: int) -> Venue:
    """A venue the actor manages (edit, opening hours); anything else is not found."""
    return access(actor, MANAGE, Venue.objects.select_related("grid"), pk=venue_id)


def grids_of(actor: Actor, community_id: int) -> QuerySet[Grid]:
    """The grids a manager may put a micro-home in: those of a community he manages."""
    if community_id not in communities_for(actor, MANAGE):
        return Grid.objects.none()
    return Grid.objects.filter(community_id=community_id).order_by("number")


def venue_named(community_id: int, name: str) -> Venue | None:
    """The venue in use of a community with this exact name (the training base's site visits
    name their site, e.g. 映像文昌), or None."""
    name = (name or "").strip()
    if not name:
        return None
    return Venue.objects.filter(community_id=community_id, name=name, active=True).first()


def can_manage(actor: Actor, venue: Venue) -> bool:
    return has_perm(actor, MANAGE) and venue.community_id in communities_for(actor, MANAGE)


def can_book(actor: Actor, venue: Venue) -> bool:
    if can_manage(actor, venue):
        return True
    if has_perm(actor, BOOK) and venue.community_id in communities_for(actor, BOOK):
        return venue.staff_may_book or venue.teams_may_book
    return has_perm(actor, PORTAL) and venue.residents_may_book


def opening_hours(venue: Venue) -> list[OpeningHours]:
    return list(OpeningHours.objects.filter(venue=venue).order_by("weekday"))


def closures_ahead(venue: Venue, today: dt.date) -> list[Closure]:
    return list(Closure.objects.filter(venue=venue, last_day__gte=today).order_by("first_day"))


def micro_homes_by_grid(venues: Iterable[Venue]) -> dict[int, int]:
    """How many micro-homes each grid holds (to say which grid holds two)."""
    counts: dict[int, int] = defaultdict(int)
    for v in venues:
        if v.grid_id:
            counts[v.grid_id] += 1
    return dict(counts)


# --- availability --------------------------------------------------------------------------------


@dataclass
class Slot:
    start: dt.datetime
    end: dt.datetime
    state: str  # free, taken, mine, past
    label: str = ""


@dataclass
class DayAvailability:
    day: dt.date
    closed: str | None  # the closure's reason, "" for a closed weekday, None when open
    slots: list[Slot] = field(default_factory=list)

    @property
    def free(self) -> int:
        return sum(1 for s in self.slots if s.state == "free")


@dataclass
class Availability:
    venue: Venue
    first_day: dt.date
    days: list[DayAvailability]


def venue_availability(
    actor: Actor,
    venue: Venue,
    first_day: dt.date,
    days: int,
    *,
    now: dt.datetime | None = None,
) -> Availability:
    """Each day's slots on the venue's time grid inside its opening hours: free, taken (by
    whom only for those who manage it), mine, or past. Three queries whatever the span."""
    now = now or dates.local_now()
    days = max(1, min(days, 62))
    last_day = first_day + dt.timedelta(days=days - 1)
    calendar = rules.Calendar.of(
        OpeningHours.objects.filter(venue=venue),
        Closure.objects.filter(venue=venue, first_day__lte=last_day, last_day__gte=first_day),
    )
    start, _end = dates.day_bounds(first_day)
    end = dates.day_bounds(last_day)[1]
    booked = list(
        Booking.objects.filter(
            venue=venue,
            status__in=HOLDING,
            starts_at__lt=end,
            # A booking lasts at most a day: the lower bound keeps the scan of the index on
            # (venue, starts_at) to the span instead of every earlier booking of the venue.
            starts_at__gt=start - dt.timedelta(minutes=rules.MAX_BOOKING_MINUTES),
            ends_at__gt=start,
        )
        .order_by("starts_at")
        .values("starts_at", "ends_at", "booked_by_id", "purpose", "host")
    )
    manager = can_manage(actor, venue) or (
        has_perm(actor, VIEW) and venue.community_id in communities_for(actor, VIEW)
    )
    step = dt.timedelta(minutes=venue.slot_minutes)
    result: list[DayAvailability] = []
    index = 0
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        reason = calendar.closure_on(day)
        span = calendar.hours.get(day.weekday())
        if reason is not None or span is None:
            result.append(DayAvailability(day=day, closed=reason or ""))
            continue
        entry = DayAvailability(day=day, closed=None)
        slot = rules.at(day, span[0])
        close = rules.at(day, span[1])
        while slot + step <= close:
            slot_end = slot + step
            while index < len(booked) and booked[index]["ends_at"] <= slot:
                index += 1
            state, label = "free", ""
            for b in booked[index:]:
                if b["starts_at"] >= slot_end:
                    break
                if b["ends_at"] > slot:
                    mine = b["booked_by_id"] == actor.user_id
                    state = "mine" if mine else "taken"
                    if manager or mine:
                        label = b["host"] or b["purpose"]
                    break
            if state == "free" and slot < now:
                state = "past"
            entry.slots.append(Slot(start=slot, end=slot_end, state=state, label=label))
            slot = slot_end
        result.append(entry)
    return Availability(venue=venue, first_day=first_day, days=result)


# --- bookings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingFilters:
    venue_id: int | None = None
    status: str = ""
    month: dt.date | None = None
    mine: bool = False


def booking_list(actor: Actor, filters: BookingFilters | None = None) -> QuerySet[Booking]:
    """Bookings the actor may see (staff their scope), newest first."""
    filters = filters or BookingFilters()
    qs = for_actor(actor, VIEW, Booking.objects.all()).select_related("venue", "series")
    if filters.venue_id:
        qs = qs.filter(venue_id=filters.venue_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.month:
        start, end = dates.month_bounds(filters.month)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    if filters.mine:
        qs = qs.filter(booked_by_id=actor.user_id)
    return qs.order_by("-starts_at", "-id")


def bookings_for_resident(actor: Actor) -> QuerySet[Booking]:
    """The signed-in person's own bookings (a resident through his household, narrowed to
    those he made; staff those they made)."""
    if has_perm(actor, PORTAL):
        qs = for_actor(actor, PORTAL, Booking.objects.all())
    else:
        qs = Booking.objects.all()
    return (
        qs.filter(booked_by_id=actor.user_id or 0)
        .select_related("venue", "series")
        .order_by("-starts_at", "-id")
    )


def booking_get(actor: Actor, public_id: Any) -> Booking:
    """A booking for staff in scope or for the person who made it."""
    if not _uuid(public_id):
        raise NotFound(_("Not found."))
    base = Booking.objects.select_related("venue", "series", "activity")
    found = None
    if has_perm(actor, VIEW):
        found = for_actor(actor, VIEW, base).filter(public_id=public_id).first()
    if found is None and (has_perm(actor, PORTAL) or has_perm(actor, BOOK)):
        found = _own(actor, base).filter(public_id=public_id).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def _own(actor: Actor, qs: QuerySet[Booking]) -> QuerySet[Booking]:
    return qs.filter(booked_by_id=actor.user_id or 0)


def _uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def booking_for_change(actor: Actor, public_id: Any) -> Booking:
    """A booking the actor may move or cancel: a manager's in scope, or one he made."""
    base = Booking.objects.select_related("venue")
    if has_perm(actor, MANAGE) and _uuid(public_id):
        found = for_actor(actor, MANAGE, base).filter(public_id=public_id).first()
        if found:
            return found
    if not _uuid(public_id):
        raise NotFound(_("Not found."))
    found = _own(actor, base).filter(public_id=public_id).first()
    if found is None or not (has_perm(actor, PORTAL) or has_perm(actor, BOOK)):
        raise NotFound(_("Not found."))
    return found


def series_for_change(actor: Actor, public_id: Any) -> BookingSeries:
    base = BookingSeries.objects.select_related("venue")
    if not _uuid(public_id):
        raise NotFound(_("Not found."))
    if has_perm(actor, MANAGE):
        found = for_actor(actor, MANAGE, base).filter(public_id=public_id).first()
        if found:
            return found
    found = base.filter(public_id=public_id, booked_by_id=actor.user_id or 0).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def series_get(actor: Actor, public_id: Any) -> BookingSeries:
    base = BookingSeries.objects.select_related("venue")
    if not _uuid(public_id):
        raise NotFound(_("Not found."))
    found = for_actor(actor, VIEW, base).filter(public_id=public_id).first()
    if found is None:
        found = base.filter(public_id=public_id, booked_by_id=actor.user_id or 0).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


@dataclass(frozen=True)
class Occurrence:
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    problem: str = ""
    code: str = ""


def series_preview(
    venue: Venue,
    *,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    first_day: dt.date,
    last_day: dt.date,
    every_weeks: int = 1,
    now: dt.datetime | None = None,
) -> list[Occurrence]:
    """Every date of a weekly rule with what stands in its way (taken by whom, closed, outside
    the hours, past); three queries."""
    days = rules.occurrences(first_day, last_day, weekday, every_weeks)
    calendar = rules.Calendar.of(
        OpeningHours.objects.filter(venue=venue),
        Closure.objects.filter(venue=venue, first_day__lte=last_day, last_day__gte=first_day),
    )
    range_start = rules.at(first_day, dt.time(0))
    range_end = rules.at(last_day + dt.timedelta(days=1), dt.time(0))
    booked = list(
        Booking.objects.filter(
            venue=venue, status__in=HOLDING, starts_at__lt=range_end, ends_at__gt=range_start
        ).values("starts_at", "ends_at", "purpose", "host")
    )
    out: list[Occurrence] = []
    for day in days:
        start, end = rules.at(day, start_time), rules.at(day, end_time)
        if end_time == dt.time(0):
            end = rules.at(day + dt.timedelta(days=1), end_time)
        try:
            rules.check_time(venue, calendar, start, end, now=now)
        except DomainError as exc:
            out.append(Occurrence(day, start, end, problem=exc.message, code=str(exc.code)))
            continue
        clash = next((b for b in booked if b["starts_at"] < end and b["ends_at"] > start), None)
        if clash is not None:
            a, b = timezone.localtime(clash["starts_at"]), timezone.localtime(clash["ends_at"])
            when = f"{a:%H:%M}–{b:%H:%M}"
            out.append(
                Occurrence(
                    day,
                    start,
                    end,
                    problem=_("Taken %(when)s by “%(who)s”.")
                    % {"when": when, "who": clash["host"] or clash["purpose"]},
                    code="slot_taken",
                )
            )
            continue
        out.append(Occurrence(day, start, end))
    return out


def activities_at(venue: Venue, now: dt.datetime, limit: int = 10) -> list[Booking]:
    """Upcoming bookings of the venue that hold a residents' activity (one query)."""
    return list(
        Booking.objects.filter(
            venue=venue, activity__isnull=False, ends_at__gte=now, status__in=HOLDING
        )
        .select_related("activity")
        .order_by("starts_at")[:limit]
    )


def series_bookings(series: BookingSeries) -> QuerySet[Booking]:
    return Booking.objects.filter(series=series).order_by("starts_at")


def bookings_today(actor: Actor, today: dt.date | None = None) -> list[Booking]:
    """The signed-in person's bookings of today that still hold the venue (waiting items)."""
    start, end = dates.day_bounds(today or dates.local_today())
    return list(
        bookings_for_resident(actor).filter(
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=(BookingStatus.REQUESTED, BookingStatus.APPROVED),
        )[:5]
    )


# --- kits ----------------------------------------------------------------------------------------


def kits_of(venue: Venue) -> list[Kit]:
    return list(Kit.objects.filter(venue=venue).prefetch_related("items").order_by("kind"))


def kit_get(actor: Actor, kit_id: int) -> Kit:
    """A kit for staff in scope, or for a resident of the community (the printable list)."""
    kit = (
        Kit.objects.filter(pk=kit_id, venue__in=venue_list(actor))
        .select_related("venue", "venue__grid")
        .prefetch_related("items")
        .first()
    )
    if kit is None:
        raise NotFound(_("Not found."))
    return kit


def kit_item_for_resident(actor: Actor, item_id: int) -> KitItem:
    item = (
        KitItem.objects.filter(
            pk=item_id, kit__venue__community_id__in=communities_for(actor, PORTAL)
        )
        .select_related("kit__venue")
        .first()
    )
    if item is None:
        raise NotFound(_("Not found."))
    return item


def loan_list(
    actor: Actor, *, overdue: bool = False, today: dt.date | None = None
) -> QuerySet[Loan]:
    qs = for_actor(actor, KITS, Loan.objects.all()).select_related("item__kit__venue", "resident")
    if overdue:
        qs = qs.filter(status=LoanStatus.BORROWED, due_on__lt=today or dates.local_today())
    return qs.order_by("-borrowed_at", "-id")


def loans_for_resident(actor: Actor) -> QuerySet[Loan]:
    return (
        for_actor(actor, PORTAL, Loan.objects.all())
        .filter(resident_id=actor.resident_id or 0)
        .select_related("item__kit__venue")
        .order_by("-borrowed_at")
    )


# --- services ---------------------------------------------------------------------------------


def category_list(actor: Actor) -> QuerySet[ServiceCategory]:
    """The catalogue: staff of the community and its residents."""
    ids = (
        set(communities_for(actor, VIEW))
        | set(communities_for(actor, PORTAL))
        | set(communities_for(actor, SERVICES))
    )
    return ServiceCategory.objects.filter(community_id__in=sorted(ids)).annotate(
        provider_count=Count("providers", distinct=True)
    )


def category_for_change(actor: Actor, category_id: int) -> ServiceCategory:
    return access(actor, SERVICES, ServiceCategory.objects.all(), pk=category_id)


def provider_for_change(actor: Actor, provider_id: int) -> ServiceProvider:
    return access(
        actor, SERVICES, ServiceProvider.objects.prefetch_related("categories"), pk=provider_id
    )


def schedule_list(actor: Actor) -> QuerySet[ServiceSchedule]:
    return for_actor(actor, SERVICES, ServiceSchedule.objects.all()).select_related(
        "category", "provider", "series__venue"
    )


def provider_list(actor: Actor) -> QuerySet[ServiceProvider]:
    return for_actor(actor, SERVICES, ServiceProvider.objects.all()).prefetch_related("categories")


def record_list(actor: Actor, *, month: dt.date | None = None) -> QuerySet[ServiceRecord]:
    qs = for_actor(actor, SERVICES, ServiceRecord.objects.all()).select_related(
        "category", "provider", "resident", "venue"
    )
    if month:
        start, end = dates.month_bounds(month)
        qs = qs.filter(served_at__gte=start, served_at__lt=end)
    return qs.order_by("-served_at", "-id")


def records_for_resident(actor: Actor) -> QuerySet[ServiceRecord]:
    return (
        for_actor(actor, PORTAL, ServiceRecord.objects.all())
        .filter(resident_id=actor.resident_id or 0)
        .select_related("category", "provider", "venue")
        .order_by("-served_at")
    )


def resident_lookup(community_id: int, text: str) -> int:
    """The id of the one resident of the community living there now whose name or phone is
    `text` (staff pick whom they served or lend to); a clear error when none or several."""
    text = (text or "").strip()
    qs = Resident.objects.filter(community_id=community_id, status="active")
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 11:
        qs = qs.filter(phone_hash=pii.lookup_hash("phone", digits))
    else:
        qs = qs.filter(name=text)
    ids = list(qs.values_list("pk", flat=True)[:2])
    if len(ids) != 1:
        raise DomainError(
            _("No single resident has this name or phone; try the phone number.")
            if ids
            else _("No resident of the community has this name or phone."),
            code=CoreError.NOT_FOUND if not ids else CoreError.INVALID,
            field="resident",
        )
    return ids[0]


def resident_id_of(actor: Actor, public_id: Any) -> int:
    """The id of a resident of a community where the actor records services (API input)."""
    found = (
        Resident.objects.filter(
            public_id=public_id, community_id__in=communities_for(actor, SERVICES)
        )
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise NotFound(_("Not found."))
    return found


def users_of_resident(resident_id: int) -> list[int]:
    """Sign-in accounts of a resident (to notify him)."""
    return list(
        get_user_model()
        .objects.filter(resident_id=resident_id, is_active=True)
        .values_list("pk", flat=True)
    )


# --- utilisation --------------------------------------------------------------------------------


@dataclass
class MonthUse:
    month: dt.date
    open_minutes: int = 0
    booked_minutes: int = 0
    bookings: int = 0
    checkins: int = 0
    visitors: int = 0
    no_shows: int = 0

    @property
    def rate(self) -> Decimal | None:
        if not self.open_minutes:
            return None
        return (Decimal(self.booked_minutes * 100) / self.open_minutes).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def hours_booked(self) -> Decimal:
        return (Decimal(self.booked_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def hours_open(self) -> Decimal:
        return (Decimal(self.open_minutes) / 60).quantize(Decimal("0.1"))


@dataclass
class VenueUse:
    venue: Venue
    months: list[MonthUse]
    total: MonthUse


@dataclass
class Utilisation:
    first_month: dt.date
    months: list[dt.date]
    venues: list[VenueUse]
    heat: list[list[int]]  # [weekday 0-6][hour 0-23] booked hours (bookings starting then)


def utilisation(actor: Actor, first_month: dt.date, months: int = 12) -> Utilisation:
    """Per venue and month: hours open (from opening hours and closures), hours booked, the
    booking count, check-ins, visitors and no-shows; a weekday × hour heat map; venues ranked
    by the period's rate. Five queries whatever the number of bookings."""
    months = max(1, min(months, 24))
    first_month = first_month.replace(day=1)
    month_list = [dates.add_months(first_month, i) for i in range(months)]
    venues = list(for_actor(actor, VIEW, Venue.objects.filter(active=True)).select_related("grid"))
    ids = [v.pk for v in venues]
    hours: dict[int, list[OpeningHours]] = defaultdict(list)
    for h in OpeningHours.objects.filter(venue_id__in=ids):
        hours[h.venue_id].append(h)
    closures: dict[int, list[Closure]] = defaultdict(list)
    last_day = dates.add_months(first_month, months) - dt.timedelta(days=1)
    for c in Closure.objects.filter(
        venue_id__in=ids, first_day__lte=last_day, last_day__gte=first_month
    ):
        closures[c.venue_id].append(c)
    in_range = Booking.objects.filter(
        venue_id__in=ids, month__gte=month_list[0], month__lte=month_list[-1]
    )
    rows = in_range.values("venue_id", "month").annotate(
        minutes=Sum("minutes", filter=Q(status__in=USED)),
        count=Count("id", filter=Q(status__in=USED)),
        checkins=Count("id", filter=Q(status__in=(BookingStatus.CHECKED_IN, BookingStatus.DONE))),
        visitors=Sum("visitors"),
        no_shows=Count("id", filter=Q(status=BookingStatus.NO_SHOW)),
    )
    agg: dict[tuple[int, dt.date], dict[str, Any]] = {
        (row["venue_id"], row["month"]): dict(row) for row in rows
    }
    heat = [[0] * 24 for _ in range(7)]
    for cell in (
        in_range.filter(status__in=USED).values("weekday", "hour").annotate(minutes=Sum("minutes"))
    ):
        heat[cell["weekday"]][cell["hour"]] += round((cell["minutes"] or 0) / 60)
    per_weekday = {m: weekday_counts(m) for m in month_list}
    result: list[VenueUse] = []
    for v in venues:
        cal = rules.Calendar.of(hours[v.pk], closures[v.pk])
        per_month: list[MonthUse] = []
        total = MonthUse(month=first_month)
        for m in month_list:
            use = MonthUse(month=m, open_minutes=cal.month_open_minutes(m, per_weekday[m]))
            found = agg.get((v.pk, m))
            if found:
                use.booked_minutes = found["minutes"] or 0
                use.bookings = found["count"] or 0
                use.checkins = found["checkins"] or 0
                use.visitors = found["visitors"] or 0
                use.no_shows = found["no_shows"] or 0
            for name in (
                "open_minutes",
                "booked_minutes",
                "bookings",
                "checkins",
                "visitors",
                "no_shows",
            ):
                setattr(total, name, getattr(total, name) + getattr(use, name))
            per_month.append(use)
        result.append(VenueUse(venue=v, months=per_month, total=total))
    result.sort(key=lambda u: (-(u.total.rate or 0), u.venue.name))
    return Utilisation(first_month=first_month, months=month_list, venues=result, heat=heat)


def weekday_counts(month: dt.date) -> dict[int, int]:
    """How many Mondays … Sundays the month holds."""
    counts = dict.fromkeys(range(7), 0)
    day = month.replace(day=1)
    nxt = dates.next_month(day)
    while day < nxt:
        counts[day.weekday()] += 1
        day += dt.timedelta(days=1)
    return counts


@dataclass(frozen=True)
class Headline:
    venues: int
    bookings: int
    booked_hours: int
    rate: Decimal | None
    records: int
    rating: Decimal | None


def headline(community_ids: Iterable[int], month: dt.date) -> Headline:
    """The cockpit's figures of one month (four queries)."""
    ids = sorted(community_ids)
    start, end = dates.month_bounds(month)
    venues = list(
        Venue.objects.filter(community_id__in=ids, active=True).values_list("pk", flat=True)
    )
    b = Booking.objects.filter(
        venue_id__in=venues, month=month.replace(day=1), status__in=USED
    ).aggregate(n=Count("id"), minutes=Sum("minutes"))
    open_minutes = 0
    hours: dict[int, list[OpeningHours]] = defaultdict(list)
    for h in OpeningHours.objects.filter(venue_id__in=venues):
        hours[h.venue_id].append(h)
    counts = weekday_counts(month)
    for vid in venues:
        open_minutes += rules.Calendar.of(hours[vid], []).month_open_minutes(
            month.replace(day=1), counts
        )
    r = ServiceRecord.objects.filter(
        community_id__in=ids, served_at__gte=start, served_at__lt=end
    ).aggregate(n=Count("id"), avg=Avg("rating", filter=Q(status=RecordStatus.CLOSED)))
    rate = (
        (Decimal((b["minutes"] or 0) * 100) / open_minutes).quantize(Decimal("0.1"))
        if open_minutes
        else None
    )
    avg = r["avg"]
    return Headline(
        venues=len(venues),
        bookings=b["n"] or 0,
        booked_hours=(b["minutes"] or 0) // 60,
        rate=rate,
        records=r["n"] or 0,
        rating=Decimal(str(avg)).quantize(Decimal("0.01")) if avg is not None else None,
    )
