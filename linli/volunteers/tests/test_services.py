"""Organisations, volunteers and activities: the pipeline follows its state machine, sign-up
respects capacity and the waiting list, hours are capped and become points once confirmed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from linli.core import pii
from linli.core.errors import Conflict, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.volunteers import points, services
from linli.volunteers.choices import OrgStage, SignupStatus
from linli.volunteers.models import PointsEntry, PointsPolicy, Volunteer


def test_an_organisation_moves_through_incubation_with_dates(admin, actor_of, world):
    actor = actor_of(admin)
    org = services.organisation_create(
        actor=actor,
        community_id=world.community.id,
        name="文昌乐龄服务社",
        org_type="service",
        guiding_party_org="文昌花园社区党委",
        applied_on=dt.date(2024, 3, 1),
    )
    org = services.organisation_advance(
        actor=actor, organisation_id=org.id, to_stage="incubating", on=dt.date(2024, 4, 1)
    )
    org = services.organisation_advance(
        actor=actor, organisation_id=org.id, to_stage="registered", on=dt.date(2024, 9, 1)
    )
    assert org.stage == OrgStage.REGISTERED
    assert (org.incubating_on, org.registered_on) == (dt.date(2024, 4, 1), dt.date(2024, 9, 1))
    with pytest.raises(DomainError) as exc:
        services.organisation_advance(actor=actor, organisation_id=org.id, to_stage="applied")
    assert exc.value.code == "invalid_transition"
    assert AuditEvent.objects.filter(object_type="volunteers.socialorganisation").count() == 3


def test_only_the_admin_runs_the_pipeline(organiser, actor_of, world):
    with pytest.raises(NotFound):
        services.organisation_create(
            actor=actor_of(organiser),
            community_id=world.community.id,
            name="x",
            org_type="service",
            guiding_party_org="党委",
        )


def test_a_volunteer_from_outside_keeps_his_phone_encrypted_and_masked(admin, actor_of, world):
    volunteer = services.volunteer_register(
        actor=actor_of(admin), community_id=world.community.id, name="周强", phone="13912345678"
    )
    assert volunteer.phone_masked == "139****5678"
    assert "13912345678" not in volunteer.phone_encrypted
    assert pii.decrypt(volunteer.phone_encrypted) == "13912345678"
    with pytest.raises(DomainError) as exc:
        services.volunteer_register(
            actor=actor_of(admin), community_id=world.community.id, name="周", phone="13912345678"
        )
    assert exc.value.code == "already_volunteer"
    event = AuditEvent.objects.get(object_type="volunteers.volunteer")
    assert "13912345678" not in str(event.after)


def test_a_resident_is_registered_once(admin, actor_of, world):
    actor = actor_of(admin)
    v = services.volunteer_register(
        actor=actor, community_id=world.community.id, resident_public_id=world.resident_b1.public_id
    )
    assert v.name == "王建国" and v.number.startswith("ZY")
    with pytest.raises(DomainError):
        services.volunteer_register(
            actor=actor,
            community_id=world.community.id,
            resident_public_id=world.resident_b1.public_id,
        )


def test_signing_up_fills_the_places_then_the_waiting_list_and_a_cancellation_promotes(
    activity, resident_user, actor_of, world, admin
):
    from linli.volunteers.tests.test_concurrency import make_residents

    actors = [actor_of(resident_user), *make_residents(world, 2)]
    first, second, third = (
        services.activity_signup(actor=a, activity_id=activity.id, register_as_volunteer=True)
        for a in actors
    )
    assert [s.status for s in (first, second, third)] == ["signed_up", "signed_up", "waitlisted"]
    with pytest.raises(Conflict):
        services.activity_signup(
            actor=actors[0], activity_id=activity.id, register_as_volunteer=True
        )
    services.signup_cancel(actor=actors[0], signup_public_id=first.public_id)
    third.refresh_from_db()
    activity.refresh_from_db()
    assert third.status == SignupStatus.SIGNED_UP
    assert activity.seats_taken == 2


def test_a_resident_becomes_a_volunteer_only_when_he_asks(activity, resident_user, actor_of, world):
    """No silent side effect: signing up for a volunteer activity without asking to register
    is refused and registers nobody; asking registers him and takes the place."""
    with pytest.raises(DomainError) as exc:
        services.activity_signup(actor=actor_of(resident_user), activity_id=activity.id)
    assert exc.value.code == "not_a_volunteer"
    assert not Volunteer.objects.filter(resident=world.resident_a1).exists()
    services.activity_signup(
        actor=actor_of(resident_user), activity_id=activity.id, register_as_volunteer=True
    )
    assert Volunteer.objects.get(resident=world.resident_a1).account.resident_id == (
        world.resident_a1.id
    )


def test_a_residents_activity_uses_the_same_engine_without_making_volunteers(
    resident_user, organiser, actor_of, world
):
    """Capacity, waiting list and check-in of a residents' activity run through the same
    services; nobody becomes a volunteer and no hours can be confirmed."""
    start = timezone.now() + dt.timedelta(days=2)
    lecture = services.residents_activity_open(
        actor=actor_of(organiser),
        community_id=world.community.id,
        title="健康讲座",
        place="睦邻会馆",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=1,
    )
    mine = services.activity_signup(actor=actor_of(resident_user), activity_id=lecture.id)
    assert (mine.status, mine.volunteer_id, mine.resident_id) == (
        SignupStatus.SIGNED_UP,
        None,
        world.resident_a1.id,
    )
    assert not Volunteer.objects.exists()
    with pytest.raises(DomainError) as exc:
        services.activity_signup(actor=actor_of(resident_user), activity_id=lecture.id)
    assert exc.value.code == "already_signed_up"
    services.signup_check_in(actor=actor_of(organiser), signup_public_id=mine.public_id)
    services.signup_check_out(actor=actor_of(organiser), signup_public_id=mine.public_id)
    with pytest.raises(DomainError) as exc:
        services.signup_confirm(actor=actor_of(organiser), signup_public_id=mine.public_id)
    assert exc.value.code == "invalid_transition"


def test_hours_are_computed_capped_and_become_points_when_confirmed(
    activity, resident_user, organiser, actor_of, world
):
    PointsPolicy.objects.create(community=world.community, points_per_hour=10)
    signup = services.activity_signup(
        actor=actor_of(resident_user), activity_id=activity.id, register_as_volunteer=True
    )
    org = actor_of(organiser)
    start = activity.starts_at
    services.signup_check_in(actor=org, signup_public_id=signup.public_id, at=start)
    services.signup_check_out(
        actor=org, signup_public_id=signup.public_id, at=start + dt.timedelta(hours=3, minutes=10)
    )
    confirmed = services.signup_confirm(actor=org, signup_public_id=signup.public_id)
    # Scheduled for two hours: three hours of presence count as two.
    assert confirmed.hours == Decimal("2.00")
    volunteer = Volunteer.objects.get(resident=world.resident_a1)
    assert volunteer.hours_total == Decimal("2.00")
    assert volunteer.account.balance == 20
    entry = PointsEntry.objects.get(account=volunteer.account)
    assert entry.kind == "hours" and entry.ref == f"signup:{signup.public_id}"
    with pytest.raises(DomainError):
        services.signup_confirm(actor=org, signup_public_id=signup.public_id)


def test_the_organiser_may_correct_hours_but_not_above_the_cap(
    activity, resident_user, organiser, actor_of
):
    signup = services.activity_signup(
        actor=actor_of(resident_user), activity_id=activity.id, register_as_volunteer=True
    )
    org = actor_of(organiser)
    services.signup_check_in(actor=org, signup_public_id=signup.public_id)
    services.signup_check_out(actor=org, signup_public_id=signup.public_id)
    with pytest.raises(DomainError) as exc:
        services.signup_confirm(actor=org, signup_public_id=signup.public_id, hours=Decimal(5))
    assert exc.value.code == "invalid_number"
    done = services.signup_confirm(
        actor=org, signup_public_id=signup.public_id, hours=Decimal("1.5")
    )
    assert done.hours == Decimal("1.50")


def test_someone_elses_organiser_cannot_check_in(activity, resident_user, volunteer, actor_of):
    signup = services.activity_signup(
        actor=actor_of(resident_user), activity_id=activity.id, register_as_volunteer=True
    )
    with pytest.raises(NotFound):
        services.signup_check_in(actor=actor_of(volunteer), signup_public_id=signup.public_id)
    with pytest.raises(NotFound):
        services.signup_check_in(actor=actor_of(resident_user), signup_public_id=signup.public_id)


def test_the_admin_runs_every_activity_of_the_community(
    activity, resident_user, admin, volunteer, actor_of
):
    """The admin checks in at an activity someone else organised; a team leader who did not
    organise it cannot even find the sign-up."""
    assert activity.organiser_id != admin.id
    signup = services.activity_signup(
        actor=actor_of(resident_user), activity_id=activity.id, register_as_volunteer=True
    )
    with pytest.raises(NotFound):
        services.signup_check_in(actor=actor_of(volunteer), signup_public_id=signup.public_id)
    at = timezone.now()
    checked = services.signup_check_in(
        actor=actor_of(admin), signup_public_id=signup.public_id, at=at
    )
    assert checked.status == SignupStatus.CHECKED_IN and checked.checked_in_at == at


def test_qr_check_in_and_out_with_the_activitys_code(activity, resident_user, actor_of):
    actor = actor_of(resident_user)
    services.activity_signup(actor=actor, activity_id=activity.id, register_as_volunteer=True)
    with pytest.raises(NotFound):
        services.signup_self_check(actor=actor, activity_id=activity.id, token="wrong")
    s = services.signup_self_check(
        actor=actor, activity_id=activity.id, token=activity.checkin_token
    )
    assert s.status == "checked_in"
    s = services.signup_self_check(
        actor=actor, activity_id=activity.id, token=activity.checkin_token
    )
    assert s.status == "checked_out"


def test_sign_up_closes_when_the_activity_has_started(activity, resident_user, actor_of):
    with pytest.raises(DomainError) as exc:
        services.activity_signup(
            actor=actor_of(resident_user),
            activity_id=activity.id,
            at=activity.starts_at + dt.timedelta(minutes=1),
        )
    assert exc.value.code == "signup_closed"


def test_activity_in_another_community_is_not_found(activity, other_admin, actor_of):
    with pytest.raises(NotFound):
        services.activity_set_status(
            actor=actor_of(other_admin), activity_id=activity.id, to_status="closed"
        )


def test_posting_an_activity_makes_the_poster_its_organiser(volunteer, actor_of, world):
    start = timezone.now() + dt.timedelta(days=1)
    a = services.activity_create(
        actor=actor_of(volunteer),
        community_id=world.community.id,
        title="义诊",
        place="党群服务中心",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        capacity=10,
    )
    assert a.organiser_id == volunteer.id
    with pytest.raises(DomainError):
        services.activity_create(
            actor=actor_of(volunteer),
            community_id=world.community.id,
            title="x",
            place="y",
            starts_at=start,
            ends_at=start,
            capacity=1,
        )


def test_points_policy_defaults_exist(world):
    policy = points.policy_for(world.community.id)
    assert policy.points_per_hour == 10 and policy.expiry_months is None


def test_every_sign_up_move_goes_through_the_state_table(
    activity, resident_user, organiser, actor_of, monkeypatch
):
    """SIGNUP_MACHINE is the machine: take check-in out of it and check-in is refused."""
    from linli.volunteers.choices import SIGNUP_MACHINE, SignupTransition

    signup = services.activity_signup(
        actor=actor_of(resident_user), activity_id=activity.id, register_as_volunteer=True
    )
    monkeypatch.setitem(SIGNUP_MACHINE.allowed_from, SignupTransition.CHECK_IN, ())
    with pytest.raises(DomainError) as exc:
        services.signup_check_in(actor=actor_of(organiser), signup_public_id=signup.public_id)
    assert exc.value.code == "invalid_transition"
    signup.refresh_from_db()
    assert signup.status == SignupStatus.SIGNED_UP


def test_a_qr_scan_after_check_out_is_refused_by_the_table(activity, resident_user, actor_of):
    actor = actor_of(resident_user)
    services.activity_signup(actor=actor, activity_id=activity.id, register_as_volunteer=True)
    for _scan in range(2):
        services.signup_self_check(
            actor=actor, activity_id=activity.id, token=activity.checkin_token
        )
    with pytest.raises(DomainError) as exc:
        services.signup_self_check(
            actor=actor, activity_id=activity.id, token=activity.checkin_token
        )
    assert exc.value.code == "invalid_transition"


def test_an_outsider_gets_his_points_account_from_the_ledger(admin, actor_of, world):
    volunteer = services.volunteer_register(
        actor=actor_of(admin), community_id=world.community.id, name="钱多", phone="13611112222"
    )
    assert volunteer.account.name == "钱多" and volunteer.account.resident_id is None
    assert volunteer.account.community_id == world.community.id
