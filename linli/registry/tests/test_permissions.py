"""The generic permission walk: every persona visits every page and API endpoint of the
registry; what is outside the persona's scope is a 404, and no response ever carries a
citizen ID or phone number in full (only the resident himself sees his own)."""

import datetime as dt

import pytest

from linli.conftest import make_citizen_id

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
SEES_PLACES = {"admin", "worker_a", "worker_b", "organiser", "care", "viewer", "other_admin"}


def plain_values(world):
    """Every full ID number and phone in the world, by resident key."""
    births = {
        "a1": (dt.date(1958, 3, 21), 1, True, "13800000001"),
        "a1_child": (dt.date(1990, 6, 2), 2, True, "13800000002"),
        "a2": (dt.date(1942, 1, 9), 3, False, "13800000003"),
        "b1": (dt.date(1970, 11, 30), 4, True, "13900000001"),
        "other": (dt.date(1985, 8, 8), 5, False, "13700000001"),
    }
    return {k: (make_citizen_id(b, s, m), phone) for k, (b, s, m, phone) in births.items()}


def assert_no_plain_pii(body: str, world, allowed: set[str]):
    for key, (cid, phone) in plain_values(world).items():
        if key in allowed:
            continue
        assert cid not in body, f"unmasked ID of {key}"
        assert phone not in body, f"unmasked phone of {key}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walk(persona, world, request, client_for):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    residents = {"a1": world.resident_a1, "b1": world.resident_b1, "other": world.other_resident}
    own = {"a1", "a1_child"} if persona == "resident_user" else set()
    own_plain = {"a1"} if persona == "resident_user" else set()

    def get(url, expected, typed=""):
        response = client.get(url)
        assert response.status_code == expected, (persona, url, response.status_code)
        # The search box shows back what the worker typed; everything else is scanned.
        assert_no_plain_pii(response.content.decode().replace(typed, ""), world, own_plain)
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
    may_reveal = persona in {"admin", "worker_a"}
    get(
        f"/registry/residents/{world.resident_a1.public_id}/reveal/phone/",
        200 if may_reveal else 404,
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
