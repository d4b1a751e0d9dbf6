"""Pages: what an organiser sees and does, and constant query counts on the tree, an
organisation and the coverage page."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from linli.core.models import AuditEvent
from linli.party.choices import OfficeRole, OrgKind, Standing
from linli.party.models import HouseholdLink, Member, Office, Organisation
from linli.registry.models import Building, Household, Unit
from linli.testing import assert_constant_queries


def _grow(world, party, n: int) -> None:
    """Add `n` buildings to grid A, each with a building group, a leader and households, and
    `n` non-resident members to branch A."""
    for i in range(n):
        building = Building.objects.create(
            community=world.community, grid=world.grid_a, number=str(100 + i), floors=6
        )
        unit = Unit.objects.create(building=building, number=1)
        for room in ("101", "102"):
            Household.objects.create(
                community=world.community,
                building=building,
                unit=unit,
                room=room,
                floor=1,
                tenure="owner",
            )
        group = Organisation.objects.create(
            community=world.community,
            kind=OrgKind.BUILDING_GROUP,
            parent=party.branch_a,
            grid=world.grid_a,
            building=building,
            name=f"{100 + i}号楼党小组",
        )
        member = Member.objects.create(
            community=world.community,
            organisation=party.branch_a,
            name=f"党员{i}",
            joined_on=dt.date(2000, 1, 1),
        )
        Office.objects.create(
            organisation=group,
            member=member,
            role=OfficeRole.GROUP_LEADER,
            started_on=dt.date(2020, 1, 1),
        )


def test_tree_organisation_and_coverage_pages_take_a_constant_number_of_queries(
    world, party, organiser, client_for
):
    client = client_for(organiser)
    urls = (
        "/party/",
        f"/party/organisations/{party.branch_a.pk}/",
        "/party/coverage/",
        "/party/coverage/?show=members",
        "/party/central/",
        "/party/members/",
        "/api/party/tree",
    )

    def grow(n):
        if n:
            _grow(world, party, n)

    def pages(_n):
        for url in urls:
            assert client.get(url).status_code == 200, url

    assert_constant_queries(pages, [0, 12], setup=grow)


def test_the_tree_shows_the_chain_and_marks_action_branches(
    world, party, organiser, client_for, english
):
    body = client_for(organiser).get("/party/").content.decode()
    for name in ("社区党委", "第一网格党支部", "第二网格党支部", "12号楼党小组", "志缘党支部"):
        assert name in body
    assert "Action branch" in body
    assert 'data-testid="fig-branches">2 / 1<' in body


def test_an_organiser_links_a_suggested_household_and_the_coverage_changes(
    world, party, organiser, client_for
):
    client = client_for(organiser)
    page = client.get(f"/party/central/{party.central.public_id}/").content.decode()
    assert str(world.household_a2.public_id) in page  # suggested: same staircase
    before = client.get("/api/party/coverage").json()
    response = client.post(
        f"/party/central/{party.central.public_id}/household/",
        {"target": str(world.household_a2.public_id)},
    )
    assert response.status_code == 302
    after = client.get("/api/party/coverage").json()
    assert after["households_unlinked"] == before["households_unlinked"] - 1
    response = client.post(
        f"/party/central/{party.central.public_id}/unlink-household/",
        {"target": str(world.household_a2.public_id)},
    )
    assert client.get("/api/party/coverage").json() == before


def test_a_household_can_be_linked_by_its_room_code(world, party, organiser, client_for):
    client = client_for(organiser)
    client.post(f"/party/central/{party.central.public_id}/household/", {"room": "20-1-101"})
    assert HouseholdLink.objects.filter(
        central=party.central, household=world.household_b1, ended_on__isnull=True
    ).exists()
    response = client.post(
        f"/party/central/{party.central.public_id}/household/", {"room": "20-1-101"}, follow=True
    )
    assert "20-1-101" in response.content.decode()  # "already looked after by …"


def test_a_member_is_recorded_from_the_room_code_and_name(world, party, organiser, client_for):
    client = client_for(organiser)
    response = client.post(
        f"/party/organisations/{party.branch_a.pk}/members/new/",
        {"room": "12-2-301", "name": "张小明", "joined_on": "2016-07-01", "standing": "full"},
    )
    assert response.status_code == 302
    member = Member.objects.get(resident=world.resident_a1_child)
    assert member.organisation == party.branch_a
    wrong = client.post(
        f"/party/organisations/{party.branch_a.pk}/members/new/",
        {"room": "12-2-301", "name": "无此人", "joined_on": "2016-07-01", "standing": "full"},
    )
    assert wrong.status_code == 200 and 'data-testid="error-room"' in wrong.content.decode()


def test_confirming_a_probationary_member_from_the_profile(world, party, organiser, client_for):
    client = client_for(organiser)
    client.post(f"/party/members/{party.m_a2.public_id}/confirm/")
    party.m_a2.refresh_from_db()
    assert party.m_a2.standing == Standing.FULL


def test_an_activity_is_recorded_with_attendance_and_counted_on_the_profile(
    world, party, organiser, client_for
):
    client = client_for(organiser)
    response = client.post(
        f"/party/organisations/{party.branch_a.pk}/activities/new/",
        {
            "kind": "members_meeting",
            "held_on": "2025-06-01",
            "topic": "支部党员大会",
            "present": [str(party.m_a1.public_id)],
        },
    )
    assert response.status_code == 302
    body = client.get(f"/party/members/{party.m_a1.public_id}/").content.decode()
    assert 'data-testid="participation">1<' in body


def test_the_activity_export_is_a_workbook_with_participation_and_is_audited(
    world, party, organiser, client_for, actor_of
):
    from linli.party import services

    services.activity_create(
        actor=actor_of(organiser),
        organisation_id=party.branch_a.pk,
        kind="theme_day",
        held_on=dt.date(2025, 4, 1),
        topic="主题党日",
        present=[party.m_a1.public_id],
    )
    response = client_for(organiser).get("/party/activities/export.xlsx?year=2025")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    activities, people = wb.worksheets
    row = [c.value for c in activities[2]]
    assert row[1] == "第一网格党支部" and row[3] == "主题党日" and row[5:] == [1, 2]
    rows = {r[0]: r for r in people.iter_rows(min_row=2, values_only=True)}
    assert rows["张晓"][3:5] == (1, 1) and rows["李芳"][3:5] == (0, 1)
    assert rows["王建国"][3:5] == (0, 0)
    event = AuditEvent.objects.get(action="export", object_id="party.activities")
    assert (event.object_type, event.object_label) == ("export", "party-activities-2025.xlsx")
    assert event.after == {"rows": 1 + 4, "year": 2025}


def test_an_organiser_adds_a_themed_branch_from_the_tree(world, party, organiser, client_for):
    client = client_for(organiser)
    home = client.get("/party/")
    assert b'data-testid="organisation-new"' in home.content
    url = f"/party/organisations/new/?community={world.community.pk}"
    refused = client.post(url, {"kind": "themed_branch", "name": "趣缘党支部"})
    assert refused.status_code == 200 and refused.context["form"].errors  # no parent, no theme
    response = client.post(
        url,
        {
            "kind": "themed_branch",
            "name": "趣缘党支部",
            "parent": party.committee.pk,
            "theme": "interest",
            "description": "书画、太极",
        },
    )
    org = Organisation.objects.get(name="趣缘党支部")
    assert response.status_code == 302 and response["Location"] == f"/party/organisations/{org.pk}/"
    assert (org.kind, org.theme, org.parent) == ("themed_branch", "interest", party.committee)
    assert AuditEvent.objects.filter(object_type="party.organisation", action="create").exists()


def test_an_organiser_assigns_and_ends_an_office_from_the_organisation_page(
    world, party, organiser, client_for
):
    client = client_for(organiser)
    page = client.get(f"/party/organisations/{party.themed.pk}/")
    assert b'data-testid="office-new"' in page.content
    new = f"/party/organisations/{party.themed.pk}/offices/new/"
    response = client.post(
        new,
        {
            "member": str(party.m_a2.public_id),
            "role": "deputy_secretary",
            "started_on": "2025-01-01",
            "is_action_secretary": "on",
        },
    )
    assert response.status_code == 200  # only a secretary carries the action mark
    assert response.context["form"].errors["is_action_secretary"]
    response = client.post(
        new,
        {
            "member": str(party.m_a2.public_id),
            "role": "deputy_secretary",
            "started_on": "2025-01-01",
        },
    )
    assert response.status_code == 302
    office = Office.objects.get(organisation=party.themed, role="deputy_secretary")
    end = f"/party/offices/{office.pk}/end/"
    early = client.post(end, {"ended_on": "2024-12-31"})
    assert early.status_code == 200 and early.context["form"].errors["ended_on"]
    assert client.post(end, {"ended_on": "2025-06-30"}).status_code == 302
    office.refresh_from_db()
    assert office.ended_on == dt.date(2025, 6, 30)
    assert AuditEvent.objects.filter(object_type="party.office").count() == 2
    page = client.get(f"/party/organisations/{party.themed.pk}/")
    assert "李芳" not in {o.member.display_name for o in page.context["offices"]}


def test_the_community_a_viewer_chose_stays_chosen_across_the_tabs(
    world, party, viewer, client_for
):
    client = client_for(viewer)
    home = client.get(f"/party/?community={world.other_community.pk}")
    assert home.context["community"] == world.other_community
    assert b'data-testid="subnav"' in home.content
    assert client.get("/party/members/").context["community"] == world.other_community
    assert client.get("/party/?community=abc").context["community"] == world.other_community


def test_a_members_buttons_are_the_moves_its_machines_allow(world, party, organiser, client_for):
    client = client_for(organiser)
    probationary = client.get(f"/party/members/{party.m_a2.public_id}/").context["actions"]
    assert probationary == {"confirm_full", "transfer_out"}
    assert client.get(f"/party/members/{party.m_a1.public_id}/").context["actions"] == {
        "transfer_out"
    }


def test_the_coverage_page_lists_the_weak_central_households_only_when_some_are(
    world, party, organiser, client_for
):
    client = client_for(organiser)
    body = client.get("/party/coverage/").content.decode()
    # the world's one central household has no member and no household linked
    assert 'data-testid="cov-weak">1<' in body
    assert 'data-testid="weak-list"' in body
    assert party.central.household.address in body
    party.central.ended_on = dt.date(2026, 1, 1)
    party.central.save()
    body = client.get("/party/coverage/").content.decode()
    assert 'data-testid="cov-weak">0<' in body
    assert 'data-testid="weak-list"' not in body
