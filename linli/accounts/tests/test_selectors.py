"""Staff lookups other apps make through accounts.selectors (issue 9 item 5)."""

from __future__ import annotations

from linli.accounts.models import RoleAssignment, User
from linli.accounts.selectors import (
    StaffContact,
    community_staff_labels,
    first_community_admin_id,
    first_grid_worker_id,
    grid_staff_labels,
    grid_worker_contacts,
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
    world, admin, worker_a, worker_b, organiser, care, other_admin
):
    labels = community_staff_labels(
        world.community.id, (Role.GRID_WORKER, Role.COMMUNITY_ADMIN, Role.PARTY_ORGANISER)
    )
    assert labels == [
        (admin.id, "admin · Community admin"),
        (worker_a.id, "worker_a · Grid worker"),
        (worker_b.id, "worker_b · Grid worker"),
        (organiser.id, "organiser · Party organiser"),
    ]


def test_grid_staff_labels_hold_that_grids_workers_and_the_admins(
    world, admin, worker_a, worker_b, other_admin
):
    assert grid_staff_labels(world.community.id, world.grid_a.id) == [
        (admin.id, "admin · Community admin"),
        (worker_a.id, "worker_a · Grid worker"),
    ]
    assert grid_staff_labels(world.community.id, world.grid_a.id, exclude_user_id=worker_a.id) == [
        (admin.id, "admin · Community admin")
    ]
