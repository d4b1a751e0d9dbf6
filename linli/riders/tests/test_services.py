"""The station's services: registration keeps outsiders' phones protected, a meal counts once,
the summer class fills then waits, safety reports become Community 110 requests and pay points
once verified."""

import datetime as dt

import pytest

from linli.core import pii
from linli.core.errors import Conflict, DomainError, NotFound
from linli.hotline.models import ServiceRequest
from linli.riders import services
from linli.riders.tests.conftest import make_photo
from linli.volunteers.models import PointsAccount, PointsEntry


def test_an_outside_courier_keeps_his_phone_encrypted_and_masked(courier):
    assert courier.phone_masked == "136****6666"
    assert pii.decrypt(courier.phone_encrypted) == "13655556666"
    assert courier.resident_id is None


def test_a_resident_is_registered_once(world, admin, actor_of, rider):
    with pytest.raises(DomainError) as exc:
        services.worker_register(
            actor=actor_of(admin),
            community_id=world.community.id,
            kind="driver",
            platform="滴滴",
            resident_public_id=world.resident_a1.public_id,
        )
    assert exc.value.code == "worker_registered"


def test_only_the_admin_registers_workers(world, organiser, actor_of):
    with pytest.raises(NotFound):
        services.worker_register(
            actor=actor_of(organiser),
            community_id=world.community.id,
            kind="rider",
            platform="美团",
            name="x",
            phone="13655557777",
        )


def test_a_meal_is_recorded_once_per_sitting(admin, actor_of, courier):
    actor = actor_of(admin)
    meal = services.meal_record(
        actor=actor, worker_public_id=courier.public_id, meal="lunch", payment="subsidised"
    )
    assert str(meal.price) == "8.00"
    with pytest.raises(Conflict):
        services.meal_record(
            actor=actor, worker_public_id=courier.public_id, meal="lunch", payment="paid"
        )
    services.visit_record(actor=actor, worker_public_id=courier.public_id, purpose="charging")


def test_the_summer_class_fills_then_waits_and_a_withdrawal_promotes(
    care, actor_of, summer_class, rider, courier
):
    staff = actor_of(care)
    first = services.enrolment_create(
        actor=staff,
        class_id=summer_class.id,
        worker_public_id=rider.public_id,
        child_name="张乐",
        child_birth_date=dt.date(2017, 5, 1),
        child_gender="M",
        notes="花生过敏",
    )
    second = services.enrolment_create(
        actor=staff,
        class_id=summer_class.id,
        worker_public_id=courier.public_id,
        child_name="刘欢",
        child_birth_date=dt.date(2018, 2, 3),
        child_gender="F",
    )
    assert (first.status, second.status) == ("enrolled", "waitlisted")
    services.enrolment_withdraw(actor=staff, enrolment_public_id=first.public_id)
    second.refresh_from_db()
    summer_class.refresh_from_db()
    assert second.status == "enrolled" and summer_class.enrolled == 1


def test_only_the_class_staff_enrol_children(admin, organiser, actor_of, summer_class, rider):
    for user in (admin, organiser):
        with pytest.raises(NotFound):
            services.enrolment_create(
                actor=actor_of(user),
                class_id=summer_class.id,
                worker_public_id=rider.public_id,
                child_name="张乐",
                child_birth_date=dt.date(2017, 5, 1),
                child_gender="M",
            )


def test_a_report_from_the_phone_becomes_a_community_110_request(
    world, resident_user, actor_of, rider
):
    report = services.report_file(
        actor=actor_of(resident_user),
        category="fire",
        place="12栋楼道",
        description="楼道里有人给电动车充电",
        photo=make_photo(),
    )
    assert report.status == "forwarded" and report.hotline_number
    request = ServiceRequest.objects.get(public_id=report.hotline_request_id)
    assert request.channel == "safety_outpost"
    assert request.category.code == "safety_hazard"
    assert request.location_text == "12栋楼道"
    assert "电动车" in request.description
    assert request.photos.count() == 1


def test_a_resident_who_is_not_a_worker_cannot_file(world, resident_user, actor_of):
    with pytest.raises(NotFound):
        services.report_file(
            actor=actor_of(resident_user), category="fire", place="x", description="y"
        )


def test_a_verified_report_pays_points_once_and_a_rejected_one_none(
    world, admin, resident_user, actor_of, rider, english
):
    file = lambda: services.report_file(  # noqa: E731
        actor=actor_of(resident_user), category="road", place="文昌路", description="井盖缺失"
    )
    report = file()
    staff = actor_of(admin)
    done = services.report_verify(actor=staff, report_public_id=report.public_id)
    assert done.status == "verified" and done.points == 20
    account = PointsAccount.objects.get(resident=world.resident_a1)
    assert account.balance == 20
    with pytest.raises(DomainError):
        services.report_verify(actor=staff, report_public_id=report.public_id)
    other = file()
    with pytest.raises(DomainError):
        services.report_reject(actor=staff, report_public_id=other.public_id, reason=" ")
    rejected = services.report_reject(actor=staff, report_public_id=other.public_id, reason="重复")
    assert rejected.status == "rejected"
    assert PointsEntry.objects.filter(account=account).count() == 1


def test_a_report_community_110_refuses_waits_and_is_forwarded_later(
    world, resident_user, actor_of, rider, monkeypatch
):
    from linli.hotline.models import Category
    from linli.hotline.selectors import CATEGORIES

    services.report_file(
        actor=actor_of(resident_user), category="road", place="a", description="b"
    )  # installs the catalogue
    # Switched off and on by hand, which the app servers' memory of categories must be told.
    Category.objects.filter(community=world.community, code="safety_hazard").update(active=False)
    CATEGORIES.changed()
    report = services.report_file(
        actor=actor_of(resident_user), category="road", place="文昌路", description="井盖缺失"
    )
    assert report.status == "not_forwarded" and report.forward_error
    Category.objects.filter(community=world.community, code="safety_hazard").update(active=True)
    CATEGORIES.changed()
    from linli.core.permissions import Actor

    assert services.reports_forward_pending(actor=Actor(user_id=None, label="riders")) == 1
    report.refresh_from_db()
    assert report.status == "forwarded" and report.hotline_number


def test_an_outside_workers_reports_pay_into_one_account_opened_by_the_ledger(
    world, admin, actor_of, rider, courier
):
    staff = actor_of(admin)
    for place in ("文昌路", "曲江路"):
        report = services.report_file(
            actor=staff,
            worker_public_id=courier.public_id,
            category="road",
            place=place,
            description="井盖缺失",
        )
        services.report_verify(actor=staff, report_public_id=report.public_id)
    courier.refresh_from_db()
    account = PointsAccount.objects.get(pk=courier.points_account_id)
    assert account.name == "刘快" and account.resident_id is None and account.balance == 40
    assert PointsAccount.objects.filter(name="刘快").count() == 1
