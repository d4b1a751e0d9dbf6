"""The generic permission walk over every Party page and API endpoint: each persona gets a
200 inside its scope and a 404 outside it (never a 403), and no response carries a full ID
number or phone."""

from __future__ import annotations

import datetime as dt

import pytest

from linli.party import services
from linli.party.models import HouseholdLink
from linli.registry.tests.test_permissions import PERSONAS, assert_no_plain_pii

NOBODY = {"care", "volunteer", "resident_user"}
COMMUNITY_WIDE = {"admin", "organiser", "viewer"}


def visible(persona: str) -> set[str]:
    """Which objects of the fixture each persona may read."""
    wenchang = {
        "committee", "branch_a", "branch_b", "group_a", "themed",
        "m_a1", "m_a2", "m_b1", "outsider", "central", "activity",
    }  # fmt: skip
    return {
        "admin": wenchang,
        "organiser": wenchang,
        "viewer": wenchang | {"other_committee", "other_member"},
        "worker_a": {"branch_a", "group_a", "m_a1", "m_a2", "central", "activity"},
        "worker_b": {"branch_b", "m_b1"},
        "other_admin": {"other_committee", "other_member"},
    }.get(persona, set())


@pytest.fixture
def activity(party, organiser, actor_of):
    return services.activity_create(
        actor=actor_of(organiser),
        organisation_id=party.branch_a.pk,
        kind="theme_day",
        held_on=dt.date(2025, 4, 1),
        topic="主题党日",
        present=[party.m_a1.public_id],
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walk(persona, world, party, activity, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    sees = visible(persona)

    def get(url: str, expected: int):
        response = client.get(url)
        assert response.status_code == expected, (persona, url, response.status_code)
        if response.get("Content-Type", "").startswith(("text/", "application/json")):
            assert_no_plain_pii(response.content.decode(), world, set())
        return response

    reads = 404 if persona in NOBODY else 200
    for url in ("/party/", "/party/members/", "/party/central/", "/party/coverage/"):
        get(url, reads)
    for url in ("/api/party/tree", "/api/party/coverage", "/api/party/members",
                "/api/party/activities", "/api/party/central-households"):  # fmt: skip
        get(url, reads)
    for key in ("committee", "branch_a", "branch_b", "group_a", "themed", "other_committee"):
        org = getattr(party, key)
        get(f"/party/organisations/{org.pk}/", 200 if key in sees else 404)
        get(f"/api/party/organisations/{org.pk}", 200 if key in sees else 404)
    for key in ("m_a1", "m_a2", "m_b1", "outsider", "other_member"):
        member = getattr(party, key)
        get(f"/party/members/{member.public_id}/", 200 if key in sees else 404)
        get(f"/api/party/members/{member.public_id}", 200 if key in sees else 404)
    central = party.central.public_id
    get(f"/party/central/{central}/", 200 if "central" in sees else 404)
    get(f"/api/party/central-households/{central}", 200 if "central" in sees else 404)
    get(f"/api/party/central-households/{central}/suggestions", 200 if "central" in sees else 404)
    get(f"/party/activities/{activity.pk}/", 200 if "activity" in sees else 404)

    # Changing is for the organiser and the community admin only.
    changes = persona in ("admin", "organiser")
    get(f"/party/organisations/{party.branch_a.pk}/members/new/", 200 if changes else 404)
    get(f"/party/organisations/{party.branch_a.pk}/activities/new/", 200 if changes else 404)
    get(f"/party/members/{party.m_a1.public_id}/move/", 200 if changes else 404)
    get(f"/party/members/{party.m_a1.public_id}/transfer-out/", 200 if changes else 404)
    # The new-organisation page is for a community where the persona changes the tree.
    get("/party/organisations/new/", 200 if changes or persona == "other_admin" else 404)
    get(f"/party/organisations/{party.branch_a.pk}/offices/new/", 200 if changes else 404)
    office = party.branch_a.offices.get()
    get(f"/party/offices/{office.pk}/end/", 200 if changes else 404)
    response = client.post(
        f"/api/party/offices/{office.pk}/end", {}, content_type="application/json"
    )
    assert response.status_code == (200 if changes else 404), (persona, response.content)
    response = client.post(
        f"/api/party/central-households/{central}/links",
        {"household_id": str(world.household_a2.public_id)},
        content_type="application/json",
    )
    assert response.status_code == (201 if changes else 404), (persona, response.content)

    # Cards: staff who print them, within their reach; the export: who may export.
    prints = persona in ("admin", "organiser", "worker_a", "worker_b", "other_admin")
    get("/party/cards/", 200 if prints else 404)
    a1_card = persona in ("admin", "organiser", "worker_a")
    get(f"/party/cards/households/{world.household_a1.public_id}/", 200 if a1_card else 404)
    exports = persona in ("admin", "organiser", "viewer", "other_admin")
    get("/party/activities/export.xlsx", 200 if exports else 404)

    # Lists never show rows outside the scope.
    if reads == 200:
        names = {
            m["name"] for m in client.get("/api/party/members?page_size=200").json()["results"]
        }
        want = {
            getattr(party, k).display_name
            for k in sees
            if k.startswith(("m_", "outsider", "other_member"))
        }
        assert names == want, persona


def test_anonymous_is_sent_to_sign_in_and_the_api_says_401(world, party, client):
    assert client.get("/party/").status_code == 302
    assert client.get(f"/party/members/{party.m_a1.public_id}/").status_code == 302
    assert client.get("/api/party/tree").status_code == 401


def test_malformed_ids_are_404_not_500(world, party, organiser, client_for):
    client = client_for(organiser)
    assert client.get("/party/members/not-a-uuid/").status_code == 404
    assert client.get("/party/organisations/999999/").status_code == 404
    assert client.get("/api/party/members/not-a-uuid").status_code in (404, 422)
    bad = client.post(
        f"/party/central/{party.central.public_id}/household/", {"target": "nope"}, follow=True
    )
    assert bad.status_code == 200  # back on the central household, with the form's error
    assert [m.level_tag for m in bad.context["messages"]] == ["error"]
    assert not HouseholdLink.objects.exists()
