"""Issue 8 item 4: a resident who moves out loses his household, in the same transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from linli.accounts.models import RoleAssignment
from linli.core.errors import DomainError
from linli.core.models import AuditEvent
from linli.core.roles import Role
from linli.registry.choices import ResidentStatus
from linli.registry.models import Residency, Resident
from linli.registry.services import household_move_out, resident_move_out


def _household_urls(world):
    public_id = world.household_a1.public_id
    return f"/registry/households/{public_id}/", f"/api/registry/households/{public_id}"


def _sees_household(client, world) -> bool:
    page, api = _household_urls(world)
    codes = {client.get(page).status_code, client.get(api).status_code}
    assert len(codes) == 1, codes
    return codes == {200}


def test_a_resident_who_moves_out_loses_his_household(
    world, admin, resident_user, actor_of, client_for
):
    client = client_for(resident_user)
    assert _sees_household(client, world)
    resident_move_out(
        actor=actor_of(admin),
        resident_public_id=world.resident_a1.public_id,
        date=timezone.localdate(),
        reason="other",
    )
    assert not RoleAssignment.objects.filter(user=resident_user).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE)
    assert event.before["role"] == Role.RESIDENT and event.reason == "moved out"
    assert event.actor_id == admin.pk
    assert not _sees_household(client, world)
    page, api = _household_urls(world)
    assert client.get(page).status_code == 404
    assert client.get(api).status_code == 404


def test_a_whole_household_moving_out_ends_its_members_household_role(
    world, admin, resident_user, actor_of, client_for
):
    household_move_out(
        actor=actor_of(admin),
        household_public_id=world.household_a1.public_id,
        date=timezone.localdate(),
        reason="other",
    )
    assert not RoleAssignment.objects.filter(user=resident_user).exists()
    assert not _sees_household(client_for(resident_user), world)


def test_a_refused_move_out_keeps_the_role(world, admin, resident_user, actor_of):
    with pytest.raises(DomainError):
        resident_move_out(
            actor=actor_of(admin),
            resident_public_id=world.resident_a1.public_id,
            date=timezone.localdate() + dt.timedelta(days=1),
            reason="other",
        )
    assert RoleAssignment.objects.filter(user=resident_user, role=Role.RESIDENT).exists()


def test_another_members_move_out_leaves_his_role_alone(world, admin, resident_user, actor_of):
    resident_move_out(
        actor=actor_of(admin),
        resident_public_id=world.resident_a1_child.public_id,
        date=timezone.localdate(),
        reason="other",
    )
    assert RoleAssignment.objects.filter(user=resident_user, role=Role.RESIDENT).exists()


def test_a_household_grant_of_a_member_who_left_gives_nothing(
    world, resident_user, actor_of, client_for
):
    # Defence in depth: the role row is left behind (as if written around the services), but
    # he no longer lives there, so the actor carries no household grant.
    Resident.objects.filter(pk=world.resident_a1.pk).update(status=ResidentStatus.MOVED_OUT)
    Residency.objects.filter(resident=world.resident_a1).update(moved_out=timezone.localdate())
    assert RoleAssignment.objects.filter(user=resident_user).exists()
    actor = actor_of(resident_user)
    assert not any(g.household_id for g in actor.grants)
    assert not _sees_household(client_for(resident_user), world)


def test_a_household_grant_for_another_household_than_his_own_gives_nothing(
    world, resident_user, actor_of
):
    RoleAssignment.objects.create(
        user=resident_user,
        role=Role.RESIDENT,
        household=world.household_a2,
        community=world.community,
    )
    assert {g.household_id for g in actor_of(resident_user).grants} == {world.household_a1.pk}


def test_a_household_grant_of_a_user_without_resident_gives_nothing(world, worker_a, actor_of):
    RoleAssignment.objects.create(
        user=worker_a, role=Role.RESIDENT, household=world.household_a1, community=world.community
    )
    assert not any(g.household_id for g in actor_of(worker_a).grants)
