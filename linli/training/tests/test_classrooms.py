"""A session's classroom is a booking of the venues domain: booked with the session in one
transaction, refused (with nothing written) when the venue's rules refuse it, and cancelled when
the session or the class is."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.core.errors import DomainError
from linli.training import selectors, services
from linli.training.models import Session
from linli.training.tests.conftest import START, at, book
from linli.venues.choices import BookingStatus, VenueKind
from linli.venues.models import Booking, OpeningHours, Venue


@pytest.fixture
def classroom(world) -> Venue:
    venue = Venue.objects.create(
        community=world.community,
        kind=VenueKind.CLASSROOM,
        name="培训基地第一教室",
        area_m2=200,
        capacity=10,
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(venue=venue, weekday=d, opens=dt.time(8), closes=dt.time(21)) for d in range(7)
    )
    return venue


def test_a_session_books_its_classroom_through_venues(base, classroom):
    assert (classroom.pk, classroom.name) in selectors.classroom_choices(base.actor)
    klass = book(base, trainees=4)
    session = services.session_add(
        actor=base.actor,
        public_id=klass.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        venue_id=classroom.pk,
    )
    booking = Booking.objects.get()
    assert session.booking == booking
    assert session.room == "培训基地第一教室"
    assert (booking.starts_at, booking.ends_at) == (session.starts_at, session.ends_at)
    assert booking.attendance == 4
    assert klass.code in booking.host
    assert booking.status == BookingStatus.APPROVED


def test_the_venue_refuses_and_nothing_is_written(base, classroom):
    first = book(base, trainees=4)
    second = book(base, trainees=4)
    services.session_add(
        actor=base.actor,
        public_id=first.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        venue_id=classroom.pk,
    )
    for klass, start in (
        (second, at(START, 10)),
        (second, at(START, 20)),
        (second, at(START, 9, 10)),
    ):
        with pytest.raises(DomainError):  # taken / after closing / off the 30-minute grid
            services.session_add(
                actor=base.actor,
                public_id=klass.public_id,
                course_id=base.course.pk,
                starts_at=start,
                venue_id=classroom.pk,
            )
    big = book(base, trainees=11)  # the classroom holds 10
    with pytest.raises(DomainError) as exc:
        services.session_add(
            actor=base.actor,
            public_id=big.public_id,
            course_id=base.course.pk,
            starts_at=at(START, 14),
            venue_id=classroom.pk,
        )
    assert exc.value.field == "attendance"
    assert Booking.objects.count() == 1
    assert Session.objects.count() == 1


def test_cancelling_frees_the_classroom(base, classroom):
    klass = book(base, trainees=4)
    s = services.session_add(
        actor=base.actor,
        public_id=klass.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        venue_id=classroom.pk,
    )
    services.session_cancel(actor=base.actor, session_id=s.pk)
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    services.session_add(
        actor=base.actor,
        public_id=klass.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        venue_id=classroom.pk,
    )
    services.class_transition(actor=base.actor, public_id=klass.public_id, transition="cancel")
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}


def test_a_site_visit_to_a_venue_books_the_venue_and_a_clash_is_refused(base, world):
    """映像文昌 is a venue of the community: a site visit there books it like a classroom."""
    hall = Venue.objects.create(
        community=world.community,
        kind=VenueKind.EXHIBITION,
        name="映像文昌",
        area_m2=800,
        capacity=10,
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(venue=hall, weekday=d, opens=dt.time(9), closes=dt.time(17)) for d in range(7)
    )
    first, second, big = book(base, trainees=4), book(base, trainees=4), book(base, trainees=11)
    session = services.session_add(
        actor=base.actor, public_id=first.public_id, course_id=base.visit.pk, starts_at=at(START, 9)
    )
    booking = Booking.objects.get(venue=hall)
    assert session.booking == booking and session.room == "映像文昌"
    assert (booking.starts_at, booking.ends_at, booking.attendance) == (
        at(START, 9),
        at(START, 10, 30),
        4,
    )
    for klass, start, code in (
        (second, at(START, 10), "slot_taken"),  # the hall is taken until 10:30
        (second, at(START, 16), "outside_hours"),  # 16:00 + 90 min is after closing
        (big, at(START, 14), "over_capacity"),  # 11 trainees, the hall holds 10
    ):
        with pytest.raises(DomainError) as exc:
            services.session_add(
                actor=base.actor,
                public_id=klass.public_id,
                course_id=base.visit.pk,
                starts_at=start,
            )
        assert exc.value.code == code
    assert Session.objects.count() == Booking.objects.count() == 1
    services.session_add(
        actor=base.actor,
        public_id=second.public_id,
        course_id=base.visit.pk,
        starts_at=at(START, 10, 30),
    )
    assert Booking.objects.filter(venue=hall).count() == 2
