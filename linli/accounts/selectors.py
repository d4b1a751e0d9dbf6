"""Reads about accounts: above all, turning a user into the `Actor` the engine understands."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import AnonymousUser

from linli.accounts.models import RoleAssignment, User
from linli.core.permissions import ANONYMOUS, Actor, Grant
from linli.core.roles import ROLE_REACH, Reach
from linli.registry.models import Community, Grid, Household


def actor_for_user(user: User | AnonymousUser) -> Actor:
    """Resolve every role assignment of `user` into grants (three queries at most)."""
    if not user.is_authenticated:
        return ANONYMOUS
    assert isinstance(user, User)
    assignments = list(RoleAssignment.objects.filter(user=user))
    grid_ids = [a.grid_id for a in assignments if a.grid_id]
    grid_community = dict(Grid.objects.filter(id__in=grid_ids).values_list("id", "community_id"))
    household_ids = [a.household_id for a in assignments if a.household_id]
    household_community = dict(
        Household.objects.filter(id__in=household_ids).values_list("id", "community_id")
    )
    subdistricts = {(a.subdistrict, a.district) for a in assignments if a.subdistrict}
    sub_communities: dict[tuple[str, str], set[int]] = defaultdict(set)
    if subdistricts:
        for cid, sub, dist in Community.objects.values_list("id", "subdistrict", "district"):
            if (sub, dist) in subdistricts:
                sub_communities[(sub, dist)].add(cid)

    # Grid workers holding several grids get one grant for all of them.
    grid_grants: dict[str, set[int]] = defaultdict(set)
    grants: list[Grant] = []
    for a in assignments:
        reach = ROLE_REACH[a.role]
        if reach == Reach.GRID and a.grid_id:
            grid_grants[a.role].add(a.grid_id)
        elif reach == Reach.HOUSEHOLD and a.household_id:
            grants.append(
                Grant(
                    role=a.role,
                    community_ids=frozenset({household_community[a.household_id]}),
                    household_id=a.household_id,
                    resident_id=user.resident_id,
                )
            )
        elif reach == Reach.SUBDISTRICT:
            grants.append(
                Grant(
                    role=a.role,
                    community_ids=frozenset(sub_communities[(a.subdistrict, a.district)]),
                )
            )
        elif a.community_id:
            grants.append(Grant(role=a.role, community_ids=frozenset({a.community_id})))
    for role, ids in grid_grants.items():
        grants.append(
            Grant(
                role=role,
                community_ids=frozenset(grid_community[i] for i in ids),
                grid_ids=frozenset(ids),
            )
        )
    return Actor(
        user_id=user.pk,
        label=str(user),
        grants=tuple(grants),
        is_superuser=user.is_superuser,
    )
