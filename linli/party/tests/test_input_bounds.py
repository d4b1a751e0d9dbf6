"""Hostile input on every Party API endpoint and page (issue 8, "keep proving it"): huge and
negative numbers, out-of-range years and pages, bad dates, bad UUIDs, empty, very long and
NUL-carrying strings. The API answers 400/404/422 with the usual error body, pages ignore an
unusable filter or show a form error; nothing is ever a 500 and nothing is half written.

Each request runs in its own savepoint, so on PostgreSQL a database error in one request
would show as that request's 500 instead of poisoning the rest of the test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from linli.party.models import Activity, HouseholdLink, Member, MemberLink, Office, Transfer

HUGE = "99999999999999999999999"
NUMBERS = [HUGE, "9223372036854775808", "-9614186174", "-1", "0", "abc", "", "1e5", "２"]
TEXTS = ["", "x" * 5000, "\x00", "a\x00b", "' OR 1=1 --", "%_"]
UUIDS = ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "x" * 300]


class _ServerError(Exception):
    pass


def _safe(client: Client) -> Callable[..., Any]:
    """`call(method, url, ...)`: the response, inside a savepoint rolled back on a 5xx; every
    5xx is collected in `call.errors`."""
    client.raise_request_exception = False
    errors: list[str] = []

    def call(method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, *args, **kwargs)
                if response.status_code >= 500:
                    raise _ServerError(response)
        except _ServerError as exc:
            response = exc.args[0]
            errors.append(f"{method.upper()} {url} {str(args)[:120]} {str(kwargs)[:120]}")
        return response

    call.errors = errors  # type: ignore[attr-defined]
    return call


def _json(call: Callable[..., Any], url: str, body: Any) -> Any:
    return call("post", url, body, content_type="application/json")


@pytest.fixture
def call(organiser, client_for) -> Callable[..., Any]:
    return _safe(client_for(organiser))


def test_the_reported_out_of_range_year_is_a_422_with_the_usual_body(world, party, call):
    response = call("get", "/api/party/activities", {"year": "-9614186174", "page": "9071678"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert {d["loc"][-1] for d in response.json()["details"]} == {"year"}
    assert call("get", "/api/party/activities", {"year": "2025"}).status_code == 200


def test_no_api_query_parameter_makes_a_server_error(world, party, call):
    lists = ["/api/party/tree", "/api/party/central-households", "/api/party/coverage"]
    for value in NUMBERS:
        for url in [*lists, "/api/party/members", "/api/party/activities"]:
            call("get", url, {"community_id": value})
        for name in ["organisation_id", "grid_id", "page", "page_size"]:
            call("get", "/api/party/members", {name: value})
        for name in ["organisation_id", "year", "page", "page_size"]:
            call("get", "/api/party/activities", {name: value})
        call(
            "get",
            f"/api/party/central-households/{party.central.public_id}/suggestions",
            {"limit": value},
        )
        call("get", f"/api/party/organisations/{value}")
    for text in TEXTS:
        call("get", "/api/party/members", {"q": text, "standing": text, "relation": text})
        call("get", "/api/party/activities", {"kind": text})
    for bad in UUIDS:
        call("get", f"/api/party/members/{bad}")
        call("get", f"/api/party/central-households/{bad}")
        call("get", f"/api/party/central-households/{bad}/suggestions")
    assert call.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"page": HUGE}, 422, "page"),
        ({"page": "-1"}, 422, "page"),
        ({"page_size": "0"}, 422, "page_size"),
        ({"community_id": HUGE}, 422, "community_id"),
        ({"grid_id": "-5"}, 422, "grid_id"),
        ({"standing": "emeritus"}, 400, "standing"),
        ({"q": "a\x00b"}, 400, "q"),
    ],
)
def test_a_bad_member_filter_is_refused_with_its_field(world, party, call, params, status, field):
    response = call("get", "/api/party/members", params)
    assert response.status_code == status
    body = response.json()
    named = body.get("field") or body["details"][0]["loc"][-1]
    assert named == field


def test_no_api_body_makes_a_server_error_or_a_half_write(world, party, call):
    central = f"/api/party/central-households/{party.central.public_id}"
    for bad in UUIDS:
        _json(call, f"{central}/links", {"household_id": bad})
        _json(call, f"{central}/links", {"member_id": bad})
        _json(call, f"/api/party/central-households/{bad}/unlink", {"member_id": bad})
    for body in [{}, "garbage{", [1, 2], None]:
        _json(call, f"{central}/links", body)
    base = {
        "organisation_id": party.branch_a.pk,
        "kind": "party_lecture",
        "held_on": "2025-07-01",
        "topic": "党课",
    }
    variants: dict[str, list[Any]] = {
        "organisation_id": [10**20, 2**63, -1, 0, "abc", None],
        "kind": ["", "x" * 5000, None, "\x00"],
        "held_on": ["0001-01-01", "1900-01-01", "9999-12-31", "2025-02-30", "", 10**12],
        "topic": ["", "   ", "x" * 5000, "a\x00b"],
        "place": ["x" * 5000, "\x00"],
        "notes": ["x" * 100_000, "\x00"],
        "present": [["x"], "abc", [None], [str(party.m_b1.public_id)] * 3000],
        "excused": [["x"]],
    }
    for name, values in variants.items():
        for value in values:
            response = _json(call, "/api/party/activities", {**base, name: value})
            assert response.status_code in (400, 404, 422), (name, value, response.status_code)
            assert "code" in response.json() or "detail" in response.json()
    assert call.errors == []  # type: ignore[attr-defined]
    assert not Activity.objects.exists()
    assert not HouseholdLink.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"topic": "x" * 201}, "topic"),
        ({"topic": "a\x00b"}, "topic"),
        ({"place": "x" * 101}, "place"),
        ({"held_on": "1900-01-01"}, "held_on"),
        ({"held_on": "9999-12-31"}, "held_on"),
    ],
)
def test_a_bad_activity_is_a_400_naming_the_field(world, party, call, change, field):
    body = {
        "organisation_id": party.branch_a.pk,
        "kind": "party_lecture",
        "held_on": "2025-07-01",
        "topic": "党课",
        **change,
    }
    response = _json(call, "/api/party/activities", body)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Activity.objects.exists()


def test_no_page_query_parameter_makes_a_server_error(world, party, call):
    pages = [
        "/party/",
        "/party/members/",
        "/party/central/",
        "/party/coverage/",
        "/party/cards/",
        "/party/cards/print/",
        "/party/activities/export.xlsx",
    ]
    for value in NUMBERS:
        for url in pages:
            call("get", url, {"community": value})
        call("get", "/party/members/", {"grid": value, "page": value})
        call("get", "/party/coverage/", {"page": value, "show": value})
        call("get", f"/party/organisations/{party.branch_a.pk}/", {"page": value})
        call("get", "/party/cards/", {"grid": value})
        call("get", "/party/cards/print/", {"grid": value})
        call("get", "/party/cards/print/", {"building": value})
        call("get", "/party/activities/export.xlsx", {"year": value})
    for number in [HUGE, "9223372036854775808", "2147483648"]:
        for url in [
            f"/party/organisations/{number}/",
            f"/party/organisations/{number}/members/new/",
            f"/party/organisations/{number}/activities/new/",
            f"/party/organisations/{number}/offices/new/",
            f"/party/offices/{number}/end/",
            f"/party/activities/{number}/",
        ]:
            assert call("get", url).status_code == 404, url
    for text in TEXTS:
        call("get", "/party/members/", {"q": text, "standing": text, "relation": text})
    assert call.errors == []  # type: ignore[attr-defined]


def test_an_out_of_range_export_year_falls_back_to_this_year(world, party, call):
    response = call("get", "/party/activities/export.xlsx", {"year": "-9614186174"})
    assert response.status_code == 200
    assert "party-activities-20" in response["Content-Disposition"]


def test_no_page_form_makes_a_server_error_or_a_half_write(world, party, call):
    central = f"/party/central/{party.central.public_id}"
    for what in ["household", "member", "unlink-household", "unlink-member", "zzz"]:
        for bad in [*UUIDS, *TEXTS]:
            call("post", f"{central}/{what}/", {"target": bad, "room": bad})
    org = party.branch_a.pk
    for data in [
        {"kind": "party_lecture", "held_on": "0001-01-01", "topic": "t"},
        {"kind": "party_lecture", "held_on": "9999-12-31", "topic": "t"},
        {"kind": "party_lecture", "held_on": "2025-01-01", "topic": "t", "present": ["x"]},
        {"kind": "party_lecture", "held_on": "2025-01-01", "topic": "a\x00b"},
    ]:
        assert call("post", f"/party/organisations/{org}/activities/new/", data).status_code == 200
    for data in [
        {"name": "x", "joined_on": "0001-01-01", "standing": "full"},
        {"name": "x", "joined_on": "9999-12-31", "standing": "full"},
        {"name": "a\x00b", "joined_on": "2001-01-01", "standing": "full"},
        {"room": "x" * 30, "name": "x", "joined_on": "2001-01-01", "standing": "full"},
    ]:
        assert call("post", f"/party/organisations/{org}/members/new/", data).status_code == 200
    member = f"/party/members/{party.m_b1.public_id}"
    for url, data in [
        (f"{member}/transfer-out/", {"external": "x", "on": "0001-01-01"}),
        (f"{member}/transfer-out/", {"external": "x", "on": "9999-12-31"}),
        (f"{member}/move/", {"organisation": HUGE, "on": "2025-01-01"}),
        (f"{member}/move/", {"organisation": str(party.themed.pk), "on": "9999-12-31"}),
        (f"{member}/transfer-in/", {"organisation": "abc", "on": "2025-01-01", "external": "x"}),
    ]:
        assert call("post", url, data).status_code == 200, (url, data)
    assert call.errors == []  # type: ignore[attr-defined]
    assert not Activity.objects.exists()
    assert not Transfer.objects.exists()
    assert Member.objects.count() == 5
    assert not MemberLink.objects.exists() and not HouseholdLink.objects.exists()
    assert not Office.objects.filter(ended_on__isnull=False).exists()
