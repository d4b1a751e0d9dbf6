"""Reads of the station start from the actor's scope: staff of another community, residents
and roles without the station's permissions find nothing; a worker reads only his own reports;
children only through the class staff; the figures count what the station did this month."""

import datetime as dt

import pytest

from linli.core.errors import NotFound
from linli.riders import selectors, services
from linli.riders.tests.conftest import file_report
from linli.testing import assert_constant_queries


def test_the_worker_list_is_the_communitys_and_filters_by_name_platform_and_kind(
    world, admin, other_admin, actor_of, rider, courier
):
    staff = actor_of(admin)
    assert {w.name for w in selectors.worker_list(staff)} == {"张晓", "刘快"}
    assert [w.name for w in selectors.worker_list(staff, q="顺丰")] == ["刘快"]
    assert [w.name for w in selectors.worker_list(staff, kind="rider")] == ["张晓"]
    assert not selectors.worker_list(actor_of(other_admin)).exists()


@pytest.mark.parametrize("persona", ["other_admin", "worker_a", "care", "resident_user"])
def test_a_worker_outside_the_actors_scope_is_not_found(persona, request, actor_of, courier):
    with pytest.raises(NotFound):
        selectors.worker_get(actor_of(request.getfixturevalue(persona)), courier.public_id)


def test_a_worker_reads_his_own_reports_only(
    world, admin, resident_user, neighbour, actor_of, rider
):
    mine = file_report(actor_of(resident_user))
    theirs = file_report(actor_of(neighbour), place="20栋门口")
    rider_actor = actor_of(resident_user)
    assert list(selectors.reports_for_resident(rider_actor)) == [mine]
    assert selectors.report_get(rider_actor, mine.public_id) == mine
    with pytest.raises(NotFound):
        selectors.report_get(rider_actor, theirs.public_id)
    assert {r.place for r in selectors.report_list(actor_of(admin))} == {"12栋楼道", "20栋门口"}
    assert [r.place for r in selectors.report_list(actor_of(admin), status="verified")] == []


def test_only_the_class_staff_read_the_children(
    world, care, admin, organiser, actor_of, rider, summer_class
):
    enrolment = services.enrolment_create(
        actor=actor_of(care),
        class_id=summer_class.id,
        worker_public_id=rider.public_id,
        child_name="张乐",
        child_birth_date=dt.date(2017, 5, 1),
        child_gender="M",
    )
    assert list(selectors.enrolments(actor_of(care), summer_class)) == [enrolment]
    for user in (admin, organiser):
        assert not selectors.enrolments(actor_of(user), summer_class).exists()
        with pytest.raises(NotFound):
            selectors.enrolment_get(actor_of(user), enrolment.public_id)
    # The class itself (dates, places) is for the station and the class staff alike.
    assert selectors.class_get(actor_of(admin), summer_class.id) == summer_class
    assert list(selectors.class_list(actor_of(care))) == [summer_class]


def test_the_station_figures_count_the_months_work(
    world, admin, resident_user, actor_of, rider, courier
):
    staff = actor_of(admin)
    services.visit_record(actor=staff, worker_public_id=courier.public_id, purpose="charging")
    services.meal_record(
        actor=staff, worker_public_id=courier.public_id, meal="lunch", payment="subsidised"
    )
    services.meal_record(
        actor=staff, worker_public_id=rider.public_id, meal="lunch", payment="paid"
    )
    report = file_report(actor_of(resident_user))
    services.report_verify(actor=staff, report_public_id=report.public_id)
    figures = selectors.station_figures(staff, world.community.id)
    assert (figures.workers, figures.riders, figures.couriers, figures.from_registry) == (
        2,
        1,
        1,
        1,
    )
    assert (figures.visits_this_month, figures.meals_this_month) == (1, 2)
    assert figures.subsidised_this_month == 1 and figures.subsidy_yuan_this_month == 7
    assert (figures.reports_total, figures.reports_verified, figures.reports_pending) == (1, 1, 0)


def test_the_worker_list_reads_in_a_constant_number_of_queries(world, admin, actor_of):
    staff = actor_of(admin)
    added = []

    def grow(n):
        while len(added) < n:
            added.append(
                services.worker_register(
                    actor=staff,
                    community_id=world.community.id,
                    kind="rider",
                    platform="饿了么",
                    name=f"骑手{len(added)}",
                    phone=f"1360000{len(added):04d}",
                )
            )

    assert_constant_queries(
        lambda n: [w.shown_phone for w in selectors.worker_list(staff)], [2, 12], setup=grow
    )
