"""The Party API: link and unlink through JSON, clear errors, no half writes."""

from __future__ import annotations

from linli.party.models import HouseholdLink, MemberLink


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
