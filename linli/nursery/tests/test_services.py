"""Enrolment with consent first, age bands, capacity and the waiting list, checks, pickups
(refusal logged and guardians told), absences, the ratio at each band's boundary, privacy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from linli.accounts.selectors import actor_for_user
from linli.core import dates, notify
from linli.core.errors import DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.notify import Message
from linli.nursery import selectors, services
from linli.nursery.choices import BAND_RULES, Band, ChildStatus
from linli.nursery.models import Attendance, Child, PickupPerson, PickupRefusal
from linli.nursery.tests.conftest import TEMP, baby, enrol
from linli.testing.factories import HouseholdFactory, ResidentFactory


def test_consent_is_required_before_anything_is_kept(world, carer_actor, toddlers):
    child = baby(world.household_a1, 14)
    with pytest.raises(DomainError) as exc:
        services.child_enrol(
            actor=carer_actor,
            class_id=toddlers.id,
            resident_public_id=child.public_id,
            start_date=dates.local_today(),
            consent_by_public_id=world.resident_a1_child.public_id,
            consent_given=False,
            health_checked_on=dates.local_today(),
            health_clinic="x",
            health_result="fit",
            allergies="花生",
        )
    assert exc.value.code == "consent_required"
    assert not Child.objects.exists()
    assert not PickupPerson.objects.exists()


def test_enrolment_records_who_agreed_when_and_to_what(world, enrolled):
    assert enrolled.consent_by_id == world.resident_a1_child.id
    assert enrolled.consent_at is not None
    assert "同意" in enrolled.consent_text
    assert enrolled.status == ChildStatus.ENROLLED and enrolled.seat == 1
    guardian = PickupPerson.objects.get(child=enrolled)
    assert guardian.is_guardian and guardian.phone_masked == "138****0002"


def test_a_four_year_old_is_refused_and_nothing_written(world, carer_actor, toddlers):
    child = baby(world.household_a1, 48)
    with pytest.raises(DomainError) as exc:
        enrol(carer_actor, toddlers, child, world.resident_a1_child)
    assert exc.value.code == "age_out_of_band"
    assert not Child.objects.exists()


@pytest.mark.parametrize(
    ("band", "months", "ok"),
    [
        (Band.INFANT, 5, False),
        (Band.INFANT, 6, True),
        (Band.INFANT, 12, False),
        (Band.TODDLER, 12, True),
        (Band.TODDLER, 24, False),
        (Band.OLDER, 35, True),
        (Band.OLDER, 36, False),
        (Band.MIXED, 17, False),
        (Band.MIXED, 18, True),
    ],
)
def test_age_is_checked_against_the_band_on_the_start_date(world, admin_actor, band, months, ok):
    cls = services.class_open(
        actor=admin_actor, community_id=world.community.id, name="班", band=band
    )
    today = dates.local_today()
    child = ResidentFactory.create(
        household=world.household_a1, birth_date=dates.add_months(today, -months)
    )
    if ok:
        assert enrol(admin_actor, cls, child, world.resident_a1_child).child.pk
    else:
        with pytest.raises(DomainError):
            enrol(admin_actor, cls, child, world.resident_a1_child)


def test_a_class_larger_than_its_band_allows_cannot_be_opened(world, admin_actor):
    with pytest.raises(DomainError) as exc:
        services.class_open(
            actor=admin_actor,
            community_id=world.community.id,
            name="大",
            band=Band.INFANT,
            capacity=11,
        )
    assert exc.value.code == "class_too_large"


def test_a_full_class_puts_the_next_child_on_the_waiting_list(world, admin_actor):
    cls = services.class_open(
        actor=admin_actor, community_id=world.community.id, name="小", band=Band.TODDLER, capacity=2
    )
    results = []
    for i in range(3):
        household = HouseholdFactory.create(unit=world.unit_a, room=f"5{i}1")
        parent = ResidentFactory.create(household=household, birth_date=dt.date(1995, 1, 1))
        results.append(enrol(admin_actor, cls, baby(household, 15, f"宝{i}"), parent))
    assert [r.waiting for r in results] == [False, False, True]
    services.child_leave(
        actor=admin_actor, public_id=results[0].child.public_id, on=dates.local_today()
    )
    admitted = services.child_admit(actor=admin_actor, public_id=results[2].child.public_id)
    assert admitted.status == ChildStatus.ENROLLED and admitted.seat == 1


def test_morning_and_noon_checks_then_pickup_by_a_listed_person(world, carer_actor, enrolled):
    services.morning_check(
        actor=carer_actor,
        public_id=enrolled.public_id,
        temperature=TEMP,
        hands_mouth_ok=True,
        mood="good",
    )
    services.noon_check(actor=carer_actor, public_id=enrolled.public_id, temperature=TEMP, ok=True)
    person = PickupPerson.objects.get(child=enrolled)
    row = services.pickup_record(
        actor=carer_actor, public_id=enrolled.public_id, person_id=person.id
    )
    assert row.picked_up_by == person and row.picked_up_at is not None
    assert row.morning_temperature == TEMP and row.noon_ok


def test_an_unlisted_person_is_refused_logged_and_the_guardians_told(
    world, carer_actor, enrolled, resident_user, monkeypatch
):
    sent: list[Message] = []
    monkeypatch.setattr(notify, "_SINKS", [sent.append])
    # The household's account: 张晓 (resident_a1) is not the guardian; give the guardian one.
    from linli.accounts.models import User

    guardian_user = User.objects.create_user(
        username="g", password="x", resident=world.resident_a1_child
    )
    services.morning_check(
        actor=carer_actor,
        public_id=enrolled.public_id,
        temperature=TEMP,
        hands_mouth_ok=True,
        mood="good",
    )
    with pytest.raises(DomainError) as exc:
        services.pickup_record(
            actor=carer_actor, public_id=enrolled.public_id, name="陌生人", phone="13912345678"
        )
    assert exc.value.code == "pickup_refused"
    refusal = PickupRefusal.objects.get()
    assert refusal.person_name == "陌生人" and refusal.phone_masked == "139****5678"
    assert Attendance.objects.get().picked_up_at is None
    assert sent and sent[0].kind == "nursery.pickup_refused"
    assert guardian_user.id in sent[0].user_ids
    # a listed person of another child is refused too
    other = PickupPerson.objects.create(child=enrolled, name="x", relation="y", active=False)
    with pytest.raises(DomainError):
        services.pickup_record(
            actor=carer_actor, public_id=enrolled.public_id, person_id=other.id, name="x"
        )
    assert PickupRefusal.objects.count() == 2


def test_a_guardian_marks_an_absence_and_adds_a_pickup_person(world, enrolled, resident_user):
    guardian = actor_for_user(resident_user)
    row = services.absence_mark(
        actor=guardian, public_id=enrolled.public_id, day=dates.local_today(), reason="感冒"
    )
    assert row.absence_by_guardian and row.presence == "absent"
    person = services.pickup_person_add(
        actor=guardian,
        public_id=enrolled.public_id,
        name="王阿姨",
        relation="保姆",
        phone="13611112222",
    )
    assert person.phone_masked == "136****2222"
    with pytest.raises(DomainError):
        services.absence_mark(
            actor=guardian,
            public_id=enrolled.public_id,
            day=dates.local_today() - dt.timedelta(days=1),
        )


@pytest.mark.parametrize("band", list(Band))
def test_ratio_boundary_of_each_band(band):
    per = BAND_RULES[band].children_per_carer
    assert selectors.in_ratio(per, 1, per)
    assert not selectors.in_ratio(per + 1, 1, per)
    assert selectors.in_ratio(per + 1, 2, per)
    assert selectors.carers_needed(per, per) == 1
    assert selectors.carers_needed(per + 1, per) == 2
    assert selectors.in_ratio(0, 0, per)


def test_day_board_goes_red_when_out_of_ratio(world, admin_actor, carer, carer_actor):
    cls = services.class_open(
        actor=admin_actor, community_id=world.community.id, name="乳儿班", band=Band.INFANT
    )
    kids = []
    for i in range(4):
        household = HouseholdFactory.create(unit=world.unit_a, room=f"6{i}1")
        parent = ResidentFactory.create(household=household, birth_date=dt.date(1995, 1, 1))
        kids.append(enrol(admin_actor, cls, baby(household, 8, f"宝{i}"), parent).child)
    today = dates.local_today()
    services.roster_set(
        actor=admin_actor, class_id=cls.id, day=today, carers=[(carer.id, "李老师")]
    )
    for k in kids[:3]:
        services.morning_check(
            actor=carer_actor,
            public_id=k.public_id,
            temperature=TEMP,
            hands_mouth_ok=True,
            mood="good",
        )
    (day,) = selectors.day_board(admin_actor, today)
    assert (day.present, len(day.carers), day.ok) == (3, 1, True)
    services.morning_check(
        actor=carer_actor,
        public_id=kids[3].public_id,
        temperature=TEMP,
        hands_mouth_ok=True,
        mood="good",
    )
    (day,) = selectors.day_board(admin_actor, today)
    assert (day.present, day.needed, day.ok) == (4, 2, False)


def test_staff_reads_are_audited_guardian_reads_are_not(
    world, carer_actor, enrolled, resident_user
):
    services.child_open(actor=carer_actor, public_id=enrolled.public_id)
    assert AuditEvent.objects.filter(action="reveal", field="child_record").count() == 1
    services.child_open(actor=actor_for_user(resident_user), public_id=enrolled.public_id)
    assert AuditEvent.objects.filter(action="reveal", field="child_record").count() == 1


@pytest.mark.parametrize(
    "persona",
    [
        "worker_a",
        "worker_b",
        "organiser",
        "care",
        "volunteer",
        "viewer",
        "other_admin",
        "lead",
        "district",
    ],
)
def test_no_one_else_reads_a_child(world, enrolled, persona, request):
    actor = actor_for_user(request.getfixturevalue(persona))
    with pytest.raises(NotFound):
        services.child_open(actor=actor, public_id=enrolled.public_id)
    assert selectors.child_list(actor).count() == 0


def test_grid_worker_sees_only_that_the_household_has_a_child(world, enrolled, worker_a, worker_b):
    from linli.nursery.hooks import panel_context

    ctx = panel_context(actor_for_user(worker_a), world.resident_a1.id)
    assert ctx == {"details": [], "enrolled": True}
    assert panel_context(actor_for_user(worker_b), world.resident_a1.id) is None


def test_temperature_out_of_range_is_refused(world, carer_actor, enrolled):
    with pytest.raises(DomainError):
        services.morning_check(
            actor=carer_actor,
            public_id=enrolled.public_id,
            temperature=Decimal("45.0"),
            hands_mouth_ok=True,
            mood="good",
        )
    assert not Attendance.objects.exists()
