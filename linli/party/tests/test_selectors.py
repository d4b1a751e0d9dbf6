"""Reads: suggestions by nearness and the coverage figures, checked against direct counts."""

from __future__ import annotations

from django.db.models import Count, Q

from linli.core.dates import local_today
from linli.party import selectors, services
from linli.party.choices import Nearness, Relation
from linli.party.models import HouseholdLink, Member, MemberLink
from linli.registry.models import Building, Household, Unit
from linli.testing.world import PERSONAS, make_persona


def _home(unit: Unit, room: str) -> Household:
    return Household.objects.create(
        community_id=unit.building.community_id,
        building=unit.building,
        unit=unit,
        room=room,
        floor=int(room[:-2]),
        tenure="owner",
    )


def test_suggestions_put_the_same_staircase_first_then_the_building_then_the_grid(
    world, party, organiser, actor_of
):
    actor = actor_of(organiser)
    other_unit = Unit.objects.create(building=world.building_a, number=3)
    other_building = Building.objects.create(
        community=world.community, grid=world.grid_a, number="13", floors=6
    )
    far_unit = Unit.objects.create(building=other_building, number=1)
    same_grid = _home(far_unit, "101")
    same_building = _home(other_unit, "301")
    upstairs = _home(world.unit_a, "601")
    suggested = list(selectors.suggest_households(actor, party.central))
    # A2 (same unit, same floor) and the flat upstairs, then the other unit, then building 13;
    # grid B's household is never suggested and A1 is the central household's own home.
    assert [h.pk for h in suggested] == [
        world.household_a2.pk,
        upstairs.pk,
        same_building.pk,
        same_grid.pk,
    ]
    assert [h.nearness for h in suggested] == [  # type: ignore[attr-defined]
        Nearness.SAME_UNIT,
        Nearness.SAME_UNIT,
        Nearness.SAME_BUILDING,
        Nearness.SAME_GRID,
    ]
    HouseholdLink.objects.create(
        central=party.central, household=world.household_a2, linked_on=local_today()
    )
    assert world.household_a2 not in list(selectors.suggest_households(actor, party.central))


def test_member_suggestions_are_nearest_first_and_skip_linked_members(
    world, party, organiser, actor_of
):
    actor = actor_of(organiser)
    MemberLink.objects.create(central=party.central, member=party.m_a1, linked_on=local_today())
    names = [m.display_name for m in selectors.suggest_members(actor, party.central)]
    assert names == ["李芳", "王建国", "钱多多"]  # same unit, grid B, non-resident


def test_coverage_matches_the_database(world, party, organiser, actor_of):
    actor = actor_of(organiser)
    services.central_link_household(
        actor=actor,
        central_public_id=party.central.public_id,
        household_public_id=world.household_a2.public_id,
    )
    MemberLink.objects.create(central=party.central, member=party.m_a1, linked_on=local_today())
    # links that have ended leave their household and member unlinked
    today = local_today()
    HouseholdLink.objects.create(
        central=party.central, household=world.household_b1, linked_on=today, ended_on=today
    )
    ended_member = next(
        m for m in Member.objects.filter(community=world.community).exclude(pk=party.m_a1.pk)
    )
    MemberLink.objects.create(
        central=party.central, member=ended_member, linked_on=today, ended_on=today
    )
    figures = selectors.coverage(actor, world.community.pk)
    households = Household.objects.filter(community=world.community, status="active")
    linked = HouseholdLink.objects.filter(ended_on__isnull=True).values("household")
    members = Member.objects.filter(community=world.community, relation=Relation.ACTIVE)
    assert figures.households == households.count() == 3
    assert figures.households_unlinked == households.exclude(pk__in=linked).count() == 2
    assert figures.members == members.count() == 4
    assert (
        figures.members_unlinked
        == members.exclude(
            pk__in=MemberLink.objects.filter(ended_on__isnull=True).values("member")
        ).count()
        == 3
    )
    assert figures.central_households == 1
    assert figures.weak_central_households == 1  # 1 member and 1 household, far below the mark
    assert {h.pk for h in selectors.unlinked_households(actor, world.community.pk)} == {
        world.household_a1.pk,
        world.household_b1.pk,
    }


def test_a_grid_worker_sees_the_coverage_of_her_grid_only(world, party, worker_b, actor_of):
    figures = selectors.coverage(actor_of(worker_b), world.community.pk)
    assert (figures.households, figures.members, figures.central_households) == (1, 1, 0)


def test_the_tree_read_once_compiled_is_what_the_querysets_read_for_every_persona(
    world, party, actor_of
):
    """org_tree reads organisations and offices through statements compiled per actor scope
    and builds the instances itself; each persona gets what the scoped querysets give."""

    def flat(nodes):
        for node in nodes:
            yield node
            yield from flat(node.children)

    trees = {}
    for name in PERSONAS:
        actor = actor_of(make_persona(name, world))
        tree = trees[name] = selectors.org_tree(actor, world.community)
        nodes = list(flat([tree.committee] if tree.committee else []))
        nodes += list(flat(tree.grid_branches)) + list(flat(tree.themed_branches))
        orgs = selectors.organisations(actor, world.community.id).annotate(
            member_count=Count("members", filter=Q(members__relation=Relation.ACTIVE))
        )
        want = {
            o.id: (o.kind, o.name, o.grid.number if o.grid else None, o.member_count)
            for o in orgs.select_related("grid")
        }
        got = {
            n.org.id: (n.org.kind, n.org.name, n.org.grid.number if n.org.grid else None, n.members)
            for n in nodes
        }
        # building groups appear only under a branch the persona sees
        assert got.items() <= want.items(), name
        assert {k for k, v in want.items() if v[0] != "building_group"} <= set(got), name
        offices = selectors.active_offices(actor, list(want))
        want_offices = {
            o.id: (o.organisation_id, o.role, o.member.display_name, o.member.public_id)
            for o in offices
            if o.organisation_id in got
        }
        got_offices = {
            o.id: (o.organisation_id, o.role, o.member.display_name, o.member.public_id)
            for n in nodes
            for o in n.offices
        }
        assert got_offices == want_offices, name
    admin_tree = trees["admin"]
    assert admin_tree.committee and admin_tree.grid_branches and admin_tree.committee.offices
    assert len(trees["worker_a"].grid_branches) == 1  # her grid's branch only
