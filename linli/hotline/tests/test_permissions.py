"""The generic permission walk of the request desk: every persona visits every page and API
endpoint; what lies outside the persona's scope is a 404, and no response carries a full
phone or ID number."""

from __future__ import annotations

import pytest

from linli.hotline import services
from linli.registry.tests.test_permissions import PERSONAS, assert_no_plain_pii

pytestmark = pytest.mark.django_db

SEES = {
    "admin": {"a", "b"},
    "worker_a": {"a"},
    "worker_b": {"b"},
    "organiser": {"a", "b"},
    "care": set(),
    "volunteer": set(),
    "resident_user": {"a"},
    "viewer": {"a", "b", "other"},
    "other_admin": {"other"},
}
STAFF_LIST = {"admin", "worker_a", "worker_b", "organiser", "viewer", "other_admin"}
WORKS = {"admin", "worker_a", "worker_b", "organiser", "other_admin"}
MANAGES = {"admin", "other_admin"}


@pytest.fixture
def requests_(world, resident_user):
    from linli.accounts.selectors import actor_for_user

    a = services.request_file(
        actor=actor_for_user(resident_user),
        community_id=world.community.id,
        category_code="noise",
        description="楼上吵",
        channel="portal",
        household_public_id=world.household_a1.public_id,
    )
    b = services.request_file(
        actor=services.SYSTEM,
        community_id=world.community.id,
        category_code="safety_hazard",
        description="楼道堆物",
        channel="safety_outpost",
        household_public_id=world.household_b1.public_id,
        reporter_phone="13900000001",
        answers={"hazard": "其他"},
    )
    other = services.request_file(
        actor=services.SYSTEM,
        community_id=world.other_community.id,
        category_code="noise",
        description="广场舞",
        channel="open311",
        reporter_phone="13700000001",
    )
    return {"a": a, "b": b, "other": other}


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walk(persona, world, request, client_for, requests_):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    own_plain = {"a1"} if persona == "resident_user" else set()

    def get(url, expected):
        response = client.get(url)
        assert response.status_code == expected, (persona, url, response.status_code)
        if response.status_code == 200 and not url.endswith(".xlsx"):
            assert_no_plain_pii(response.content.decode(), world, own_plain)
        return response

    for key, req in requests_.items():
        expected = 200 if key in SEES[persona] else 404
        get(f"/hotline/r/{req.public_id}/", expected)
        get(f"/api/hotline/requests/{req.public_id}", expected)
    if persona == "resident_user":
        get("/hotline/", 302)
    else:
        get("/hotline/", 200 if persona in STAFF_LIST else 404)
    listed = client.get("/api/hotline/requests?page_size=200")
    if SEES[persona] or persona in STAFF_LIST:
        ids = {row["id"] for row in listed.json()["results"]}
        assert ids == {str(requests_[k].public_id) for k in SEES[persona]}
    get("/hotline/portal/", 200 if persona == "resident_user" else 404)
    portal_new = 200 if persona == "resident_user" else 302 if persona in WORKS else 404
    get(f"/hotline/portal/new/?household={world.household_a1.public_id}", portal_new)
    get("/hotline/new/", 200 if persona in WORKS else 404)
    rates = 200 if persona in STAFF_LIST else 404
    get("/hotline/rates/", rates)
    get("/api/hotline/rates", rates)
    get("/hotline/rates/export.xlsx", 200 if persona in STAFF_LIST - {"organiser"} else 404)
    get("/hotline/settings/", 200 if persona in MANAGES else 404)
    get("/hotline/board/wenchang/", 200)


def test_anonymous_visitors_see_only_the_public_board(world, client, requests_):
    assert client.get("/hotline/").status_code == 302
    assert client.get(f"/hotline/r/{requests_['a'].public_id}/").status_code == 302
    assert client.get("/api/hotline/requests").status_code == 401
    assert client.get("/hotline/board/wenchang/").status_code == 200
