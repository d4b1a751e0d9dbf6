"""Staff lookups other apps make through accounts.selectors (issue 9 item 5)."""

from __future__ import annotations

from linli.accounts.models import RoleAssignment, User
from linli.accounts.selectors import (
    StaffContact,
    actor_for_active_user_id,
    community_staff_labels,
    first_community_admin_id,
    first_grid_worker_id,
    grid_staff_labels,
    grid_worker_contacts,
    staff_contact,
)
from linli.conftest import PASSWORD
from linli.core.roles import Role


def _staff(username: str, role: str, **scope: object) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, display_name=username.upper(), work_phone="0514-1"
    )
    RoleAssignment.objects.create(user=user, role=role, **scope)  # type: ignore[misc]
    return user


def test_first_grid_worker_is_the_earliest_assigned_active_one(world, worker_a):
    second = _staff("second_a", Role.GRID_WORKER, community=world.community, grid=world.grid_a)
    assert first_grid_worker_id(world.grid_a.id) == worker_a.id
    worker_a.is_active = False
    worker_a.save()
    assert first_grid_worker_id(world.grid_a.id) == second.id


def test_a_grid_without_grid_worker_has_none(world, worker_a, admin):
    assert first_grid_worker_id(world.grid_b.id) is None


def test_first_community_admin_skips_inactive_and_other_communities(world, admin, other_admin):
    assert first_community_admin_id(world.community.id) == admin.id
    assert first_community_admin_id(world.other_community.id) == other_admin.id
    admin.is_active = False
    admin.save()
    assert first_community_admin_id(world.community.id) is None


def test_grid_worker_contacts_give_one_worker_per_grid_in_one_query(
    world, worker_a, worker_b, admin, django_assert_num_queries
):
    _staff("later_a", Role.GRID_WORKER, community=world.community, grid=world.grid_a)
    with django_assert_num_queries(1):
        contacts = grid_worker_contacts([world.grid_a.id, world.grid_b.id])
    assert contacts == {
        world.grid_a.id: StaffContact(user_id=worker_a.id, name="worker_a", work_phone=""),
        world.grid_b.id: StaffContact(user_id=worker_b.id, name="worker_b", work_phone=""),
    }
    assert grid_worker_contacts([]) == {}


def test_community_staff_labels_list_each_user_once_with_his_role(
    world, admin, worker_a, worker_b, organiser, care, other_admin, english
):
    labels = community_staff_labels(
        world.community.id, (Role.GRID_WORKER, Role.COMMUNITY_ADMIN, Role.PARTY_ORGANISER)
    )
    assert labels == [
        (admin.id, f"admin · {Role.COMMUNITY_ADMIN.label}"),
        (worker_a.id, f"worker_a · {Role.GRID_WORKER.label}"),
        (worker_b.id, f"worker_b · {Role.GRID_WORKER.label}"),
        (organiser.id, f"organiser · {Role.PARTY_ORGANISER.label}"),
    ]


def test_grid_staff_labels_hold_that_grids_workers_and_the_admins(
    world, admin, worker_a, worker_b, other_admin, english
):
    admin_label = (admin.id, f"admin · {Role.COMMUNITY_ADMIN.label}")
    assert grid_staff_labels(world.community.id, world.grid_a.id) == [
        admin_label,
        (worker_a.id, f"worker_a · {Role.GRID_WORKER.label}"),
    ]
    assert grid_staff_labels(world.community.id, world.grid_a.id, exclude_user_id=worker_a.id) == [
        admin_label
    ]


def test_an_active_user_id_gives_his_actor_and_a_deactivated_one_none(world, worker_a):
    actor = actor_for_active_user_id(worker_a.id)
    assert actor is not None and actor.user_id == worker_a.id
    assert {g.role for g in actor.grants} == {Role.GRID_WORKER}
    assert actor_for_active_user_id(None) is None
    assert actor_for_active_user_id(987654) is None
    worker_a.is_active = False
    worker_a.save()
    assert actor_for_active_user_id(worker_a.id) is None


def test_staff_contact_gives_name_and_work_phone_only(world):
    user = _staff("duty", Role.COMMUNITY_ADMIN, community=world.community)
    assert staff_contact(user.id) == StaffContact(user_id=user.id, name="DUTY", work_phone="0514-1")
    assert staff_contact(None) is None
    assert staff_contact(987654) is None


def test_a_district_viewer_reaches_every_community_of_his_district_only(world, district):
    from linli.registry.models import Community

    elsewhere = Community.objects.create(
        name="别区社区", code="elsewhere", subdistrict="某街道", district="邗江区"
    )
    actor = actor_for_active_user_id(district.id)
    assert actor is not None
    assert actor.community_ids == {world.community.id, world.other_community.id}
    assert elsewhere.id not in actor.community_ids
