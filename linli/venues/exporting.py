"""Excel exports of venues: bookings, service records and utilisation (core.exporting: built
from scoped selectors, audited in the same transaction)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor, communities_for
from linli.venues import selectors
from linli.venues.permissions import EXPORT, SERVICES

# One export holds at most this many rows (a year of a busy centre fits).
MAX_ROWS = 100_000


def _community(actor: Actor) -> int | None:
    ids = list(communities_for(actor, EXPORT))
    return ids[0] if len(ids) == 1 else None


def _stamp(what: str) -> str:
    return f"venues-{what}-{dates.local_today():%Y%m%d}.xlsx"


@transaction.atomic
def export_bookings(
    *, actor: Actor, month: dt.date | None = None, year: int | None = None
) -> Export:
    qs = selectors.booking_list(actor, selectors.BookingFilters(month=month))
    if year and not month:
        qs = qs.filter(
            starts_at__gte=dates.day_start(dt.date(year, 1, 1)),
            starts_at__lt=dates.day_start(dt.date(year + 1, 1, 1)),
        )
    rows = (
        (
            b.venue.name,
            timezone.localtime(b.starts_at),
            timezone.localtime(b.ends_at),
            b.minutes,
            b.get_status_display(),
            b.purpose,
            b.host,
            b.attendance,
            b.visitors,
            "✓" if b.series_id else "",
        )
        for b in qs[:MAX_ROWS].iterator(chunk_size=2000)
    )
    content, n = build_workbook(
        [
            Sheet(
                _("Bookings"),
                [
                    _("Venue"),
                    _("Starts at"),
                    _("Ends at"),
                    _("Minutes"),
                    _("Status"),
                    _("Purpose"),
                    _("For"),
                    _("Expected attendance"),
                    _("Visitors"),
                    _("Recurring"),
                ],
                rows,
                widths=(18, 18, 18, 8, 10, 30, 20, 10, 10, 8),
            )
        ]
    )
    filename = _stamp("bookings")
    record_export(
        actor=actor,
        what="venues.bookings",
        filename=filename,
        rows=n,
        community_id=_community(actor),
    )
    return Export(content, filename, n)


@transaction.atomic
def export_records(
    *, actor: Actor, month: dt.date | None = None, year: int | None = None
) -> Export:
    qs = selectors.record_list(actor, month=month) if communities_for(actor, SERVICES) else None
    records = qs[:MAX_ROWS].iterator(chunk_size=2000) if qs is not None else iter(())
    rows = (
        (
            timezone.localtime(r.served_at),
            r.category.name,
            r.provider.name,
            r.resident.name,
            r.venue.name if r.venue else "",
            r.what,
            r.get_status_display(),
            r.rating,
            r.comment,
        )
        for r in records
    )
    content, n = build_workbook(
        [
            Sheet(
                _("Service records"),
                [
                    _("Served at"),
                    _("Service"),
                    _("Provider"),
                    _("Resident"),
                    _("Where"),
                    _("What was done"),
                    _("Status"),
                    _("Rating"),
                    _("Comment"),
                ],
                rows,
                widths=(18, 14, 18, 10, 14, 30, 10, 6, 30),
            )
        ]
    )
    filename = _stamp("records")
    record_export(
        actor=actor,
        what="venues.records",
        filename=filename,
        rows=n,
        community_id=_community(actor),
    )
    return Export(content, filename, n)


@transaction.atomic
def export_utilisation(
    *, actor: Actor, month: dt.date | None = None, year: int | None = None
) -> Export:
    first = dt.date(year, 1, 1) if year else dates.add_months(dates.this_month(), -11)
    report = selectors.utilisation(actor, first, 12)
    rows = []
    for u in report.venues:
        for m in u.months:
            rows.append(
                (
                    u.venue.name,
                    u.venue.get_kind_display(),
                    f"{m.month:%Y-%m}",
                    m.hours_open,
                    m.hours_booked,
                    m.rate,
                    m.bookings,
                    m.checkins,
                    m.visitors,
                    m.no_shows,
                )
            )
    content, n = build_workbook(
        [
            Sheet(
                _("Utilisation"),
                [
                    _("Venue"),
                    _("Kind"),
                    _("Month"),
                    _("Hours open"),
                    _("Hours booked"),
                    _("Utilisation %"),
                    _("Bookings"),
                    _("Check-ins"),
                    _("Visitors"),
                    _("No-shows"),
                ],
                rows,
                widths=(18, 14, 9, 10, 10, 10, 9, 9, 9, 9),
            )
        ]
    )
    filename = _stamp("utilisation")
    record_export(
        actor=actor,
        what="venues.utilisation",
        filename=filename,
        rows=n,
        community_id=_community(actor),
    )
    return Export(content, filename, n)
