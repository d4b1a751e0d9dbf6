"""Dates and months in the community's time zone (Asia/Shanghai, `settings.TIME_ZONE`).

The server may run in UTC; "today" for a grid worker in Yangzhou is Shanghai's date. Every
domain reads the date, the month and their bounds here (ruff's DTZ rules forbid naive
`date.today()` / `datetime.now()` elsewhere), and parses what users type with the helpers
below, which answer None for anything malformed or out of range instead of raising.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

# Years a user may reasonably type into a filter; beyond them a value is treated as malformed
# (it would overflow the database's date type or mean nothing).
MIN_YEAR = 1900
MAX_YEAR = 2200


def local_now() -> dt.datetime:
    """Now, aware, in the community's time zone."""
    return timezone.localtime()


def local_today() -> dt.date:
    """Today's date in the community's time zone."""
    return timezone.localdate()


def local_date(moment: dt.datetime) -> dt.date:
    """The community-local date of an aware moment."""
    return timezone.localtime(moment).date()


def this_month() -> dt.date:
    """The first day of the current month (community time)."""
    return local_today().replace(day=1)


def month_of(moment: dt.datetime | dt.date) -> dt.date:
    """The first day of the month holding `moment` (a datetime is read in community time)."""
    day = local_date(moment) if isinstance(moment, dt.datetime) else moment
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later or earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, _days_in(year, month + 1)))


def add_months_dt(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` later (the month's last day when it is shorter)."""
    day = add_months(moment.date(), months)
    return moment.replace(year=day.year, month=day.month, day=day.day)


def next_month(month: dt.date) -> dt.date:
    """The first day of the month after `month`."""
    return add_months(month.replace(day=1), 1)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day`, aware, community time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def at(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    """`day` at `hour`:`minute`, aware, community time (`minute` may run past 59: minutes past
    the hour, e.g. a slot counted in minutes from midnight)."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min) + dt.timedelta(hours=hour, minutes=minute)
    )


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of `day` as aware datetimes."""
    return day_start(day), day_start(day + dt.timedelta(days=1))


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the month holding `month`, as aware datetimes."""
    first = month.replace(day=1)
    return day_start(first), day_start(next_month(first))


def parse_month(value: str | None) -> dt.date | None:
    """`2026-03` → 1 March 2026; None for anything malformed or out of range."""
    if not value:
        return None
    parts = value.strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


def parse_date(value: str | None) -> dt.date | None:
    """ISO `2026-03-05` → a date; None for anything malformed or out of range."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def year_in_range(year: int | None) -> bool:
    return year is not None and MIN_YEAR <= year <= MAX_YEAR


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
