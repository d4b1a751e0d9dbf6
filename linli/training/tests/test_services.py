"""The training base's rules: bad input is refused with a clear message and writes nothing;
the timetable keeps lecturers and classrooms single; beds are given once a night; the quote
adds up to the fen; the class's state machine; who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.core.errors import DomainError, NotFound
from linli.core.models import AuditEvent
from linli.training import selectors, services
from linli.training.models import BedNight, Course, MealPlan, Session, TrainingClass
from linli.training.tests.conftest import START, at, book


def codes(exc_info) -> str:
    return str(exc_info.value.code)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"ends_on": START - dt.timedelta(days=1)}, "invalid_date", "ends_on"),
        ({"trainee_count": 0}, "invalid_number", "trainee_count"),
        ({"trainee_count": -3}, "invalid_number", "trainee_count"),
        ({"province": "火星"}, "invalid_choice", "province"),
        ({"contact_phone": "12345"}, "invalid_phone", "contact_phone"),
        ({"name": "  "}, "required", "name"),
        ({"ends_on": START + dt.timedelta(days=90)}, "invalid_date", "ends_on"),
    ],
)
def test_a_bad_class_is_refused_and_nothing_is_written(base, changes, code, field):
    data = {
        "name": "班",
        "organisation": "单位",
        "province": "江苏省",
        "contact_name": "李",
        "contact_phone": "13955556666",
        "starts_on": START,
        "ends_on": START + dt.timedelta(days=2),
        "trainee_count": 10,
        **changes,
    }
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        services.class_create(actor=base.actor, community_id=base.community_id, **data)
    assert codes(exc) == code
    assert exc.value.field == field
    assert TrainingClass.objects.count() == 0
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("fee", ["12.345", "-1", "abc", "NaN", "1e9", "0.001"])
def test_a_fee_with_more_than_two_decimals_or_out_of_range_is_refused(base, fee):
    count = Course.objects.count()
    with pytest.raises(DomainError) as exc:
        services.course_create(
            actor=base.actor,
            community_id=base.community_id,
            category_id=base.course.category_id,
            title="新课",
            format="lecture",
            duration_minutes=60,
            fee=fee,
        )
    assert codes(exc) == "invalid_number"
    assert exc.value.field == "fee"
    assert Course.objects.count() == count


def test_a_fee_of_two_decimals_is_kept_exactly(base):
    course = services.course_create(
        actor=base.actor,
        community_id=base.community_id,
        category_id=base.course.category_id,
        title="新课",
        format="workshop",
        duration_minutes=60,
        fee="0.10",
    )
    course.refresh_from_db()
    assert course.fee == Decimal("0.10")


def test_a_site_visit_names_its_site(base):
    with pytest.raises(DomainError) as exc:
        services.course_create(
            actor=base.actor,
            community_id=base.community_id,
            category_id=base.course.category_id,
            title="参观",
            format="site_visit",
            duration_minutes=60,
            fee="10",
        )
    assert exc.value.field == "site"


def test_the_contact_phone_is_stored_encrypted_and_shown_masked(base):
    klass = book(base)
    assert klass.contact_phone_masked == "139****6666"
    assert "13955556666" not in klass.contact_phone_encrypted
    event = AuditEvent.objects.filter(object_id=str(klass.public_id)).get()
    assert "13955556666" not in str(event.after)


def test_more_beds_than_exist_is_refused_and_nothing_is_written(base):
    klass = book(base, trainees=10)
    with pytest.raises(DomainError) as exc:
        services.lodging_book(actor=base.actor, public_id=klass.public_id, beds=7)
    assert codes(exc) == "not_enough_beds"
    assert "6" in exc.value.message
    assert BedNight.objects.count() == 0


@pytest.mark.parametrize("beds", [0, -1])
def test_zero_beds_is_refused(base, beds):
    klass = book(base)
    with pytest.raises(DomainError) as exc:
        services.lodging_book(actor=base.actor, public_id=klass.public_id, beds=beds)
    assert codes(exc) == "invalid_number"


def test_nights_outside_the_stay_or_reversed_are_refused(base):
    klass = book(base)
    with pytest.raises(DomainError):
        services.lodging_book(
            actor=base.actor,
            public_id=klass.public_id,
            beds=1,
            first_night=START + dt.timedelta(days=1),
            last_night=START,
        )
    with pytest.raises(DomainError):
        services.lodging_book(
            actor=base.actor,
            public_id=klass.public_id,
            beds=1,
            first_night=START - dt.timedelta(days=1),
        )
    assert BedNight.objects.count() == 0


def test_a_session_outside_the_stay_is_refused(base):
    klass = book(base, days=1)
    with pytest.raises(DomainError) as exc:
        services.session_add(
            actor=base.actor,
            public_id=klass.public_id,
            course_id=base.course.pk,
            starts_at=at(START, 23),  # 120 minutes runs past midnight
        )
    assert exc.value.field == "starts_at"
    assert Session.objects.count() == 0


def test_meals_bad_counts_or_prices_are_refused(base):
    klass = book(base)
    with pytest.raises(DomainError):
        services.meals_set(actor=base.actor, public_id=klass.public_id, day=START, lunches=-1)
    with pytest.raises(DomainError):
        services.meals_set(
            actor=base.actor, public_id=klass.public_id, day=START, lunch_price="30.005"
        )
    with pytest.raises(DomainError):
        services.meals_set(
            actor=base.actor, public_id=klass.public_id, day=START - dt.timedelta(days=1)
        )
    assert MealPlan.objects.count() == 0


def test_the_roster_holds_no_more_names_than_trainees(base):
    klass = book(base, trainees=2)
    with pytest.raises(DomainError):
        services.trainees_add(actor=base.actor, public_id=klass.public_id, names="甲\n乙\n丙")
    services.trainees_add(actor=base.actor, public_id=klass.public_id, names="甲, 书记\n乙")
    assert [t.position for t in selectors.class_roster(klass)] == ["书记", ""]


# ---------------------------------------------------------------- timetable


def test_a_lecturer_is_never_in_two_sessions_at_once(base):
    first = book(base, trainees=2)
    second = book(base, trainees=2)
    services.session_add(
        actor=base.actor,
        public_id=first.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        lecturer_id=base.lecturer.pk,
        room="一号教室",
    )
    with pytest.raises(DomainError) as exc:
        services.session_add(
            actor=base.actor,
            public_id=second.public_id,
            course_id=base.course.pk,
            starts_at=at(START, 10),
            lecturer_id=base.lecturer.pk,
            room="二号教室",
        )
    assert codes(exc) == "lecturer_busy"
    assert first.code in exc.value.message
    # Back to back is fine, and so is another lecturer at the same time.
    services.session_add(
        actor=base.actor,
        public_id=second.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 11),
        lecturer_id=base.lecturer.pk,
        room="二号教室",
    )
    services.session_add(
        actor=base.actor,
        public_id=second.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        lecturer_id=base.other_lecturer.pk,
        room="二号教室",
    )


def test_a_classroom_holds_one_session_at_a_time_but_a_site_many(base):
    first = book(base, trainees=2)
    second = book(base, trainees=2)
    services.session_add(
        actor=base.actor,
        public_id=first.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        room="一号教室",
    )
    with pytest.raises(DomainError) as exc:
        services.session_add(
            actor=base.actor,
            public_id=second.public_id,
            course_id=base.course.pk,
            starts_at=at(START, 9, 30),
            room="一号教室",
        )
    assert codes(exc) == "room_busy"
    for klass in (first, second):
        services.session_add(
            actor=base.actor,
            public_id=klass.public_id,
            course_id=base.visit.pk,
            starts_at=at(START, 14),
        )
    assert Session.objects.filter(room="映像文昌").count() == 2


def test_a_cancelled_session_frees_its_lecturer(base):
    first = book(base, trainees=2)
    second = book(base, trainees=2)
    s = services.session_add(
        actor=base.actor,
        public_id=first.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        lecturer_id=base.lecturer.pk,
    )
    services.session_cancel(actor=base.actor, session_id=s.pk)
    services.session_add(
        actor=base.actor,
        public_id=second.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        lecturer_id=base.lecturer.pk,
    )


# ---------------------------------------------------------------- lodging


def test_a_bed_is_never_given_twice_a_night(base):
    first = book(base, trainees=4)
    second = book(base, trainees=4)
    rows = services.lodging_book(actor=base.actor, public_id=first.public_id, beds=4)
    assert len(rows) == 4 * 2  # 4 beds, 2 nights (3 days)
    with pytest.raises(DomainError) as exc:
        services.lodging_book(actor=base.actor, public_id=second.public_id, beds=3)
    assert codes(exc) == "not_enough_beds"
    services.lodging_book(actor=base.actor, public_id=second.public_id, beds=2)
    assert BedNight.objects.values("bed", "night").distinct().count() == BedNight.objects.count()
    # Giving beds back frees them.
    services.lodging_release(actor=base.actor, public_id=first.public_id)
    services.lodging_book(actor=base.actor, public_id=second.public_id, beds=4)


# ---------------------------------------------------------------- the quote


def test_the_quote_adds_up_to_the_fen(base):
    klass = book(base, trainees=3, days=2)  # one night
    services.session_add(
        actor=base.actor,
        public_id=klass.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        lecturer_id=base.lecturer.pk,
    )
    services.session_add(
        actor=base.actor,
        public_id=klass.public_id,
        course_id=base.visit.pk,
        starts_at=at(START, 14),
    )
    services.lodging_book(actor=base.actor, public_id=klass.public_id, beds=3)
    services.meals_set(
        actor=base.actor,
        public_id=klass.public_id,
        day=START,
        breakfasts=0,
        lunches=3,
        dinners=3,
        lunch_price="30.35",
        dinner_price="28.10",
    )
    quote = selectors.class_quote(klass)
    assert quote.courses_total == Decimal("80.00") * 3 + Decimal("60.50") * 3  # 421.50
    assert quote.lodging_total == Decimal("360.00")
    assert quote.meals_total == Decimal("30.35") * 3 + Decimal("28.10") * 3  # 175.35
    assert quote.total == Decimal("956.85")
    assert quote.total == sum(
        (line.amount for line in quote.courses + quote.lodging + quote.meals), Decimal(0)
    )


def test_meals_for_the_whole_stay(base):
    klass = book(base, trainees=5, days=3)
    services.meals_plan_stay(actor=base.actor, public_id=klass.public_id)
    plans = list(selectors.class_meals(klass))
    assert [(p.breakfasts, p.lunches, p.dinners) for p in plans] == [
        (0, 5, 5),
        (5, 5, 5),
        (5, 5, 0),
    ]


# ---------------------------------------------------------------- states


def test_the_class_moves_along_its_machine(base):
    klass = book(base)
    with pytest.raises(DomainError) as exc:
        services.class_transition(actor=base.actor, public_id=klass.public_id, transition="start")
    assert codes(exc) == "invalid_transition"
    for step, status in (
        ("confirm", "confirmed"),
        ("start", "in_progress"),
        ("complete", "completed"),
    ):
        klass = services.class_transition(
            actor=base.actor, public_id=klass.public_id, transition=step
        )
        assert klass.status == status
    with pytest.raises(DomainError) as exc:
        services.lodging_book(actor=base.actor, public_id=klass.public_id, beds=1)
    assert codes(exc) == "class_closed"


def test_cancelling_gives_the_beds_back_and_cancels_the_sessions(base):
    klass = book(base)
    services.session_add(
        actor=base.actor,
        public_id=klass.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
        lecturer_id=base.lecturer.pk,
    )
    services.lodging_book(actor=base.actor, public_id=klass.public_id, beds=2)
    services.class_transition(actor=base.actor, public_id=klass.public_id, transition="cancel")
    assert BedNight.objects.count() == 0
    assert not Session.objects.filter(cancelled=False).exists()


def test_check_in_once_per_trainee_and_only_when_confirmed(base):
    klass = book(base, trainees=2)
    s = services.session_add(
        actor=base.actor,
        public_id=klass.public_id,
        course_id=base.course.pk,
        starts_at=at(START, 9),
    )
    people = services.trainees_add(actor=base.actor, public_id=klass.public_id, names="甲\n乙")
    with pytest.raises(DomainError):
        services.session_check_in(actor=base.actor, session_id=s.pk, trainee_ids=[people[0].pk])
    services.class_transition(actor=base.actor, public_id=klass.public_id, transition="confirm")
    assert (
        services.session_check_in(actor=base.actor, session_id=s.pk, trainee_ids=[people[0].pk])
        == 1
    )
    assert (
        services.session_check_in(
            actor=base.actor, session_id=s.pk, trainee_ids=[p.pk for p in people]
        )
        == 1
    )
    present = [seen is not None for _t, seen in selectors.session_roster(s)]
    assert present == [True, True]


# ---------------------------------------------------------------- permissions and totals


def test_only_training_staff_and_the_admin_reach_the_base(
    base, world, admin, other_admin, worker_a, resident_user, organiser, actor_of
):
    klass = book(base)
    assert selectors.class_get(actor_of(admin), klass.public_id) == klass
    for user in (other_admin, worker_a, resident_user, organiser):
        with pytest.raises(NotFound):
            selectors.class_get(actor_of(user), klass.public_id)
        assert not selectors.class_list(actor_of(user)).exists()
    with pytest.raises(NotFound):
        services.lodging_book(actor=actor_of(other_admin), public_id=klass.public_id, beds=1)
    with pytest.raises(NotFound):
        services.class_create(
            actor=actor_of(worker_a),
            community_id=world.community.id,
            name="班",
            organisation="单位",
            province="江苏省",
            contact_name="李",
            starts_on=START,
            ends_on=START,
            trainee_count=1,
        )


def test_totals_by_year_and_province_count_confirmed_running_and_completed(base):
    a = book(base, trainees=30)
    b = book(base, trainees=20, start=dt.date(2029, 3, 1))
    book(base, trainees=99)  # an enquiry: not counted
    c = book(base, trainees=7)
    for klass in (a, b, c):
        services.class_transition(actor=base.actor, public_id=klass.public_id, transition="confirm")
    services.class_transition(actor=base.actor, public_id=c.public_id, transition="cancel")
    by_year = {r.label: (r.classes, r.visits) for r in selectors.totals_by_year(base.actor)}
    assert by_year == {"2029": (1, 20), "2030": (1, 30)}
    by_province = selectors.totals_by_province(base.actor, year=2030)
    assert [(r.label, r.visits) for r in by_province] == [("江苏省", 30)]


def test_cockpit_figures(base, world):
    from linli.core.hooks import FigureQuery

    klass = book(base, trainees=30)
    services.class_transition(actor=base.actor, public_id=klass.public_id, transition="confirm")
    figures = {
        f.key: f.value
        for f in selectors.cockpit_figures(
            FigureQuery(community_ids=frozenset({world.community.id}), month=dt.date(2030, 1, 1))
        )
    }
    assert figures == {"training.visits_this_year": 30, "training.classes_this_year": 1}
