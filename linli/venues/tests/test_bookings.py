"""Bookings: every rule refuses with a clear code and writes nothing; approval, refusal and
notification; moving re-checks; cancelling a series cancels only the future dates."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core import dates
from linli.core.errors import DomainError, NotFound
from linli.venues import selectors, services
from linli.venues.choices import BookingStatus
from linli.venues.models import Booking, Closure
from linli.venues.tests.conftest import slot


def book(actor, venue, s, e, **kw):
    return services.booking_create(
        actor=actor,
        venue=venue,
        start=s,
        end=e,
        purpose=kw.pop("purpose", "读书会"),
        attendance=kw.pop("attendance", 5),
        **kw,
    )


def test_resident_books_a_free_slot_and_nobody_takes_it_twice(
    reading_room, actor_of, resident_user, admin
):
    s, e = slot(2, 10)
    b = book(actor_of(resident_user), reading_room, s, e)
    assert b.status == BookingStatus.APPROVED
    assert b.household_id and b.resident_id
    with pytest.raises(DomainError) as exc:
        book(
            actor_of(admin),
            reading_room,
            s + dt.timedelta(minutes=30),
            e + dt.timedelta(minutes=30),
        )
    assert exc.value.code == "slot_taken"
    # Touching ends are fine.
    book(actor_of(admin), reading_room, e, e + dt.timedelta(hours=1))
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("ends_before_start", "invalid_date"),
        ("off_grid", "off_grid"),
        ("outside_hours", "outside_hours"),
        ("closure", "venue_closed"),
        ("over_capacity", "over_capacity"),
        ("past", "in_the_past"),
    ],
)
def test_bad_bookings_are_refused_and_write_nothing(
    reading_room, actor_of, resident_user, case, code
):
    s, e = slot(3, 10)
    attendance = 5
    if case == "ends_before_start":
        s, e = e, s
    elif case == "off_grid":
        s = s + dt.timedelta(minutes=10)
    elif case == "outside_hours":
        s, e = slot(3, 20, length=120)
    elif case == "closure":
        Closure.objects.create(
            venue=reading_room, first_day=s.date(), last_day=s.date(), reason="消防检查"
        )
    elif case == "over_capacity":
        attendance = 41
    elif case == "past":
        s, e = slot(-1, 10)
    with pytest.raises(DomainError) as exc:
        book(actor_of(resident_user), reading_room, s, e, attendance=attendance)
    assert exc.value.code == code
    assert exc.value.status == 400
    assert not Booking.objects.exists()


def test_out_of_scope_venue_is_not_found(reading_room, actor_of, other_admin, worker_b, micro_home):
    s, e = slot(2, 10)
    with pytest.raises(NotFound):
        book(actor_of(other_admin), reading_room, s, e)
    # A grid worker books nothing (he sees his grid's micro-home only).
    with pytest.raises(NotFound):
        book(actor_of(worker_b), micro_home, s, e)


def test_residents_cannot_book_staff_only_venues(reading_room, actor_of, resident_user):
    reading_room.residents_may_book = False
    reading_room.save()
    s, e = slot(2, 10)
    with pytest.raises(NotFound):
        book(actor_of(resident_user), reading_room, s, e)


def test_approval_and_refusal_notify_the_booker(hall, actor_of, resident_user, admin, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "publish", sent.append)
    s, e = slot(2, 14)
    b = book(actor_of(resident_user), hall, s, e)
    assert b.status == BookingStatus.REQUESTED
    services.booking_decide(actor=actor_of(admin), public_id=b.public_id, transition="approve")
    assert sent[-1].kind == "venues.booking_approved"
    b2 = book(actor_of(resident_user), hall, *slot(3, 14))
    with pytest.raises(DomainError):
        services.booking_decide(actor=actor_of(admin), public_id=b2.public_id, transition="refuse")
    services.booking_decide(
        actor=actor_of(admin), public_id=b2.public_id, transition="refuse", note="场地维修"
    )
    assert sent[-1].kind == "venues.booking_refused"
    assert sent[-1].user_ids == (resident_user.pk,)
    # A refused booking frees the time.
    book(actor_of(admin), hall, *slot(3, 14))


def test_check_in_finish_and_no_show(hall, actor_of, admin):
    s, e = slot(1, 9)
    b = book(actor_of(admin), hall, s, e, attendance=30)
    assert b.status == BookingStatus.APPROVED  # a manager's booking needs no approval
    services.booking_decide(actor=actor_of(admin), public_id=b.public_id, transition="check_in")
    b = services.booking_decide(
        actor=actor_of(admin), public_id=b.public_id, transition="finish", visitors=27
    )
    assert (b.status, b.visitors) == (BookingStatus.DONE, 27)
    with pytest.raises(DomainError) as exc:
        services.booking_decide(actor=actor_of(admin), public_id=b.public_id, transition="no_show")
    assert exc.value.code == "invalid_transition"


def test_moving_rechecks_every_rule(reading_room, actor_of, resident_user, admin):
    a = book(actor_of(resident_user), reading_room, *slot(2, 10))
    book(actor_of(admin), reading_room, *slot(2, 12))
    with pytest.raises(DomainError) as exc:
        services.booking_move(
            actor=actor_of(resident_user),
            public_id=a.public_id,
            start=slot(2, 12)[0],
            end=slot(2, 12)[1],
        )
    assert exc.value.code == "slot_taken"
    with pytest.raises(DomainError) as exc:
        services.booking_move(
            actor=actor_of(resident_user),
            public_id=a.public_id,
            start=slot(2, 6)[0],
            end=slot(2, 6)[1],
        )
    assert exc.value.code == "outside_hours"
    # Moving within its own time (overlapping itself) is fine.
    moved = services.booking_move(
        actor=actor_of(resident_user),
        public_id=a.public_id,
        start=slot(2, 10, 30)[0],
        end=slot(2, 10, 30)[1],
    )
    assert moved.starts_at == slot(2, 10, 30)[0]


def test_someone_else_cannot_cancel_my_booking(reading_room, actor_of, resident_user, volunteer):
    b = book(actor_of(resident_user), reading_room, *slot(2, 10))
    with pytest.raises(NotFound):
        services.booking_cancel(actor=actor_of(volunteer), public_id=b.public_id)
    services.booking_cancel(actor=actor_of(resident_user), public_id=b.public_id)
    b.refresh_from_db()
    assert b.status == BookingStatus.CANCELLED


def _tuesday_series(venue, weeks=12, **kw):
    first = dates.local_today() + dt.timedelta(days=1)
    return services.SeriesRequest(
        venue_id=venue.pk,
        weekday=1,
        start_time=dt.time(19),
        end_time=dt.time(21),
        first_day=first,
        last_day=first + dt.timedelta(weeks=weeks),
        purpose="合唱团排练",
        attendance=20,
        host="文昌合唱团",
        **kw,
    )


def test_a_series_lists_every_conflict_and_saves_nothing(hall, actor_of, organiser, admin):
    request = _tuesday_series(hall)
    days = [
        o.day
        for o in selectors.series_preview(
            hall,
            **{
                k: getattr(request, k)
                for k in ("weekday", "start_time", "end_time", "first_day", "last_day")
            },
        )
    ]
    taken = days[2]
    book(
        actor_of(admin),
        hall,
        dates.day_start(taken).replace(hour=20),
        dates.day_start(taken).replace(hour=21),
    )
    Closure.objects.create(venue=hall, first_day=days[5], last_day=days[5], reason="国庆")
    with pytest.raises(DomainError) as exc:
        services.booking_series_create(actor=actor_of(organiser), request=request)
    assert exc.value.code == "series_conflicts"
    assert [d["day"] for d in exc.value.details] == [days[2].isoformat(), days[5].isoformat()]
    assert {d["code"] for d in exc.value.details} == {"slot_taken", "venue_closed"}
    assert Booking.objects.filter(series__isnull=False).count() == 0
    series = services.booking_series_create(
        actor=actor_of(organiser), request=request, skip_conflicts=True
    )
    assert series.bookings.count() == len(days) - 2


def test_cancelling_a_series_cancels_the_future_only(reading_room, actor_of, organiser):
    series = services.booking_series_create(
        actor=actor_of(organiser), request=_tuesday_series(reading_room, weeks=4)
    )
    bookings = list(series.bookings.order_by("starts_at"))
    later = bookings[1].starts_at - dt.timedelta(hours=1)
    n = services.booking_series_cancel(
        actor=actor_of(organiser), public_id=series.public_id, at=later
    )
    assert n == len(bookings) - 1
    statuses = list(series.bookings.order_by("starts_at").values_list("status", flat=True))
    assert statuses[0] == BookingStatus.APPROVED
    assert set(statuses[1:]) == {BookingStatus.CANCELLED}


def test_availability_shows_mine_taken_and_closures(reading_room, actor_of, resident_user, admin):
    s, e = slot(1, 10)
    book(actor_of(resident_user), reading_room, s, e)
    book(actor_of(admin), reading_room, *slot(1, 14), purpose="馆员培训")
    Closure.objects.create(
        venue=reading_room,
        first_day=s.date() + dt.timedelta(days=1),
        last_day=s.date() + dt.timedelta(days=1),
        reason="盘点",
    )
    avail = selectors.venue_availability(actor_of(resident_user), reading_room, s.date(), 7)
    day = avail.days[0]
    states = {sl.start.hour * 60 + sl.start.minute: (sl.state, sl.label) for sl in day.slots}
    assert states[600] == ("mine", "读书会")
    assert states[14 * 60] == ("taken", "")  # a resident never sees who
    assert states[12 * 60][0] == "free"
    assert avail.days[1].closed == "盘点"
    assert len(day.slots) == 26


def test_a_booking_holds_a_residents_activity_run_by_the_one_engine(
    hall, actor_of, service, resident_user
):
    from linli.volunteers import services as engine
    from linli.volunteers.models import Volunteer

    b = book(actor_of(service), hall, *slot(3, 14), attendance=50)
    with pytest.raises(DomainError) as exc:
        services.activity_hold(
            actor=actor_of(service), public_id=b.public_id, title="讲座", capacity=500
        )
    assert exc.value.code == "over_capacity"
    b = services.activity_hold(
        actor=actor_of(service), public_id=b.public_id, title="健康讲座", capacity=2
    )
    assert b.activity.place == hall.name and b.activity.starts_at == b.starts_at
    signup = engine.activity_signup(actor=actor_of(resident_user), activity_id=b.activity_id)
    assert signup.volunteer_id is None and signup.resident_id
    assert not Volunteer.objects.exists()  # no silent volunteer registration
    with pytest.raises(DomainError):
        services.activity_hold(
            actor=actor_of(service), public_id=b.public_id, title="再一次", capacity=2
        )
