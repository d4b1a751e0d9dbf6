"""The generic permission walk: every persona visits every page and API endpoint of the
registry; what is outside the persona's scope is a 404, and no response ever carries a
citizen ID or phone number in full (only the resident himself sees his own), nor, to a role
that may not reveal, a masked ID beside its birth date (`linli.testing.assert_no_plain_pii`)."""

import pytest

from linli.testing import assert_no_plain_pii as scan

PERSONAS = [
    "admin",
    "worker_a",
    "worker_b",
    "organiser",
    "care",
    "volunteer",
    "resident_user",
    "viewer",
    "other_admin",
]

# Which of the world's residents each persona may see.
VISIBLE = {
    "admin": {"a1", "b1"},
    "worker_a": {"a1"},
    "worker_b": {"b1"},
    "organiser": {"a1", "b1"},
    "care": {"a1", "b1"},
    "volunteer": set(),
    "resident_user": {"a1"},
    "viewer": {"a1", "b1", "other"},
    "other_admin": {"other"},
}


def assert_no_plain_pii(body, world, allowed=frozenset()):
    """The old per-app scan (plain numbers only), kept for the other apps' tests that import it
    from here. TODO(issue 9): they move to linli.testing.assert_no_plain_pii."""
    scan(body, world, allowed=allowed, may_reveal=True)


SEES_PLACES = {"admin", "worker_a", "worker_b", "organiser", "care", "viewer", "other_admin"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walk(persona, world, request, client_for):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    residents = {"a1": world.resident_a1, "b1": world.resident_b1, "other": world.other_resident}
    own = {"a1", "a1_child"} if persona == "resident_user" else set()
    own_plain = {"a1"} if persona == "resident_user" else set()
    may_reveal = persona in {"admin", "worker_a", "worker_b", "other_admin"}

    def get(url, expected, typed=""):
        response = client.get(url)
        assert response.status_code == expected, (persona, url, response.status_code)
        # The search box shows back what the worker typed; everything else is scanned.
        body = response.content.decode().replace(typed, "") if typed else response.content.decode()
        scan(body, world, allowed=own_plain, may_reveal=may_reveal)
        return response

    get("/", 200)
    for key, r in residents.items():
        expected = 200 if key in VISIBLE[persona] else 404
        get(f"/registry/residents/{r.public_id}/", expected)
        get(f"/registry/households/{r.household.public_id}/", expected)
        get(f"/api/registry/residents/{r.public_id}", expected)
        get(f"/api/registry/households/{r.household.public_id}", expected)
    for grid, key in ((world.grid_a, "a1"), (world.grid_b, "b1")):
        expected = 200 if persona in SEES_PLACES and key in VISIBLE[persona] else 404
        get(f"/registry/grids/{grid.id}/", expected)
        get(f"/api/registry/grids/{grid.id}/buildings", expected)
    for unit, key in ((world.unit_a, "a1"), (world.unit_b, "b1")):
        expected = 200 if persona in SEES_PLACES and key in VISIBLE[persona] else 404
        get(f"/registry/units/{unit.id}/", expected)
        get(f"/registry/buildings/{unit.building_id}/", expected)

    # Lists and search never show rows outside the scope.
    listed = get("/api/registry/residents?status=&page_size=200", 200).json()["results"]
    names = {row["name"] for row in listed}
    expected_names = {
        "a1": {"张晓", "张小明", "李芳"} if persona != "resident_user" else {"张晓", "张小明"},
        "b1": {"王建国"},
        "other": {"赵敏"},
    }
    want: set[str] = set()
    for key in VISIBLE[persona]:
        want |= expected_names[key]
    assert names == want
    for q in ("zx", "12-2-301", "13900000001", "王"):
        body = get(f"/registry/residents/?q={q}", 200 if persona != "volunteer" else 404, typed=q)
        if persona == "volunteer":
            continue
        text = body.content.decode()
        for key, name in (("b1", "王建国"), ("other", "赵敏")):
            if key not in VISIBLE[persona]:
                assert name not in text
    # Reveal dialog only for roles that may reveal, inside their scope.
    get(
        f"/registry/residents/{world.resident_a1.public_id}/reveal/phone/",
        200 if persona in {"admin", "worker_a"} else 404,
    )
    get("/audit/", 200 if persona in ("admin", "other_admin") else 404)
    get("/api/audit/events", 200 if persona in ("admin", "other_admin") else 404)
    assert own <= {"a1", "a1_child"}


def test_anonymous_is_sent_to_login_and_api_says_401(world, client):
    assert client.get("/registry/residents/").status_code == 302
    assert client.get(f"/registry/residents/{world.resident_a1.public_id}/").status_code == 302
    assert client.get("/api/registry/residents").status_code == 401


def test_malformed_ids_are_404_not_500(world, client_for, admin):
    client = client_for(admin)
    assert client.get("/registry/residents/not-a-uuid/").status_code == 404
    assert client.get("/api/registry/residents/not-a-uuid").status_code in (404, 422)
    assert client.get("/registry/grids/999999/").status_code == 404
