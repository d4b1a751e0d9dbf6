"""Pages of venues (phone first): the venues, each venue's availability (week or month) with
booking and recurring booking, a booking's page with its actions, my bookings, kits with their
printable list and loans, the service catalogue and records with the resident's rating, the
utilisation report with its heat map, and .xlsx exports.

Views parse input, call selectors and services and render. Every form is a real Form run
through `core.forms.submit`; whatever lies outside the actor's scope is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import dates
from linli.core.exporting import xlsx_response
from linli.core.forms import attempt, submit
from linli.core.permissions import Actor, communities_for, has_perm
from linli.core.photos import photo_response
from linli.core.web import (
    acting_community,
    actor_of,
    query_date,
    query_int,
    query_month,
    query_page,
    require_perm,
)
from linli.venues import exporting, rules, selectors, services
from linli.venues.choices import BOOKING_MACHINE, BookingStatus, BookingTransition, VenueKind
from linli.venues.forms import (
    WEEKDAYS,
    BookingForm,
    BorrowForm,
    CategoryForm,
    ClosureForm,
    DecideForm,
    EmptyForm,
    HoldForm,
    HoursForm,
    LendForm,
    MoveForm,
    PhotoForm,
    ProviderForm,
    RateForm,
    RecordForm,
    ScheduleForm,
    SeriesForm,
    VenueForm,
)
from linli.venues.permissions import BOOK, EXPORT, KITS, MANAGE, PORTAL, SERVICES, VIEW

PAGE_SIZE = 50


def _staff(actor: Actor) -> bool:
    return has_perm(actor, BOOK) or has_perm(actor, MANAGE)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The venues the actor may see or book, grouped by kind; micro-homes name their grid."""
    actor = actor_of(request)
    require_perm(actor, VIEW, PORTAL)
    venues = list(selectors.venue_list(actor).order_by("kind", "name"))
    per_grid = selectors.micro_homes_by_grid(venues)
    groups: dict[str, list[Any]] = {}
    for v in venues:
        v.shares_grid = per_grid.get(v.grid_id or 0, 0) > 1  # type: ignore[attr-defined]
        groups.setdefault(v.get_kind_display(), []).append(v)
    return render(
        request,
        "venues/home.html",
        {
            "groups": list(groups.items()),
            "staff": has_perm(actor, VIEW),
            "can_manage": has_perm(actor, MANAGE),
            "resident": has_perm(actor, PORTAL),
        },
    )


@login_required
def venue_detail(request: HttpRequest, venue_id: int) -> HttpResponse:
    """A venue and its availability: a week of slots (`?from=`) or a month of days
    (`?month=`); a free slot opens the booking form."""
    actor = actor_of(request)
    require_perm(actor, VIEW, PORTAL)
    venue = selectors.venue_get(actor, venue_id)
    today = dates.local_today()
    month = query_month(request.GET.get("month"))
    if month is not None:
        first = month
        span = (dates.next_month(month) - month).days
    else:
        first = query_date(request.GET.get("from")) or today
        span = 7
    availability = selectors.venue_availability(actor, venue, first, span)
    grid_count = 0
    if venue.grid_id:
        grid_count = selectors.venue_list(actor).filter(grid_id=venue.grid_id).count()
    return render(
        request,
        "venues/venue.html",
        {
            "venue": venue,
            "photo_url": selectors.photo_url(venue),
            "availability": availability,
            "month": month,
            "prev": first - dt.timedelta(days=7),
            "next": first + dt.timedelta(days=7),
            "prev_month": dates.add_months(first.replace(day=1), -1),
            "next_month": dates.next_month(first),
            "hours": selectors.opening_hours(venue),
            "closures": selectors.closures_ahead(venue, today),
            "kits": selectors.kits_of(venue) if venue.kind == VenueKind.MICRO_HOME else [],
            "activities": selectors.activities_at(venue, dates.local_now()),
            "grid_count": grid_count,
            "can_book": selectors.can_book(actor, venue),
            "can_series": _staff(actor) and selectors.can_book(actor, venue),
            "can_manage": selectors.can_manage(actor, venue),
        },
    )


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    if time == dt.time(0):
        return rules.at(day + dt.timedelta(days=1), time)
    return rules.at(day, time)


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, venue_id: int) -> HttpResponse:
    """Book one slot (a resident for himself, staff also for a team or organisation)."""
    actor = actor_of(request)
    require_perm(actor, BOOK, MANAGE, PORTAL)
    venue = selectors.venue_for_booking(actor, venue_id)
    start = query_date(request.GET.get("day"))
    initial: dict[str, Any] = {"attendance": 1}
    if start:
        initial["day"] = start
    if t := request.GET.get("at"):
        try:
            begin = dt.time.fromisoformat(t)
            initial["start_time"] = begin
            end = (dt.datetime.combine(dt.date(2000, 1, 1), begin) + dt.timedelta(hours=1)).time()
            initial["end_time"] = end
        except ValueError:
            pass
    form = BookingForm(request.POST or None, initial=initial, staff=_staff(actor))
    booking = submit(
        request,
        form,
        lambda d: services.booking_create(
            actor=actor,
            venue=venue.pk,
            start=_moment(d["day"], d["start_time"]),
            end=_moment(d["day"], d["end_time"]),
            purpose=d["purpose"],
            attendance=d["attendance"],
            host=d.get("host", ""),
        ),
    )
    if booking:
        messages.success(
            request,
            _("Booked.")
            if booking.status == BookingStatus.APPROVED
            else _("Requested; you will be told when it is approved."),
        )
        return redirect("venues:booking", public_id=booking.public_id)
    return render(request, "venues/book.html", {"venue": venue, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def series_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    """A recurring booking: "Check the dates" lists every date with what stands in its way;
    "Book" saves only when all are free; "Book the free dates" skips the conflicts."""
    actor = actor_of(request)
    require_perm(actor, BOOK, MANAGE)
    venue = selectors.venue_for_booking(actor, venue_id)
    form = SeriesForm(request.POST or None, initial={"every_weeks": 1, "attendance": 10})
    preview: list[selectors.Occurrence] | None = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        req = services.SeriesRequest(
            venue_id=venue.pk,
            weekday=d["weekday"],
            start_time=d["start_time"],
            end_time=d["end_time"],
            first_day=d["first_day"],
            last_day=d["last_day"],
            purpose=d["purpose"],
            attendance=d["attendance"],
            host=d["host"],
            every_weeks=d["every_weeks"],
        )
        action = request.POST.get("action", "preview")
        if action in ("book", "book_free"):
            series = submit(
                request,
                form,
                lambda _d: services.booking_series_create(
                    actor=actor, request=req, skip_conflicts=action == "book_free"
                ),
            )
            if series:
                messages.success(request, _("The recurring booking is saved."))
                return redirect("venues:series", public_id=series.public_id)
        preview = _preview(form, venue, req)
    return render(
        request,
        "venues/series_new.html",
        {
            "venue": venue,
            "form": form,
            "preview": preview,
            "conflicts": sum(1 for o in preview or [] if o.problem),
        },
    )


def _preview(form: SeriesForm, venue: Any, req: services.SeriesRequest) -> list[Any] | None:
    return attempt(
        form,
        lambda: selectors.series_preview(
            venue,
            weekday=req.weekday,
            start_time=req.start_time,
            end_time=req.end_time,
            first_day=req.first_day,
            last_day=req.last_day,
            every_weeks=req.every_weeks,
            now=dates.local_now(),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    series = selectors.series_get(actor, public_id)
    form = EmptyForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda _d: services.booking_series_cancel(actor=actor, public_id=series.public_id),
    )
    if done is not None:
        messages.success(request, _("%(n)d future dates cancelled.") % {"n": done})
        return redirect("venues:series", public_id=series.public_id)
    can_cancel = series.cancelled_at is None and (
        series.booked_by_id == actor.user_id or selectors.can_manage(actor, series.venue)
    )
    return render(
        request,
        "venues/series.html",
        {
            "series": series,
            "bookings": selectors.series_bookings(series),
            "form": form,
            "can_cancel": can_cancel,
        },
    )


@login_required
def bookings(request: HttpRequest) -> HttpResponse:
    """Staff: every booking in scope, by venue, status and month."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    status = request.GET.get("status", "")
    if status not in BookingStatus.values:
        status = ""
    filters = selectors.BookingFilters(
        venue_id=query_int(request.GET.get("venue"), minimum=1),
        status=status,
        month=query_month(request.GET.get("month")),
    )
    qs = selectors.booking_list(actor, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(query_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "venues/bookings.html",
        {
            "page": page,
            "query": query.urlencode(),
            "venues": selectors.venue_list(actor).order_by("name"),
            "statuses": BookingStatus.choices,
            "filters": filters,
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A booking with the actions the actor may take: decide (staff), move and cancel (the
    person who booked or staff)."""
    actor = actor_of(request)
    booking = selectors.booking_get(actor, public_id)
    manager = selectors.can_manage(actor, booking.venue)
    own = booking.booked_by_id == actor.user_id
    action = request.POST.get("action", "") if request.method == "POST" else ""
    decide = DecideForm(request.POST if action == "decide" else None)
    move = MoveForm(
        request.POST if action == "move" else None,
        initial={
            "day": dates.local_date(booking.starts_at),
            "start_time": timezone.localtime(booking.starts_at).time(),
            "end_time": timezone.localtime(booking.ends_at).time(),
        },
    )
    cancel = EmptyForm(request.POST if action == "cancel" else None)
    hold = HoldForm(
        request.POST if action == "hold" else None, initial={"capacity": booking.attendance}
    )
    done: Any = None
    if action == "decide" and manager:
        done = submit(
            request,
            decide,
            lambda d: services.booking_decide(
                actor=actor,
                public_id=booking.public_id,
                transition=d["transition"],
                note=d["note"],
                visitors=d["visitors"],
            ),
        )
    elif action == "move" and (manager or own):
        done = submit(
            request,
            move,
            lambda d: services.booking_move(
                actor=actor,
                public_id=booking.public_id,
                start=_moment(d["day"], d["start_time"]),
                end=_moment(d["day"], d["end_time"]),
            ),
        )
    elif action == "hold" and (manager or own) and _staff(actor):
        done = submit(
            request,
            hold,
            lambda d: services.activity_hold(actor=actor, public_id=booking.public_id, **d),
        )
    elif action == "cancel" and (manager or own):
        done = submit(
            request,
            cancel,
            lambda _d: services.booking_cancel(actor=actor, public_id=booking.public_id),
        )
    elif action:
        raise Http404
    if done is not None:
        messages.success(request, _("Saved."))
        return redirect("venues:booking", public_id=booking.public_id)
    available = BOOKING_MACHINE.available(booking.status)
    actions = [
        (t, BookingTransition(t).label)
        for t in available
        if manager and t in services.STAFF_TRANSITIONS
    ]
    return render(
        request,
        "venues/booking.html",
        {
            "booking": booking,
            "actions": actions,
            "decide": decide,
            "move": move,
            "cancel": cancel,
            "can_change": (manager or own) and BookingTransition.CANCEL in available,
            "hold": hold
            if (manager or own)
            and _staff(actor)
            and not booking.activity_id
            and BookingTransition.CANCEL in available
            else None,
            "show_who": manager or has_perm(actor, VIEW),
        },
    )


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    """The signed-in person's bookings, upcoming first, each with cancel."""
    actor = actor_of(request)
    require_perm(actor, PORTAL, BOOK)
    now = dates.local_now()
    qs = selectors.bookings_for_resident(actor)
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at")[:50])
    past = list(qs.filter(ends_at__lt=now)[:20])
    return render(
        request, "venues/my_bookings.html", {"upcoming": upcoming, "past": past, "now": now}
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Cancel one of my bookings (from "my bookings")."""
    actor = actor_of(request)
    form = EmptyForm(request.POST)
    if submit(request, form, lambda _d: services.booking_cancel(actor=actor, public_id=public_id)):
        messages.success(request, _("Cancelled."))
    else:
        for e in form.non_field_errors():
            messages.error(request, str(e))
    return redirect("venues:my_bookings")


@login_required
@require_http_methods(["GET", "POST"])
def closure_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    venue = selectors.venue_get(actor, venue_id)
    if not selectors.can_manage(actor, venue):
        raise Http404
    form = ClosureForm(request.POST or None)
    if submit(request, form, lambda d: services.closure_add(actor=actor, venue_id=venue.pk, **d)):
        messages.success(request, _("Saved."))
        return redirect("venues:venue", venue_id=venue.pk)
    return render(
        request,
        "venues/form.html",
        {"form": form, "title": _("Close %(venue)s") % {"venue": venue.name}, "venue": venue},
    )


# --- kits ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def kit_detail(request: HttpRequest, kit_id: int) -> HttpResponse:
    """A kit's items with what is on the shelf (printable for the micro-home's wall); staff
    lend, a resident borrows."""
    actor = actor_of(request)
    require_perm(actor, VIEW, PORTAL)
    kit = selectors.kit_get(actor, kit_id)
    items = list(kit.items.all())
    lender = has_perm(actor, KITS) and kit.venue.pk in set(
        selectors.venue_list(actor).filter(pk=kit.venue.pk).values_list("pk", flat=True)
    )
    lend = LendForm(
        request.POST if request.POST.get("action") == "lend" else None,
        items=[(i.pk, i.name) for i in items],
    )
    community_id = kit.venue.community_id
    if lender and request.POST.get("action") == "lend":
        loan = submit(
            request,
            lend,
            lambda d: services.loan_create(
                actor=actor,
                item_id=d["item"],
                quantity=d["quantity"],
                resident_id=selectors.resident_lookup(community_id, d["resident"]),
                due_on=d["due_on"],
            ),
        )
        if loan:
            messages.success(request, _("Lent."))
            return redirect("venues:kit", kit_id=kit.pk)
    return render(
        request,
        "venues/kit.html",
        {
            "kit": kit,
            "items": items,
            "lend": lend if lender else None,
            "borrow": BorrowForm() if has_perm(actor, PORTAL) else None,
            "print": request.GET.get("print") == "1",
        },
    )


@login_required
@require_POST
def borrow(request: HttpRequest, item_id: int) -> HttpResponse:
    """A resident borrows an item (he picks it up at the micro-home)."""
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    item = selectors.kit_item_for_resident(actor, item_id)
    form = BorrowForm(request.POST)
    if submit(
        request,
        form,
        lambda d: services.loan_create(actor=actor, item_id=item.pk, quantity=d["quantity"]),
    ):
        messages.success(request, _("Borrowed; pick it up at the micro-home."))
        return redirect("venues:my_loans")
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, str(e))
    return redirect("venues:kit", kit_id=item.kit_id)


@login_required
def loans(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, KITS)
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.loan_list(actor, overdue=overdue)
    page = Paginator(qs, PAGE_SIZE).get_page(query_page(request.GET.get("page")))
    return render(
        request,
        "venues/loans.html",
        {
            "page": page,
            "overdue": overdue,
            "query": "overdue=1" if overdue else "",
            "today": dates.local_today(),
            "form": EmptyForm(),
        },
    )


@login_required
@require_POST
def loan_return(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, KITS)
    form = EmptyForm(request.POST)
    if submit(request, form, lambda _d: services.loan_return(actor=actor, public_id=public_id)):
        messages.success(request, _("Returned."))
    else:
        for e in form.non_field_errors():
            messages.error(request, str(e))
    return redirect("venues:loans")


@login_required
def my_loans(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    return render(
        request,
        "venues/my_loans.html",
        {"loans": selectors.loans_for_resident(actor)[:50], "today": dates.local_today()},
    )


# --- services -----------------------------------------------------------------------------------


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW, PORTAL, SERVICES)
    categories = selectors.category_list(actor).prefetch_related(
        "providers", "schedules__series__venue"
    )
    return render(
        request,
        "venues/catalogue.html",
        {"categories": categories, "can_record": has_perm(actor, SERVICES)},
    )


@login_required
def records(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    month = query_month(request.GET.get("month"))
    qs = selectors.record_list(actor, month=month)
    page = Paginator(qs, PAGE_SIZE).get_page(query_page(request.GET.get("page")))
    return render(
        request,
        "venues/records.html",
        {
            "page": page,
            "month": month,
            "query": f"month={month:%Y-%m}" if month else "",
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    community_ids = list(communities_for(actor, SERVICES))
    if not community_ids:
        raise Http404
    community_id = community_ids[0]
    categories = selectors.category_list(actor).filter(community_id=community_id)
    providers = selectors.provider_list(actor).filter(community_id=community_id)
    venues = selectors.venue_list(actor).filter(community_id=community_id)
    form = RecordForm(
        request.POST or None,
        initial={"served_on": dates.local_today()},
        choices={
            "category": [(c.pk, c.name) for c in categories],
            "provider": [(p.pk, p.name) for p in providers],
            "venue": [("", "—"), *((v.pk, v.name) for v in venues)],
        },
    )
    record = submit(
        request,
        form,
        lambda d: services.record_create(
            actor=actor,
            category_id=d["category"],
            provider_id=d["provider"],
            resident_id=selectors.resident_lookup(community_id, d["resident"]),
            venue_id=d["venue"],
            served_at=rules.at(d["served_on"], d["served_time"]),
            what=d["what"],
        ),
    )
    if record:
        messages.success(request, _("Recorded; the resident is asked to rate it."))
        return redirect("venues:records")
    return render(request, "venues/form.html", {"form": form, "title": _("Record a service")})


@login_required
def my_records(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    return render(
        request,
        "venues/my_records.html",
        {"records": selectors.records_for_resident(actor)[:50], "form": RateForm()},
    )


@login_required
@require_POST
def record_rate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    form = RateForm(request.POST)
    if submit(
        request,
        form,
        lambda d: services.record_rate(
            actor=actor, public_id=public_id, rating=d["rating"], comment=d["comment"]
        ),
    ):
        messages.success(request, _("Thank you for your rating."))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    return redirect("venues:my_records")


# --- utilisation and exports ------------------------------------------------------------------


@login_required
def utilisation(request: HttpRequest) -> HttpResponse:
    """Per venue and month: hours booked ÷ hours open, check-ins, visitors, no-shows; the
    ranking and the weekday × hour heat map of the last twelve months (or `?year=`)."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    year = query_int(request.GET.get("year"), minimum=dates.MIN_YEAR)
    if year is not None and dates.year_in_range(year):
        first = dt.date(year, 1, 1)
    else:
        year = None
        first = dates.add_months(dates.this_month(), -11)
    report = selectors.utilisation(actor, first, 12)
    chart = {
        "weekdays": [str(label) for _v, label in _weekday_labels()],
        "heat": [[h, d, v] for d, row in enumerate(report.heat) for h, v in enumerate(row) if v],
        "max": max((v for row in report.heat for v in row), default=0),
        "ranking": [
            {"name": u.venue.name, "rate": float(u.total.rate or 0)} for u in report.venues
        ],
    }
    return render(
        request,
        "venues/utilisation.html",
        {
            "report": report,
            "year": year,
            "chart": chart,
            "can_export": has_perm(actor, EXPORT),
            "query": f"year={year}" if year else "",
        },
    )


def _weekday_labels() -> list[tuple[int, Any]]:
    return WEEKDAYS


EXPORTS = {
    "bookings": exporting.export_bookings,
    "records": exporting.export_records,
    "utilisation": exporting.export_utilisation,
}


@login_required
def export(request: HttpRequest, what: str) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    build = EXPORTS.get(what)
    if build is None:
        raise Http404
    month = query_month(request.GET.get("month"))
    year = query_int(request.GET.get("year"), minimum=dates.MIN_YEAR)
    return xlsx_response(
        build(actor=actor, month=month, year=year if dates.year_in_range(year) else None)
    )


# --- management: venues, opening hours, the catalogue, providers, schedules ----------------------


def _venue_data(d: dict[str, Any]) -> services.VenueData:
    return services.VenueData(
        kind=d["kind"],
        name=d["name"],
        capacity=d["capacity"],
        slot_minutes=d["slot_minutes"],
        area_m2=d["area_m2"],
        grid_id=d["grid"],
        place=d["place"],
        description=d["description"],
        staff_may_book=d["staff_may_book"],
        teams_may_book=d["teams_may_book"],
        residents_may_book=d["residents_may_book"],
        needs_approval=d["needs_approval"],
        active=d["active"],
    )


def _grid_choices(actor: Actor, community_id: int) -> list[tuple[Any, str]]:
    return [(g.pk, g.name) for g in selectors.grids_of(actor, community_id)]


@login_required
@require_http_methods(["GET", "POST"])
def venue_new(request: HttpRequest) -> HttpResponse:
    """A new venue; it opens once its opening hours are set (the next page)."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    community_id = acting_community(actor, MANAGE)
    form = VenueForm(request.POST or None, grids=_grid_choices(actor, community_id))
    venue = submit(
        request,
        form,
        lambda d: services.venue_create(
            actor=actor, data=_venue_data(d), community_id=community_id
        ),
    )
    if venue:
        messages.success(request, _("Saved. Now set its opening hours."))
        return redirect("venues:venue_hours", venue_id=venue.pk)
    return render(request, "venues/form.html", {"form": form, "title": _("New venue")})


PHOTO_ACTIONS = ("photo", "photo_remove")


@login_required
@require_http_methods(["GET", "POST"])
def venue_edit(request: HttpRequest, venue_id: int) -> HttpResponse:
    """A venue's settings, and its photo (upload or replace; remove): three forms, one service
    each, told apart by `action`."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    venue = selectors.venue_for_management(actor, venue_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    initial = {f: getattr(venue, f) for f in services.VENUE_FIELDS if f != "grid_id"}
    form = VenueForm(
        request.POST if request.method == "POST" and action not in PHOTO_ACTIONS else None,
        initial={**initial, "grid": venue.grid_id},
        grids=_grid_choices(actor, venue.community_id),
    )
    posted = action == "photo"
    photo_form = PhotoForm(
        request.POST if posted else None, request.FILES if posted else None, prefix="photo"
    )
    remove_form = EmptyForm(request.POST if action == "photo_remove" else None)
    if action == "photo":
        if submit(
            request,
            photo_form,
            lambda d: services.venue_photo_set(actor=actor, venue_id=venue.pk, photo=d["photo"]),
        ):
            messages.success(request, _("The photo is saved."))
            return redirect("venues:venue", venue_id=venue.pk)
    elif action == "photo_remove":
        if submit(
            request,
            remove_form,
            lambda _d: services.venue_photo_remove(actor=actor, venue_id=venue.pk),
        ):
            messages.success(request, _("The photo is removed."))
            return redirect("venues:venue", venue_id=venue.pk)
    elif submit(
        request,
        form,
        lambda d: services.venue_update(actor=actor, venue_id=venue.pk, data=_venue_data(d)),
    ):
        messages.success(request, _("Saved."))
        return redirect("venues:venue", venue_id=venue.pk)
    return render(
        request,
        "venues/venue_edit.html",
        {
            "form": form,
            "photo_form": photo_form,
            "remove_form": remove_form,
            "photo_url": selectors.photo_url(venue),
            "title": _("Edit %(venue)s") % {"venue": venue.name},
            "venue": venue,
        },
    )


@login_required
@require_http_methods(["GET"])
def venue_photo(request: HttpRequest, venue_id: int) -> FileResponse:
    """The venue's photo, for anyone who may see the venue (404 for everybody else, and for a
    venue without a photo): served as the type detected when it was checked, never by its name,
    and the browser told not to guess."""
    venue = selectors.venue_photo(actor_of(request), venue_id)
    return photo_response(venue.photo, venue.photo_type, max_age=3600)


@login_required
@require_http_methods(["GET", "POST"])
def venue_hours(request: HttpRequest, venue_id: int) -> HttpResponse:
    """Opening hours per weekday (a weekday left empty is closed)."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    venue = selectors.venue_for_management(actor, venue_id)
    initial: dict[str, Any] = {}
    for h in selectors.opening_hours(venue):
        initial[f"opens_{h.weekday}"] = h.opens
        initial[f"closes_{h.weekday}"] = h.closes
    form = HoursForm(request.POST or None, initial=initial, step=venue.slot_minutes)
    if submit(
        request,
        form,
        lambda _d: services.hours_set(
            actor=actor,
            venue_id=venue.pk,
            hours=[services.DayHours(*day) for day in form.days()],
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect("venues:venue", venue_id=venue.pk)
    rows = [(form[f"opens_{d}"], form[f"closes_{d}"], label) for d, label in WEEKDAYS]
    return render(request, "venues/hours.html", {"form": form, "venue": venue, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def category_form(request: HttpRequest, category_id: int | None = None) -> HttpResponse:
    """Add a line to the service catalogue, or change one."""
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    category = selectors.category_for_change(actor, category_id) if category_id else None
    initial = (
        {"name": category.name, "description": category.description, "order": category.order}
        if category
        else {}
    )
    form = CategoryForm(request.POST or None, initial=initial)
    if submit(
        request,
        form,
        lambda d: services.category_save(
            actor=actor,
            category_id=category.pk if category else None,
            community_id=None if category else acting_community(actor, SERVICES),
            **d,
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect("venues:catalogue")
    title = _("Edit %(name)s") % {"name": category.name} if category else _("New service")
    return render(request, "venues/form.html", {"form": form, "title": title})


@login_required
def providers(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    return render(
        request,
        "venues/providers.html",
        {"providers": selectors.provider_list(actor).order_by("name")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_form(request: HttpRequest, provider_id: int | None = None) -> HttpResponse:
    """A provider (a social organisation or team, a partner business, staff) and its services."""
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    provider = selectors.provider_for_change(actor, provider_id) if provider_id else None
    community_id = provider.community_id if provider else acting_community(actor, SERVICES)
    initial = (
        {
            "name": provider.name,
            "kind": provider.kind,
            "categories": [c.pk for c in provider.categories.all()],
        }
        if provider
        else {}
    )
    categories = selectors.category_list(actor).filter(community_id=community_id)
    form = ProviderForm(
        request.POST or None,
        initial=initial,
        categories=[(c.pk, c.name) for c in categories],
    )
    if submit(
        request,
        form,
        lambda d: services.provider_save(
            actor=actor,
            provider_id=provider.pk if provider else None,
            community_id=None if provider else community_id,
            name=d["name"],
            kind=d["kind"],
            category_ids=d["categories"],
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect("venues:providers")
    title = _("Edit %(name)s") % {"name": provider.name} if provider else _("New provider")
    return render(request, "venues/form.html", {"form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def schedule_new(request: HttpRequest) -> HttpResponse:
    """A regular session of a service ("free haircuts every second Saturday at 睦邻会馆"): its
    dates are booked on the venue; a taken date is listed and nothing is saved unless "book
    the free dates only" is ticked."""
    actor = actor_of(request)
    require_perm(actor, SERVICES)
    community_id = acting_community(actor, SERVICES)
    form = ScheduleForm(
        request.POST or None,
        initial={"every_weeks": 1, "attendance": 10, "first_day": dates.local_today()},
        choices={
            "category": [
                (c.pk, c.name)
                for c in selectors.category_list(actor).filter(community_id=community_id)
            ],
            "provider": [
                (p.pk, p.name)
                for p in selectors.provider_list(actor).filter(community_id=community_id)
            ],
            "venue": [
                (v.pk, v.name)
                for v in selectors.venue_list(actor).filter(community_id=community_id, active=True)
            ],
        },
    )
    schedule = submit(
        request,
        form,
        lambda d: services.schedule_create(
            actor=actor,
            category_id=d["category"],
            provider_id=d["provider"],
            skip_conflicts=d["skip_conflicts"],
            request=services.SeriesRequest(
                venue_id=d["venue"],
                weekday=d["weekday"],
                start_time=d["start_time"],
                end_time=d["end_time"],
                first_day=d["first_day"],
                last_day=d["last_day"],
                purpose=d["purpose"],
                attendance=d["attendance"],
                every_weeks=d["every_weeks"],
            ),
        ),
    )
    if schedule:
        messages.success(request, _("The schedule is saved and its dates are booked."))
        return redirect("venues:catalogue")
    return render(request, "venues/form.html", {"form": form, "title": _("New schedule")})
