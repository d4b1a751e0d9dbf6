"""Every write of the venues domain: bookings (single, recurring, moved, decided, cancelled),
kit loans, service schedules and records. Each is one transaction; contention is settled by
the database.

**Never two overlapping bookings on one venue.** On PostgreSQL the exclusion constraint
`booking_no_overlap` (migration 0002) refuses the second of two overlapping inserts even when
both passed the overlap check at once; on SQLite every write transaction begins with
`BEGIN IMMEDIATE` (config/settings.py), so the check and the insert below run alone.

For other domains (the training base books classrooms): `booking_create`, `booking_cancel`,
`booking_move` and `booking_series_create` are the stable entry points; pass `host=` (the
organisation or class the booking is for) when staff book on someone's behalf.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.audit import audit_record, changed, snapshot
from linli.core.errors import Conflict, CoreError, DomainError, NotFound
from linli.core.followups import Followup, request_followup
from linli.core.models import AuditEvent
from linli.core.notify import Message, publish
from linli.core.permissions import Actor, access, communities_for, for_actor, has_perm
from linli.core.photos import check_photo, delete_after_commit, store_photo
from linli.core.states import update_if
from linli.registry.models import Grid, Resident
from linli.venues import rules, selectors
from linli.venues.choices import (
    BOOKING_AFTER,
    BOOKING_MACHINE,
    HOLDING,
    LOAN_MACHINE,
    RECORD_MACHINE,
    BookingStatus,
    BookingTransition,
    LoanStatus,
    LoanTransition,
    ProviderKind,
    RecordStatus,
    RecordTransition,
    VenueKind,
    Weekday,
)
from linli.venues.errors import VenuesError
from linli.venues.models import (
    Booking,
    BookingSeries,
    Closure,
    KitItem,
    Loan,
    OpeningHours,
    ServiceCategory,
    ServiceProvider,
    ServiceRecord,
    ServiceSchedule,
    Venue,
)
from linli.venues.permissions import BOOK, KITS, MANAGE, PORTAL, SERVICES
from linli.volunteers import services as activity_engine

# --- bookings ----------------------------------------------------------------------------------


def _calendar(venue: Venue, day: dt.datetime) -> rules.Calendar:
    """The venue's hours and the closures that cover the booking's day (not every closure the
    venue ever had)."""
    local_day = rules.local(day).date()
    return rules.Calendar.of(
        OpeningHours.objects.filter(venue=venue),
        Closure.objects.filter(venue=venue, first_day__lte=local_day, last_day__gte=local_day),
    )


def _check_who(actor: Actor, venue: Venue, host: str) -> None:
    """Who may book this venue: managers always; staff for themselves or a team/organisation
    as the venue allows; residents where residents may book."""
    if has_perm(actor, MANAGE) and venue.community_id in communities_for(actor, MANAGE):
        return
    if has_perm(actor, BOOK):
        allowed = venue.teams_may_book if host else venue.staff_may_book
    else:
        allowed = venue.residents_may_book
    if not allowed:
        raise DomainError(
            _("%(venue)s does not take bookings from you.") % {"venue": venue.name},
            code=VenuesError.NOT_BOOKABLE,
        )


def _taken(
    venue_id: int, start: dt.datetime, end: dt.datetime, exclude: int | None
) -> Booking | None:
    # A booking lasts at most a day, so one that overlaps starts less than a day before
    # `start`: the lower bound keeps the index scan on (venue, starts_at) to a day's rows
    # instead of every earlier booking of the venue.
    qs = Booking.objects.filter(
        venue_id=venue_id,
        status__in=HOLDING,
        starts_at__lt=end,
        starts_at__gt=start - dt.timedelta(minutes=rules.MAX_BOOKING_MINUTES),
        ends_at__gt=start,
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("starts_at").first()


def _slot_taken(venue: Venue, other: Booking | None = None) -> Conflict:
    if other is not None:
        when = dates.local_date(other.starts_at)
        message = _("%(venue)s is already booked %(from)s–%(to)s on %(day)s.") % {
            "venue": venue.name,
            "from": other.starts_at.astimezone(dates.local_now().tzinfo).strftime("%H:%M"),
            "to": other.ends_at.astimezone(dates.local_now().tzinfo).strftime("%H:%M"),
            "day": when.isoformat(),
        }
    else:
        message = _("Someone booked this time on %(venue)s a moment ago.") % {"venue": venue.name}
    return Conflict(message, code=VenuesError.SLOT_TAKEN, field="start")


def _insert(venue: Venue, build: Callable[[], Booking]) -> Booking:
    """Insert a booking; an overlap the database refuses (PostgreSQL's exclusion constraint,
    decided after a concurrent insert commits) is the same Conflict as one we saw."""
    if connection.vendor != "postgresql":
        # No exclusion constraint to trip (SQLite's write lock already excludes a concurrent
        # insert): no savepoint, two statements fewer while the write lock is held.
        return build()
    try:
        with transaction.atomic():
            return build()
    except IntegrityError as exc:
        if "booking_no_overlap" in str(exc) or "exclusion" in str(exc).lower():
            raise _slot_taken(venue) from exc
        raise


def _household_of(actor: Actor) -> int | None:
    for g in actor.grants:
        if g.household_id and g.resident_id:
            return g.household_id
    return None


@transaction.atomic
def booking_create(
    *,
    actor: Actor,
    venue: Venue | int,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    attendance: int,
    host: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Booking:
    """Book `start`–`end` on `venue` (a Venue or its id; loaded again in the actor's scope).

    Every rule is checked (order of time, time grid, opening hours, closures, capacity, who
    may book, free time); a broken rule raises a DomainError and writes nothing. Staff pass
    `host` to book for a team, an organisation or a class. A venue that needs approval gets
    a `requested` booking, otherwise `approved`."""
    now = at or dates.local_now()
    loaded = selectors.venue_for_booking(actor, venue.pk if isinstance(venue, Venue) else venue)
    purpose = _text(purpose, "purpose", 200, required=True)
    host = _text(host, "host", 100)
    rules.check_attendance(loaded, attendance)
    rules.check_time(loaded, _calendar(loaded, start), start, end, now=now)
    _check_who(actor, loaded, host)
    booking = _book(
        actor, loaded, start, end, purpose=purpose, attendance=attendance, host=host, note=note
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=booking,
        community_id=loaded.community_id,
        after={"venue": loaded.name, "starts_at": start.isoformat(), "ends_at": end.isoformat()},
    )
    return booking


def _book(
    actor: Actor,
    venue: Venue,
    start: dt.datetime,
    end: dt.datetime,
    *,
    purpose: str,
    attendance: int,
    host: str,
    note: str = "",
    series: BookingSeries | None = None,
) -> Booking:
    other = _taken(venue.pk, start, end, exclude=None)
    if other is not None:
        raise _slot_taken(venue, other)
    manager = has_perm(actor, MANAGE) and venue.community_id in communities_for(actor, MANAGE)
    status = (
        BookingStatus.REQUESTED if venue.needs_approval and not manager else BookingStatus.APPROVED
    )
    is_resident = not has_perm(actor, BOOK) and not manager
    if actor.user_id is None:
        raise NotFound(_("Not found."))
    user_id: int = actor.user_id
    return _insert(
        venue,
        lambda: Booking.objects.create(
            venue=venue,
            starts_at=start,
            ends_at=end,
            minutes=int((end - start).total_seconds() // 60),
            **Booking.placement(start),
            status=status,
            purpose=purpose,
            attendance=attendance,
            host=host,
            note=note[:200],
            booked_by_id=user_id,
            resident_id=actor.resident_id if is_resident else None,
            household_id=_household_of(actor) if is_resident else None,
            series=series,
        ),
    )


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), code=CoreError.REQUIRED, field=field)
    if len(value) > limit:
        raise DomainError(
            _("At most %(n)d characters.") % {"n": limit}, code=CoreError.TOO_LONG, field=field
        )
    return value


@transaction.atomic
def booking_move(
    *,
    actor: Actor,
    public_id: Any,
    start: dt.datetime,
    end: dt.datetime,
    at: dt.datetime | None = None,
) -> Booking:
    """Move a booking to another time on its venue; every rule is checked again (free time
    ignoring the booking itself). A resident's move of an approved booking on a venue that
    needs approval waits for approval again."""
    now = at or dates.local_now()
    booking = selectors.booking_for_change(actor, public_id)
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.APPROVED):
        raise DomainError(
            _("Only a requested or approved booking can be moved."),
            code=CoreError.INVALID_TRANSITION,
        )
    venue = booking.venue
    rules.check_time(venue, _calendar(venue, start), start, end, now=now)
    other = _taken(venue.pk, start, end, exclude=booking.pk)
    if other is not None:
        raise _slot_taken(venue, other)
    manager = has_perm(actor, MANAGE) and venue.community_id in communities_for(actor, MANAGE)
    status = booking.status
    if venue.needs_approval and not manager:
        status = BookingStatus.REQUESTED
    before = {"starts_at": booking.starts_at.isoformat(), "ends_at": booking.ends_at.isoformat()}
    minutes = int((end - start).total_seconds() // 60)

    def write() -> Booking:
        if not update_if(
            Booking,
            pk=booking.pk,
            where={"status": booking.status, "starts_at": booking.starts_at},
            starts_at=start,
            ends_at=end,
            minutes=minutes,
            status=status,
            **Booking.placement(start),
        ):
            raise Conflict(_("Someone changed this booking first."), code=CoreError.CONFLICT)
        booking.starts_at, booking.ends_at, booking.minutes, booking.status = (
            start,
            end,
            minutes,
            status,
        )
        return booking

    _insert(venue, write)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=booking,
        community_id=venue.community_id,
        before=before,
        after={"starts_at": start.isoformat(), "ends_at": end.isoformat()},
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: Actor, public_id: Any, at: dt.datetime | None = None) -> Booking:
    """The person who booked (or a manager) cancels a booking that has not started."""
    now = at or dates.local_now()
    booking = selectors.booking_for_change(actor, public_id)
    if booking.starts_at <= now and booking.status == BookingStatus.APPROVED:
        raise DomainError(
            _("The booking has already started; it cannot be cancelled now."),
            code=CoreError.INVALID_TRANSITION,
        )
    _move(booking, BookingTransition.CANCEL, cancelled_at=now)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=booking,
        community_id=booking.venue.community_id,
        field="status",
        after={"status": booking.status},
    )
    return booking


def _move(booking: Booking, transition: str, **values: Any) -> None:
    BOOKING_MACHINE.move(
        booking,
        transition,
        to=BOOKING_AFTER[transition],
        on_conflict=lambda: Conflict(
            _("Someone else changed this booking first."), code=CoreError.CONFLICT
        ),
        **values,
    )


# Transitions staff run on a booking (approve, refuse, check in, finish, no-show).
STAFF_TRANSITIONS = (
    BookingTransition.APPROVE,
    BookingTransition.REFUSE,
    BookingTransition.CHECK_IN,
    BookingTransition.FINISH,
    BookingTransition.NO_SHOW,
)


@transaction.atomic
def booking_decide(
    *,
    actor: Actor,
    public_id: Any,
    transition: str,
    note: str = "",
    visitors: int | None = None,
    at: dt.datetime | None = None,
) -> Booking:
    """A manager approves or refuses a request, checks a booking in, finishes it (with the
    number of visitors) or marks a no-show. Approval and refusal notify the booker."""
    if transition not in STAFF_TRANSITIONS:
        raise DomainError(_("Unknown action."), code=CoreError.INVALID_CHOICE, field="transition")
    now = at or dates.local_now()
    booking = access(actor, MANAGE, Booking.objects.select_related("venue"), public_id=public_id)
    values: dict[str, Any] = {}
    if transition in (BookingTransition.APPROVE, BookingTransition.REFUSE):
        values = {"decided_by_id": actor.user_id, "decided_at": now}
        if transition == BookingTransition.REFUSE:
            values["note"] = _text(note, "note", 200, required=True)
    elif transition == BookingTransition.CHECK_IN:
        values = {"checked_in_at": now}
    elif transition == BookingTransition.FINISH:
        if visitors is not None and visitors < 0:
            raise DomainError(_("Not a number of people."), code=CoreError.INVALID_NUMBER)
        values = {"visitors": visitors if visitors is not None else booking.attendance}
    _move(booking, transition, **values)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=booking,
        community_id=booking.venue.community_id,
        field="status",
        reason=note,
        after={"status": booking.status},
    )
    if transition == BookingTransition.FINISH and booking.household_id:
        # A resident's booking was used: ask his household how it went (surveys, if installed).
        request_followup(
            Followup(
                community_id=booking.venue.community_id,
                household_id=booking.household_id,
                service_line="venues.booking",
                ref=str(booking.public_id),
                label=f"{booking.venue.name} · {dates.local_date(booking.starts_at):%m-%d}",
                url=reverse("venues:booking", kwargs={"public_id": booking.public_id}),
                on=dates.local_date(now),
            )
        )
    if transition in (BookingTransition.APPROVE, BookingTransition.REFUSE):
        approved = transition == BookingTransition.APPROVE
        when = dates.local_date(booking.starts_at).isoformat()
        publish(
            Message(
                key=f"venues.{transition}:{booking.pk}",
                kind="venues.booking_approved" if approved else "venues.booking_refused",
                user_ids=(booking.booked_by_id,),
                title=(
                    _("Your booking of %(venue)s on %(day)s is approved.")
                    if approved
                    else _("Your booking of %(venue)s on %(day)s was refused.")
                )
                % {"venue": booking.venue.name, "day": when},
                body=booking.note if not approved else "",
                url=reverse("venues:my_bookings"),
                community_id=booking.venue.community_id,
            )
        )
    return booking


# --- activities held in a booking ------------------------------------------------------------


@transaction.atomic
def activity_hold(
    *,
    actor: Actor,
    public_id: Any,
    title: str,
    capacity: int,
    description: str = "",
) -> Booking:
    """Hold a residents' activity (a lecture, a festival, a class) in a booking: the one
    activity engine of `volunteers` runs its sign-up, capacity, waiting list and QR check-in;
    the booking gives it its place and time. Places ≤ the venue's capacity."""
    booking = selectors.booking_for_change(actor, public_id)
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.APPROVED):
        raise DomainError(
            _("Only a requested or approved booking can hold an activity."),
            code=CoreError.INVALID_TRANSITION,
        )
    if booking.activity_id:
        raise Conflict(_("This booking already holds an activity."), code=CoreError.CONFLICT)
    if not (has_perm(actor, BOOK) or has_perm(actor, MANAGE)):
        raise NotFound(_("Not found."))
    rules.check_attendance(booking.venue, capacity)
    activity = activity_engine.residents_activity_open(
        actor=actor,
        community_id=booking.venue.community_id,
        title=_text(title, "title", 100, required=True),
        place=booking.venue.name,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        capacity=capacity,
        description=description,
    )
    if not update_if(Booking, pk=booking.pk, where={"activity": None}, activity=activity):
        raise Conflict(_("This booking already holds an activity."), code=CoreError.CONFLICT)
    booking.activity = activity
    return booking


# --- recurring bookings --------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesRequest:
    venue_id: int
    weekday: int
    start_time: dt.time
    end_time: dt.time
    first_day: dt.date
    last_day: dt.date
    purpose: str
    attendance: int
    host: str = ""
    every_weeks: int = 1


@transaction.atomic
def booking_series_create(
    *,
    actor: Actor,
    request: SeriesRequest,
    skip_conflicts: bool = False,
    at: dt.datetime | None = None,
) -> BookingSeries:
    """Book every date of a weekly rule. Every date is checked first; if any is not free
    (taken, closed, outside the hours, past), nothing is saved and the error lists every
    conflict (`details`), unless `skip_conflicts` books the free dates only."""
    now = at or dates.local_now()
    venue = selectors.venue_for_booking(actor, request.venue_id)
    purpose = _text(request.purpose, "purpose", 200, required=True)
    host = _text(request.host, "host", 100)
    rules.check_attendance(venue, request.attendance)
    _check_who(actor, venue, host)
    preview = selectors.series_preview(
        venue,
        weekday=request.weekday,
        start_time=request.start_time,
        end_time=request.end_time,
        first_day=request.first_day,
        last_day=request.last_day,
        every_weeks=request.every_weeks,
        now=now,
    )
    conflicts = [o for o in preview if o.problem]
    free = [o for o in preview if not o.problem]
    if conflicts and not skip_conflicts:
        raise DomainError(
            _("%(n)d of the %(total)d dates are not free; nothing was booked.")
            % {"n": len(conflicts), "total": len(preview)},
            code=VenuesError.SERIES_CONFLICTS,
            details=[
                {"day": o.day.isoformat(), "code": o.code, "problem": o.problem} for o in conflicts
            ],
        )
    if not free:
        raise DomainError(
            _("None of the dates is free; nothing was booked."),
            code=VenuesError.SERIES_CONFLICTS,
        )
    assert actor.user_id is not None
    series = BookingSeries.objects.create(
        venue=venue,
        weekday=request.weekday,
        start_time=request.start_time,
        end_time=request.end_time,
        first_day=request.first_day,
        last_day=request.last_day,
        purpose=purpose,
        host=host,
        booked_by_id=actor.user_id,
    )
    for o in free:
        _book(
            actor,
            venue,
            o.start,
            o.end,
            purpose=purpose,
            attendance=request.attendance,
            host=host,
            series=series,
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=series,
        community_id=venue.community_id,
        after={"dates": len(free), "skipped": len(conflicts)},
    )
    return series


@transaction.atomic
def booking_series_cancel(*, actor: Actor, public_id: Any, at: dt.datetime | None = None) -> int:
    """Cancel the dates of a series that have not started yet (the past ones stay as they
    were); returns how many were cancelled."""
    now = at or dates.local_now()
    series = selectors.series_for_change(actor, public_id)
    future = Booking.objects.filter(
        series=series,
        starts_at__gt=now,
        status__in=(BookingStatus.REQUESTED, BookingStatus.APPROVED),
    )
    count = future.update(status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now)
    update_if(BookingSeries, pk=series.pk, where={"cancelled_at": None}, cancelled_at=now)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=series,
        community_id=series.venue.community_id,
        field="status",
        after={"cancelled": count},
    )
    return count


# --- venues: the venues themselves, their opening hours ------------------------------------------


@dataclass(frozen=True)
class VenueData:
    """What a manager sets on a venue (create and edit take the same)."""

    kind: str
    name: str
    capacity: int
    slot_minutes: int = 30
    area_m2: Decimal = Decimal(0)
    grid_id: int | None = None
    place: str = ""
    description: str = ""
    staff_may_book: bool = True
    teams_may_book: bool = True
    residents_may_book: bool = False
    needs_approval: bool = False
    active: bool = True


VENUE_FIELDS = [f for f in VenueData.__dataclass_fields__ if f != "grid_id"] + ["grid_id"]
SLOT_CHOICES = (10, 15, 20, 30, 60)


def _venue_values(community_id: int, data: VenueData, venue_id: int | None) -> dict[str, Any]:
    """Every rule of a venue's settings, checked before anything is written."""
    if data.kind not in VenueKind.values:
        raise DomainError(_("Choose a kind of venue."), code=CoreError.INVALID_CHOICE, field="kind")
    name = _text(data.name, "name", 100, required=True)
    if not 1 <= data.capacity <= 100_000:
        raise DomainError(
            _("Capacity is 1 to 100,000 people."), code=CoreError.INVALID_NUMBER, field="capacity"
        )
    if data.slot_minutes not in SLOT_CHOICES:
        raise DomainError(
            _("The time grid is 10, 15, 20, 30 or 60 minutes."),
            code=CoreError.INVALID_CHOICE,
            field="slot_minutes",
        )
    area = Decimal(data.area_m2)
    if not area.is_finite() or not Decimal(0) <= area <= Decimal(1_000_000):
        raise DomainError(
            _("The area is 0 to 1,000,000 m²."), code=CoreError.INVALID_NUMBER, field="area_m2"
        )
    grid_id = data.grid_id
    if (
        grid_id is not None
        and not Grid.objects.filter(pk=grid_id, community_id=community_id).exists()
    ):
        raise DomainError(
            _("Choose a grid of the community."), code=CoreError.INVALID_CHOICE, field="grid"
        )
    if data.kind == VenueKind.MICRO_HOME and grid_id is None:
        raise DomainError(
            _("A micro-home belongs to a grid: choose it."), code=CoreError.REQUIRED, field="grid"
        )
    taken = Venue.objects.filter(community_id=community_id, name=name)
    if venue_id is not None:
        taken = taken.exclude(pk=venue_id)
    if taken.exists():
        raise DomainError(
            _("The community already has a venue called “%(name)s”.") % {"name": name},
            code=VenuesError.DUPLICATE_NAME,
            field="name",
        )
    return {
        **{f: getattr(data, f) for f in VENUE_FIELDS},
        "name": name,
        "area_m2": area.quantize(Decimal("0.1")),
        "place": _text(data.place, "place", 200),
        "description": _text(data.description, "description", 2000),
    }


def _manage_community(actor: Actor, community_id: int | None) -> int:
    """The community a manager creates in: the one given (inside his scope) or his own."""
    ids = list(communities_for(actor, MANAGE))
    if not ids or (community_id is not None and community_id not in ids):
        raise NotFound(_("Not found."))
    return community_id if community_id is not None else ids[0]


@transaction.atomic
def venue_create(*, actor: Actor, data: VenueData, community_id: int | None = None) -> Venue:
    """A new venue of the actor's community; it is closed until its opening hours are set."""
    community = _manage_community(actor, community_id)
    venue = Venue.objects.create(community_id=community, **_venue_values(community, data, None))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=venue,
        community_id=community,
        after=snapshot(venue, VENUE_FIELDS),
    )
    return venue


@transaction.atomic
def venue_update(*, actor: Actor, venue_id: int, data: VenueData) -> Venue:
    """Change a venue's settings. Bookings already made stay as they are."""
    venue = access(actor, MANAGE, Venue.objects.select_for_update(), pk=venue_id)
    values = _venue_values(venue.community_id, data, venue.pk)
    before = snapshot(venue, VENUE_FIELDS)
    for key, value in values.items():
        setattr(venue, key, value)
    venue.save()
    old, new = changed(before, snapshot(venue, VENUE_FIELDS))
    if new:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=venue,
            community_id=venue.community_id,
            before=old,
            after=new,
        )
    return venue


@dataclass(frozen=True)
class DayHours:
    weekday: int
    opens: dt.time
    closes: dt.time


@transaction.atomic
def hours_set(*, actor: Actor, venue_id: int, hours: Sequence[DayHours]) -> list[OpeningHours]:
    """Replace a venue's opening hours (a weekday left out is closed). Times lie on the venue's
    time grid, so every slot fits; bookings already made stay."""
    venue = access(actor, MANAGE, Venue.objects.select_for_update(), pk=venue_id)
    seen: set[int] = set()
    for h in hours:
        field = f"closes_{h.weekday}"
        if not 0 <= h.weekday <= 6 or h.weekday in seen:
            raise DomainError(
                _("Give each weekday once."), code=CoreError.INVALID_CHOICE, field="weekday"
            )
        seen.add(h.weekday)
        if h.opens.tzinfo is not None or h.closes.tzinfo is not None:
            raise DomainError(
                _("A time of day at the venue, without a time zone."),
                code=CoreError.INVALID_DATE,
                field=field,
            )
        if h.closes <= h.opens:
            raise DomainError(
                _("%(day)s: it must close after it opens.") % {"day": Weekday(h.weekday).label},
                code=CoreError.INVALID_DATE,
                field=field,
            )
        for t in (h.opens, h.closes):
            if t.second or t.microsecond or (t.hour * 60 + t.minute) % venue.slot_minutes:
                raise DomainError(
                    _("%(day)s: opening hours lie on the %(n)d-minute time grid.")
                    % {"day": Weekday(h.weekday).label, "n": venue.slot_minutes},
                    code=VenuesError.OFF_GRID,
                    field=field,
                )
    before = {str(h.weekday): f"{h.opens:%H:%M}-{h.closes:%H:%M}" for h in venue.hours.all()}
    OpeningHours.objects.filter(venue=venue).delete()
    rows = OpeningHours.objects.bulk_create(
        OpeningHours(venue=venue, weekday=h.weekday, opens=h.opens, closes=h.closes)
        for h in sorted(hours, key=lambda h: h.weekday)
    )
    after = {str(h.weekday): f"{h.opens:%H:%M}-{h.closes:%H:%M}" for h in rows}
    if before != after:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=venue,
            community_id=venue.community_id,
            field="hours",
            before=before,
            after=after,
        )
    return rows


# --- venues: the photo ---------------------------------------------------------------------------


@transaction.atomic
def venue_photo_set(*, actor: Actor, venue_id: int, photo: UploadedFile[bytes]) -> Venue:
    """Attach (or replace) the venue's photo, for those who manage the venue. The file is checked
    by its content before anything is written (a bad one is a DomainError on `photo`); it is
    stored under a random name, and the replaced file is removed once the change is committed."""
    venue = access(actor, MANAGE, Venue.objects.select_for_update(), pk=venue_id)
    content_type, ext = check_photo(photo, field="photo")
    old = venue.photo.name
    store_photo(venue.photo, photo, ext)
    venue.photo_type = content_type
    venue.save(update_fields=["photo", "photo_type", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=venue,
        community_id=venue.community_id,
        field="photo",
        before={"photo": bool(old)},
        after={"photo": True},
    )
    delete_after_commit(venue.photo, old)
    return venue


@transaction.atomic
def venue_photo_remove(*, actor: Actor, venue_id: int) -> Venue:
    """Remove the venue's photo (nothing happens to a venue without one); the file is deleted
    once the change is committed."""
    venue = access(actor, MANAGE, Venue.objects.select_for_update(), pk=venue_id)
    old = venue.photo.name
    if not old:
        return venue
    field_file = venue.photo
    venue.photo = ""
    venue.photo_type = ""
    venue.save(update_fields=["photo", "photo_type", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=venue,
        community_id=venue.community_id,
        field="photo",
        before={"photo": True},
        after={"photo": False},
    )
    delete_after_commit(field_file, old)
    return venue


# --- venues: closures ----------------------------------------------------------------------------


@transaction.atomic
def closure_add(
    *, actor: Actor, venue_id: int, first_day: dt.date, last_day: dt.date, reason: str
) -> Closure:
    """Close a venue for some days (bookings already made stay; the list shows them)."""
    venue = access(actor, MANAGE, Venue.objects.all(), pk=venue_id)
    if last_day < first_day:
        raise DomainError(
            _("The last day comes before the first."), code=CoreError.INVALID_DATE, field="last_day"
        )
    closure = Closure.objects.create(
        venue=venue,
        first_day=first_day,
        last_day=last_day,
        reason=_text(reason, "reason", 200, required=True),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=closure,
        community_id=venue.community_id,
        reason=closure.reason,
    )
    return closure


# --- kits ---------------------------------------------------------------------------------------


@transaction.atomic
def loan_create(
    *,
    actor: Actor,
    item_id: int,
    quantity: int = 1,
    resident_id: int | None = None,
    due_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Loan:
    """Lend a kit item: staff (admin, service staff, the grid's worker) to a resident of the
    community, or a resident to himself. Stock is taken with one conditional UPDATE, so it
    never goes below zero however many borrow at once."""
    now = at or dates.local_now()
    if quantity < 1 or quantity > 20:
        raise DomainError(_("Borrow 1 to 20."), code=CoreError.INVALID_NUMBER, field="quantity")
    if has_perm(actor, KITS) and resident_id is not None:
        item = access(actor, KITS, KitItem.objects.select_related("kit__venue"), pk=item_id)
        resident = Resident.objects.filter(
            pk=resident_id, community_id=item.kit.venue.community_id
        ).first()
        if resident is None:
            raise NotFound(_("Not found."))
        household_id = resident.household_id
    else:
        item = selectors.kit_item_for_resident(actor, item_id)
        if not actor.resident_id or not (household := _household_of(actor)):
            raise NotFound(_("Not found."))
        resident_id, household_id = actor.resident_id, household
    if not update_if(
        KitItem,
        pk=item.pk,
        where=Q(available__gte=quantity),
        available=F("available") - quantity,
    ):
        raise Conflict(
            _("Not enough “%(item)s” on the shelf.") % {"item": item.name},
            code=VenuesError.OUT_OF_KIT_STOCK,
            field="quantity",
        )
    assert actor.user_id is not None
    loan = Loan.objects.create(
        item=item,
        resident_id=resident_id,
        household_id=household_id,
        quantity=quantity,
        status=LoanStatus.BORROWED,
        borrowed_at=now,
        due_on=due_on or (dates.local_date(now) + dt.timedelta(days=item.loan_days)),
        lent_by_id=actor.user_id,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=loan,
        community_id=item.kit.venue.community_id,
    )
    return loan


@transaction.atomic
def loan_return(*, actor: Actor, public_id: Any, at: dt.datetime | None = None) -> Loan:
    """Take a loan back (staff of the kit); the items go back on the shelf."""
    now = at or dates.local_now()
    loan = access(actor, KITS, Loan.objects.select_related("item__kit__venue"), public_id=public_id)
    LOAN_MACHINE.move(loan, LoanTransition.RETURN, to=LoanStatus.RETURNED, returned_at=now)
    update_if(
        KitItem,
        pk=loan.item_id,
        where=Q(available__lte=F("quantity") - loan.quantity),
        available=F("available") + loan.quantity,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=loan,
        community_id=loan.item.kit.venue.community_id,
        field="status",
        after={"status": loan.status},
    )
    return loan


# --- convenience services ---------------------------------------------------------------------


@transaction.atomic
def category_save(
    *,
    actor: Actor,
    name: str,
    description: str = "",
    order: int = 100,
    category_id: int | None = None,
    community_id: int | None = None,
) -> ServiceCategory:
    """Add a line to the service catalogue, or change one (`category_id`)."""
    if category_id is None:
        category = ServiceCategory(community_id=_services_community(actor, community_id))
    else:
        category = access(
            actor, SERVICES, ServiceCategory.objects.select_for_update(), pk=category_id
        )
    name = _text(name, "name", 50, required=True)
    if not 0 <= order <= 1000:
        raise DomainError(_("Order is 0 to 1000."), code=CoreError.INVALID_NUMBER, field="order")
    same = ServiceCategory.objects.filter(community_id=category.community_id, name=name)
    if same.exclude(pk=category.pk).exists():
        raise DomainError(
            _("The catalogue already has “%(name)s”.") % {"name": name},
            code=VenuesError.DUPLICATE_NAME,
            field="name",
        )
    fields = ["name", "description", "order"]
    before = snapshot(category, fields) if category.pk else {}
    category.name, category.order = name, order
    category.description = _text(description, "description", 200)
    category.save()
    old, new = changed(before, snapshot(category, fields))
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if category_id else AuditEvent.Action.CREATE,
        obj=category,
        community_id=category.community_id,
        before=old,
        after=new,
    )
    return category


def _services_community(actor: Actor, community_id: int | None) -> int:
    ids = list(communities_for(actor, SERVICES))
    if not ids or (community_id is not None and community_id not in ids):
        raise NotFound(_("Not found."))
    return community_id if community_id is not None else ids[0]


@transaction.atomic
def provider_save(
    *,
    actor: Actor,
    name: str,
    kind: str,
    category_ids: Sequence[int] = (),
    provider_id: int | None = None,
    community_id: int | None = None,
) -> ServiceProvider:
    """Add a provider (a social organisation or team, a partner business, staff) with the
    services it gives, or change one (`provider_id`)."""
    if provider_id is None:
        provider = ServiceProvider(community_id=_services_community(actor, community_id))
    else:
        provider = access(
            actor, SERVICES, ServiceProvider.objects.select_for_update(), pk=provider_id
        )
    name = _text(name, "name", 100, required=True)
    if kind not in ProviderKind.values:
        raise DomainError(
            _("Choose what kind of provider it is."), code=CoreError.INVALID_CHOICE, field="kind"
        )
    wanted = set(category_ids)
    found = set(
        ServiceCategory.objects.filter(
            pk__in=wanted, community_id=provider.community_id
        ).values_list("pk", flat=True)
    )
    if found != wanted:
        raise DomainError(
            _("Choose services of the community's catalogue."),
            code=CoreError.INVALID_CHOICE,
            field="categories",
        )
    same = ServiceProvider.objects.filter(community_id=provider.community_id, name=name)
    if same.exclude(pk=provider.pk).exists():
        raise DomainError(
            _("There is already a provider called “%(name)s”.") % {"name": name},
            code=VenuesError.DUPLICATE_NAME,
            field="name",
        )
    before = (
        {
            **snapshot(provider, ["name", "kind"]),
            "categories": sorted(provider.categories.values_list("pk", flat=True)),
        }
        if provider.pk
        else {}
    )
    provider.name, provider.kind = name, kind
    provider.save()
    provider.categories.set(sorted(found))
    old, new = changed(before, {"name": name, "kind": kind, "categories": sorted(found)})
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if provider_id else AuditEvent.Action.CREATE,
        obj=provider,
        community_id=provider.community_id,
        before=old,
        after=new,
    )
    return provider


@transaction.atomic
def schedule_create(
    *,
    actor: Actor,
    category_id: int,
    provider_id: int,
    request: SeriesRequest,
    skip_conflicts: bool = False,
) -> ServiceSchedule:
    """A regular session of a service: its dates are booked on the venue as a recurring
    booking (every conflict listed first, as for any series)."""
    category = access(actor, SERVICES, ServiceCategory.objects.all(), pk=category_id)
    provider = access(actor, SERVICES, ServiceProvider.objects.all(), pk=provider_id)
    series = booking_series_create(
        actor=actor,
        request=SeriesRequest(**{**request.__dict__, "host": request.host or provider.name}),
        skip_conflicts=skip_conflicts,
    )
    schedule = ServiceSchedule.objects.create(
        category=category, provider=provider, series=series, every_weeks=request.every_weeks
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=schedule,
        community_id=category.community_id,
    )
    return schedule


@transaction.atomic
def record_create(
    *,
    actor: Actor,
    category_id: int,
    provider_id: int,
    resident_id: int,
    what: str,
    served_at: dt.datetime | None = None,
    venue_id: int | None = None,
) -> ServiceRecord:
    """Record a service given to a resident; it waits for his rating."""
    category = access(actor, SERVICES, ServiceCategory.objects.all(), pk=category_id)
    provider = access(actor, SERVICES, ServiceProvider.objects.all(), pk=provider_id)
    resident = Resident.objects.filter(pk=resident_id, community_id=category.community_id).first()
    if resident is None or provider.community_id != category.community_id:
        raise NotFound(_("Not found."))
    venue = None
    if venue_id is not None:
        venue = access(actor, SERVICES, Venue.objects.all(), pk=venue_id)
    served_at = served_at or dates.local_now()
    if served_at > dates.local_now() + dt.timedelta(minutes=5):
        raise DomainError(
            _("A service cannot be recorded before it happens."),
            code=CoreError.INVALID_DATE,
            field="served_at",
        )
    assert actor.user_id is not None
    record = ServiceRecord.objects.create(
        category=category,
        provider=provider,
        community_id=category.community_id,
        resident=resident,
        household_id=resident.household_id,
        venue=venue,
        served_at=served_at,
        what=_text(what, "what", 300, required=True),
        recorded_by_id=actor.user_id,
        status=RecordStatus.OPEN,
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=record, community_id=category.community_id
    )
    request_followup(
        Followup(
            community_id=category.community_id,
            household_id=resident.household_id,
            service_line="venues.service",
            ref=str(record.public_id),
            label=f"{category.name} · {dates.local_date(served_at):%m-%d}",
            url=reverse("venues:my_records"),
        )
    )
    publish(
        Message(
            key=f"venues.please_rate:{record.pk}",
            kind="venues.please_rate",
            user_ids=tuple(selectors.users_of_resident(resident.pk)),
            title=_("How was “%(service)s”? Please rate it.") % {"service": category.name},
            url=reverse("venues:my_records"),
            community_id=category.community_id,
        )
    )
    return record


@transaction.atomic
def record_rate(
    *, actor: Actor, public_id: Any, rating: int, comment: str = "", at: dt.datetime | None = None
) -> ServiceRecord:
    """The resident served rates the service 1–5; the rating closes the record."""
    now = at or dates.local_now()
    if rating not in (1, 2, 3, 4, 5):
        raise DomainError(_("Rate from 1 to 5."), code=CoreError.INVALID_NUMBER, field="rating")
    record = access(
        actor,
        PORTAL,
        ServiceRecord.objects.select_related("category"),
        public_id=public_id,
    )
    RECORD_MACHINE.move(
        record,
        RecordTransition.RATE,
        to=RecordStatus.CLOSED,
        rating=rating,
        comment=_text(comment, "comment", 300),
        rated_at=now,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=record,
        community_id=record.community_id,
        field="rating",
        after={"rating": rating},
    )
    return record


__all__ = [
    "SeriesRequest",
    "booking_cancel",
    "booking_create",
    "booking_decide",
    "booking_move",
    "booking_series_cancel",
    "booking_series_create",
    "category_save",
    "closure_add",
    "for_actor",
    "hours_set",
    "loan_create",
    "loan_return",
    "provider_save",
    "record_create",
    "record_rate",
    "schedule_create",
    "venue_create",
    "venue_update",
]
