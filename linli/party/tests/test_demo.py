"""The Party organisation of the Wenchang Garden demo as stored: the exact figures of the
article, members who are exactly the registry's Party members, a full 三带 network, a year
of organisational life, and a coverage page whose numbers are the database's.

The demo is built once for this module (as linli/demo/tests/test_seed_demo.py does)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db.models import Count, F, Q

from linli.accounts.models import User
from linli.accounts.selectors import actor_for_user
from linli.core.escalation import COMMUNITY_SECRETARY, GRID_BRANCH_SECRETARY, escalation_chain
from linli.demo.builder import DEFAULT_SEED, DemoSummary, build_demo, reset_demo
from linli.party import selectors
from linli.party.choices import OfficeRole, OrgKind, Relation, Theme
from linli.party.models import (
    Activity,
    Attendance,
    CentralHousehold,
    HouseholdLink,
    Member,
    MemberLink,
    Office,
    Organisation,
    Transfer,
)
from linli.registry.models import Community, Grid, Household, Resident


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        summary = build_demo(seed=DEFAULT_SEED)
    yield summary
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        reset_demo()


@pytest.fixture
def wenchang(demo: DemoSummary, db: None) -> Community:
    return Community.objects.get(code="wenchang")


def test_the_tree_has_exactly_the_organisations_of_the_article(wenchang):
    orgs = Organisation.objects.filter(community=wenchang)
    assert orgs.filter(kind=OrgKind.COMMITTEE).count() == 1
    branches = orgs.filter(kind=OrgKind.GRID_BRANCH)
    assert branches.count() == 11
    assert set(branches.values_list("grid__number", flat=True)) == set(range(1, 12))
    themed = orgs.filter(kind=OrgKind.THEMED_BRANCH)
    assert sorted(themed.values_list("theme", flat=True)) == sorted(Theme.values)
    groups = orgs.filter(kind=OrgKind.BUILDING_GROUP)
    assert groups.count() >= 11
    assert not groups.exclude(parent__grid=F("grid")).exists()


def test_the_417_members_are_exactly_the_residents_flagged_as_party_members(wenchang):
    members = Member.objects.filter(community=wenchang, relation=Relation.ACTIVE)
    assert members.count() == 417
    flagged = set(
        Resident.objects.filter(community=wenchang, is_party_member=True).values_list(
            "id", flat=True
        )
    )
    assert set(members.values_list("resident_id", flat=True)) == flagged
    assert members.filter(standing="probationary").exists()


def test_every_organisation_has_its_officers(wenchang):
    open_offices = Office.objects.filter(organisation__community=wenchang, ended_on__isnull=True)
    for org in Organisation.objects.filter(community=wenchang):
        role = (
            OfficeRole.GROUP_LEADER if org.kind == OrgKind.BUILDING_GROUP else OfficeRole.SECRETARY
        )
        assert open_offices.filter(organisation=org, role=role).count() == 1, org
    assert open_offices.filter(is_action_secretary=True).exists()
    secretary = open_offices.get(organisation__kind=OrgKind.COMMITTEE, role=OfficeRole.SECRETARY)
    admin = User.objects.get(username="wenchang_admin")
    assert secretary.member.account == admin
    assert admin.display_name == secretary.member.display_name


def test_thirty_central_households_each_link_ten_members_and_thirty_households(wenchang):
    centrals = CentralHousehold.objects.filter(community=wenchang, ended_on__isnull=True).annotate(
        members=Count("member_links", filter=Q(member_links__ended_on__isnull=True), distinct=True),
        homes=Count(
            "household_links", filter=Q(household_links__ended_on__isnull=True), distinct=True
        ),
    )
    assert centrals.count() == 30
    assert all(c.members >= 10 and c.homes >= 30 for c in centrals)
    assert len({c.household.building.grid_id for c in centrals}) == 11
    # Linked households live in the central household's own grid.
    assert not HouseholdLink.objects.exclude(
        household__building__grid=F("central__household__building__grid")
    ).exists()


def test_a_year_of_organisational_life_with_attendance(wenchang):
    activities = Activity.objects.filter(organisation__community=wenchang)
    assert activities.values("organisation").distinct().count() >= 16
    assert activities.filter(kind="theme_day").count() == 15 * 12
    assert Attendance.objects.filter(activity__in=activities, status="present").count() > 5000
    assert Transfer.objects.filter(member__community=wenchang).exists()


def test_the_coverage_numbers_equal_direct_database_counts(wenchang):
    organiser = actor_for_user(User.objects.get(username="party"))
    figures = selectors.coverage(organiser, wenchang.pk)
    households = Household.objects.filter(community=wenchang, status="active")
    open_links = HouseholdLink.objects.filter(ended_on__isnull=True)
    assert figures.households == households.count() == 4219
    assert figures.households_linked == open_links.filter(household__in=households).count()
    assert (
        figures.households_unlinked
        == households.exclude(pk__in=open_links.values("household")).count()
    )
    members = Member.objects.filter(community=wenchang, relation=Relation.ACTIVE)
    linked_members = MemberLink.objects.filter(ended_on__isnull=True).values("member")
    assert figures.members_unlinked == members.exclude(pk__in=linked_members).count()
    assert figures.central_households == 30
    assert figures.weak_central_households == 0


def test_the_coverage_page_shows_the_database_figures(wenchang, client):
    client.force_login(User.objects.get(username="party"))
    body = client.get("/party/coverage/").content.decode()
    households = Household.objects.filter(community=wenchang, status="active")
    unlinked = households.exclude(
        pk__in=HouseholdLink.objects.filter(ended_on__isnull=True).values("household")
    ).count()
    assert f'data-testid="cov-households-unlinked">{unlinked}<' in body
    assert 'data-testid="cov-centrals">30<' in body


def test_the_coverage_pages_list_every_unlinked_household_once(wenchang, client):
    # The pages are counted from the figures (no second COUNT): the last page must hold
    # exactly the remainder, and no page past it exists.
    client.force_login(User.objects.get(username="party"))
    households = Household.objects.filter(community=wenchang, status="active")
    unlinked = households.exclude(
        pk__in=HouseholdLink.objects.filter(ended_on__isnull=True).values("household")
    ).count()
    last = -(-unlinked // 50)
    body = client.get(f"/party/coverage/?page={last}").content.decode()
    rows = body.split('data-testid="coverage-rows"')[1].split("</ul>")[0]
    assert rows.count("list-group-item") == unlinked - 50 * (last - 1)
    assert f"?page={last + 1}" not in body and "&page=" + str(last + 1) not in body


def test_every_grid_escalates_to_its_branch_secretary_then_the_community_secretary(wenchang):
    admin = User.objects.get(username="wenchang_admin")
    for grid in Grid.objects.filter(community=wenchang):
        chain = escalation_chain(wenchang.pk, grid.pk)
        assert [c.level for c in chain] == [GRID_BRANCH_SECRETARY, COMMUNITY_SECRETARY]
        assert chain[0].phone == wenchang.service_phone and chain[0].user_id is None
        assert chain[1].user_id == admin.pk and chain[1].phone == admin.work_phone


def test_the_whole_community_prints_one_card_per_household(wenchang):
    from linli.party import cards

    organiser = actor_for_user(User.objects.get(username="party"))
    grid = Grid.objects.get(community=wenchang, number=3)
    batch = cards.build_cards(
        cards.card_households(organiser, community_id=wenchang.pk, grid_id=grid.pk), "http://x"
    )
    assert len(batch) == Household.objects.filter(building__grid=grid, status="active").count()
    assert all(c.grid_worker and c.grid_worker.phone and c.branch_secretary for c in batch)
    assert sum(1 for c in batch if c.central) > 0
