"""The Party API: link and unlink through JSON, clear errors, no half writes."""

from __future__ import annotations

from linli.core.models import AuditEvent
from linli.party.choices import OfficeRole
from linli.party.models import HouseholdLink, MemberLink, Office, Organisation


def test_linking_and_unlinking_through_the_api(world, party, organiser, client_for):
    client = client_for(organiser)
    url = f"/api/party/central-households/{party.central.public_id}"
    response = client.post(
        f"{url}/links",
        {"household_id": str(world.household_a2.public_id), "member_id": str(party.m_a2.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 201
    data = response.json()
    assert [h["address"] for h in data["households"]] == ["12-2-302"]
    assert [m["name"] for m in data["members"]] == ["李芳"]
    again = client.post(
        f"{url}/links",
        {"household_id": str(world.household_a2.public_id)},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "household_already_linked"
    response = client.post(
        f"{url}/unlink",
        {"household_id": str(world.household_a2.public_id), "member_id": str(party.m_a2.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["households"] == [] and response.json()["members"] == []
    assert not HouseholdLink.objects.filter(ended_on__isnull=True).exists()
    assert not MemberLink.objects.filter(ended_on__isnull=True).exists()


def test_a_household_of_another_community_cannot_be_linked(world, party, organiser, client_for):
    other_home = world.other_resident.household
    response = client_for(organiser).post(
        f"/api/party/central-households/{party.central.public_id}/links",
        {"household_id": str(other_home.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not HouseholdLink.objects.exists()


def test_the_tree_api_nests_building_groups_under_their_branch(world, party, organiser, client_for):
    tree = client_for(organiser).get("/api/party/tree").json()
    assert tree["committee"]["name"] == "社区党委"
    branch_a = next(b for b in tree["grid_branches"] if b["grid_id"] == world.grid_a.pk)
    assert [c["name"] for c in branch_a["children"]] == ["12号楼党小组"]
    secretary = next(o for o in branch_a["offices"] if o["role"] == "secretary")
    assert secretary["member"] == "张晓" and secretary["is_action_secretary"] is True
    assert [b["name"] for b in tree["themed_branches"]] == ["志缘党支部"]


def test_an_activity_is_recorded_through_the_api(world, party, organiser, client_for):
    response = client_for(organiser).post(
        "/api/party/activities",
        {
            "organisation_id": party.branch_a.pk,
            "kind": "party_lecture",
            "held_on": "2025-07-01",
            "topic": "党课",
            "present": [str(party.m_a1.public_id)],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (response.json()["present"], response.json()["expected"]) == (1, 2)
    bad = client_for(organiser).post(
        "/api/party/activities",
        {
            "organisation_id": party.branch_a.pk,
            "kind": "party",
            "held_on": "2025-07-01",
            "topic": "x",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "kind"


def test_an_organiser_builds_the_tree_through_the_api(world, party, organiser, client_for):
    client = client_for(organiser)
    response = client.post(
        "/api/party/organisations",
        {
            "kind": "building_group",
            "name": "20号楼党小组",
            "parent_id": party.branch_b.pk,
            "building_id": world.building_b.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    group = response.json()
    assert (group["kind"], group["parent_id"], group["grid_id"]) == (
        "building_group",
        party.branch_b.pk,
        world.grid_b.pk,
    )
    assert AuditEvent.objects.filter(
        action="create", object_type="party.organisation", object_id=str(group["id"])
    ).exists()
    # A building group under the wrong grid's branch, and a theme no branch has, are refused.
    wrong = client.post(
        "/api/party/organisations",
        {
            "kind": "building_group",
            "name": "12号楼第二小组",
            "parent_id": party.branch_b.pk,
            "building_id": world.building_a.pk,
        },
        content_type="application/json",
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_parent"
    theme = client.post(
        "/api/party/organisations",
        {"kind": "themed_branch", "name": "x", "parent_id": party.committee.pk, "theme": "fun"},
        content_type="application/json",
    )
    assert theme.status_code == 400 and theme.json()["field"] == "theme"
    long_name = client.post(
        "/api/party/organisations",
        {"kind": "themed_branch", "name": "x" * 101, "parent_id": party.committee.pk},
        content_type="application/json",
    )
    assert long_name.status_code == 400 and long_name.json()["field"] == "name"
    # A second committee, and a parent in another community, are refused too.
    second = client.post(
        "/api/party/organisations",
        {"kind": "committee", "name": "又一个党委", "community_id": world.community.pk},
        content_type="application/json",
    )
    assert second.status_code == 409
    elsewhere = client.post(
        "/api/party/organisations",
        {"kind": "themed_branch", "name": "x", "parent_id": party.other_committee.pk},
        content_type="application/json",
    )
    assert elsewhere.status_code == 404
    assert Organisation.objects.filter(community=world.community).count() == 6


def test_offices_are_assigned_and_ended_through_the_api(world, party, organiser, client_for):
    client = client_for(organiser)
    office = Office.objects.get(organisation=party.branch_a, role=OfficeRole.SECRETARY)
    taken = client.post(
        f"/api/party/organisations/{party.branch_a.pk}/offices",
        {"member_id": str(party.m_a2.public_id), "role": "secretary"},
        content_type="application/json",
    )
    assert taken.status_code == 409 and taken.json()["code"] == "office_taken"
    too_early = client.post(
        f"/api/party/offices/{office.pk}/end",
        {"ended_on": "2019-12-31"},
        content_type="application/json",
    )
    assert too_early.status_code == 400 and too_early.json()["field"] == "ended_on"
    ended = client.post(
        f"/api/party/offices/{office.pk}/end",
        {"ended_on": "2025-06-30"},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2025-06-30"
    again = client.post(f"/api/party/offices/{office.pk}/end", {}, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "office_ended"
    before_joining = client.post(
        f"/api/party/organisations/{party.branch_a.pk}/offices",
        {"member_id": str(party.m_a2.public_id), "role": "secretary", "started_on": "1990-01-01"},
        content_type="application/json",
    )
    assert before_joining.status_code == 400 and before_joining.json()["field"] == "started_on"
    assigned = client.post(
        f"/api/party/organisations/{party.branch_a.pk}/offices",
        {
            "member_id": str(party.m_a2.public_id),
            "role": "secretary",
            "started_on": "2025-07-01",
            "is_action_secretary": True,
        },
        content_type="application/json",
    )
    assert assigned.status_code == 201, assigned.content
    assert (assigned.json()["member"], assigned.json()["is_action_secretary"]) == ("李芳", True)
    assert AuditEvent.objects.filter(object_type="party.office").count() == 2


def test_a_grid_worker_cannot_change_the_tree_through_the_api(world, party, worker_a, client_for):
    client = client_for(worker_a)
    office = Office.objects.get(organisation=party.branch_a, role=OfficeRole.SECRETARY)
    assert (
        client.post(
            "/api/party/organisations",
            {"kind": "themed_branch", "name": "x", "parent_id": party.branch_a.pk},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/party/organisations/{party.branch_a.pk}/offices",
            {"member_id": str(party.m_a2.public_id), "role": "deputy_secretary"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/party/offices/{office.pk}/end", {}, content_type="application/json"
        ).status_code
        == 404
    )
    office.refresh_from_db()
    assert office.ended_on is None
    assert Organisation.objects.filter(community=world.community).count() == 5
