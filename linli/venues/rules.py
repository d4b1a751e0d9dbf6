"""The rules a booking's time must satisfy, shared by the services (which refuse) and the
availability view (which greys out): ends after it starts, on the venue's time grid, on one
day, inside the opening hours, not on a closure, not in the past, attendance within capacity.
Pure functions over rows already loaded, so a month of slots costs no extra queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import CoreError, DomainError
from linli.venues.errors import VenuesError
from linli.venues.models import Closure, OpeningHours, Venue

# A series covers at most this many days (a year and a bit).
MAX_SERIES_DAYS = 400
# A booking lasts at most one day; a slot at most this long.
MAX_BOOKING_MINUTES = 24 * 60


@dataclass(frozen=True)
class Calendar:
    """A venue's opening hours by weekday and its closures, loaded once."""

    hours: dict[int, tuple[dt.time, dt.time]]
    closures: tuple[tuple[dt.date, dt.date, str], ...]

    @classmethod
    def of(cls, hours: Iterable[OpeningHours], closures: Iterable[Closure]) -> Calendar:
        return cls(
            hours={h.weekday: (h.opens, h.closes) for h in hours},
            closures=tuple((c.first_day, c.last_day, c.reason) for c in closures),
        )

    def closure_on(self, day: dt.date) -> str | None:
        for first, last, reason in self.closures:
            if first <= day <= last:
                return reason
        return None

    def month_open_minutes(self, month: dt.date, weekdays: dict[int, int]) -> int:
        """Minutes open in `month`, given how many of each weekday it has (closures taken
        off day by day; only the closures are walked, not the days)."""
        total = sum(self.span(wd) * n for wd, n in weekdays.items())
        nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        seen: set[dt.date] = set()
        for first, last, _reason in self.closures:
            day = max(first, month)
            while day <= last and day < nxt:
                if day not in seen:
                    seen.add(day)
                    total -= self.span(day.weekday())
                day += dt.timedelta(days=1)
        return total

    def span(self, weekday: int) -> int:
        hours = self.hours.get(weekday)
        if hours is None:
            return 0
        opens, closes = hours
        return (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)

    def open_minutes(self, day: dt.date) -> int:
        """Minutes the venue is open on `day` (0 on a closure or a closed weekday)."""
        span = self.hours.get(day.weekday())
        if span is None or self.closure_on(day) is not None:
            return 0
        opens, closes = span
        return (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)


def local(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        raise DomainError(_("Give the time with its time zone."), code=CoreError.INVALID_DATE)
    return timezone.localtime(moment)


def check_time(
    venue: Venue,
    calendar: Calendar,
    start: dt.datetime,
    end: dt.datetime,
    *,
    now: dt.datetime | None,
) -> None:
    """Raise the first rule `start`–`end` breaks on `venue` (overlaps are checked apart)."""
    start, end = local(start), local(end)
    if end <= start:
        raise DomainError(
            _("The booking must end after it starts."), code=CoreError.INVALID_DATE, field="end"
        )
    if end.date() != start.date() and end.time() != dt.time(0):
        raise DomainError(
            _("A booking starts and ends on the same day."),
            code=CoreError.INVALID_DATE,
            field="end",
        )
    step = venue.slot_minutes
    for moment in (start, end):
        if moment.second or moment.microsecond or (moment.hour * 60 + moment.minute) % step:
            raise DomainError(
                _("Bookings on this venue start and end on whole %(step)d-minute slots.")
                % {"step": step},
                code=VenuesError.OFF_GRID,
                field="start",
            )
    if now is not None and start < now:
        raise DomainError(_("That time has already passed."), code=VenuesError.IN_THE_PAST)
    day = start.date()
    reason = calendar.closure_on(day)
    if reason is not None:
        raise DomainError(
            _("%(venue)s is closed on %(day)s: %(reason)s")
            % {"venue": venue.name, "day": day.isoformat(), "reason": reason},
            code=VenuesError.CLOSED,
            field="start",
        )
    span = calendar.hours.get(day.weekday())
    end_time = dt.time(23, 59, 59) if end.date() != day else end.time()
    if span is None or start.time() < span[0] or end_time > span[1]:
        if span is None:
            message = _("%(venue)s is not open on that weekday.") % {"venue": venue.name}
        else:
            message = _("%(venue)s is open %(opens)s–%(closes)s on that day.") % {
                "venue": venue.name,
                "opens": span[0].strftime("%H:%M"),
                "closes": span[1].strftime("%H:%M"),
            }
        raise DomainError(message, code=VenuesError.OUTSIDE_HOURS, field="start")


def check_attendance(venue: Venue, attendance: int) -> None:
    if attendance < 1:
        raise DomainError(
            _("Say how many people will come (at least one)."),
            code=CoreError.INVALID_NUMBER,
            field="attendance",
        )
    if attendance > venue.capacity:
        raise DomainError(
            _("%(venue)s holds at most %(capacity)d people.")
            % {"venue": venue.name, "capacity": venue.capacity},
            code=VenuesError.OVER_CAPACITY,
            field="attendance",
        )


def occurrences(
    first_day: dt.date, last_day: dt.date, weekday: int, every_weeks: int = 1
) -> list[dt.date]:
    """The dates of a weekly rule (every `every_weeks` weeks on `weekday`)."""
    if last_day < first_day:
        raise DomainError(
            _("The last day comes before the first."), code=CoreError.INVALID_DATE, field="last_day"
        )
    if (last_day - first_day).days > MAX_SERIES_DAYS:
        raise DomainError(
            _("A recurring booking covers at most %(days)d days.") % {"days": MAX_SERIES_DAYS},
            code=CoreError.INVALID_DATE,
            field="last_day",
        )
    if not 0 <= weekday <= 6 or not 1 <= every_weeks <= 8:
        raise DomainError(_("Choose a weekday."), code=CoreError.INVALID_CHOICE, field="weekday")
    day = first_day + dt.timedelta(days=(weekday - first_day.weekday()) % 7)
    days: list[dt.date] = []
    while day <= last_day:
        days.append(day)
        day += dt.timedelta(weeks=every_weeks)
    return days


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """`day` at `time`, aware, community time."""
    return timezone.make_aware(dt.datetime.combine(day, time))
