"""The riders API as a client uses it: lists and details from the actor's scope with phones
masked, safety reports filed by the worker himself, decisions by the station, and bad input
answered with a 4xx and the usual error body, never a 500. Children never leave through it."""

import datetime as dt

import pytest

from linli.riders import services
from linli.riders.tests.conftest import file_report


def test_the_admin_lists_workers_with_masked_phones_page_by_page(admin, client_for, rider, courier):
    client = client_for(admin)
    listed = client.get("/api/riders/workers").json()
    assert {w["name"] for w in listed} == {"张晓", "刘快"}
    courier_row = next(w for w in listed if w["name"] == "刘快")
    assert courier_row["phone"] == "136****6666" and courier_row["from_registry"] is False
    assert "13655556666" not in client.get("/api/riders/workers").content.decode()
    page = client.get("/api/riders/workers?page=2&page_size=1").json()
    assert len(page) == 1
    assert client.get("/api/riders/workers?kind=courier").json()[0]["name"] == "刘快"
    detail = client.get(f"/api/riders/workers/{courier.public_id}").json()
    assert detail["platform"] == "顺丰"


@pytest.mark.parametrize(
    "query", ["page=0", "page_size=500", "page=abc", "page=99999999999999999999"]
)
def test_bad_paging_is_a_client_error(query, admin, client_for, rider):
    response = client_for(admin).get(f"/api/riders/workers?{query}")
    assert 400 <= response.status_code < 500
    assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize("persona", ["resident_user", "worker_a", "care"])
def test_roles_without_the_station_get_404_for_its_workers(persona, request, client_for, courier):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/api/riders/workers").status_code == 404
    assert client.get(f"/api/riders/workers/{courier.public_id}").status_code == 404


def test_another_communitys_admin_finds_nothing(other_admin, client_for, courier):
    client = client_for(other_admin)
    assert client.get("/api/riders/workers").json() == []
    assert client.get(f"/api/riders/workers/{courier.public_id}").status_code == 404


def test_a_rider_files_a_report_and_reads_only_his_own(
    resident_user, neighbour, client_for, actor_of, rider
):
    other = file_report(actor_of(neighbour), place="20栋门口")
    client = client_for(resident_user)
    made = client.post(
        "/api/riders/reports",
        {"category": "road", "place": "文昌路口", "description": "井盖缺失"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "forwarded" and made.json()["hotline_number"]
    assert [r["place"] for r in client.get("/api/riders/reports").json()] == ["文昌路口"]
    assert client.get(f"/api/riders/reports/{other.public_id}").status_code == 404


def test_bad_report_input_is_refused_with_the_field_named(resident_user, client_for, rider):
    client = client_for(resident_user)
    bad = client.post(
        "/api/riders/reports",
        {"category": "aliens", "place": "x", "description": "y"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_choice" and bad.json()["field"] == "category"
    blank = client.post(
        "/api/riders/reports",
        {"category": "road", "place": " ", "description": "y"},
        content_type="application/json",
    )
    assert blank.json()["code"] == "required" and blank.json()["field"] == "place"
    missing = client.post("/api/riders/reports", {"place": "x"}, content_type="application/json")
    assert missing.status_code == 422
    assert client.post("/api/riders/reports", "{", content_type="application/json").status_code in (
        400,
        422,
    )


def test_a_resident_who_is_not_a_worker_cannot_file(neighbour, client_for, world, admin):
    from linli.accounts.models import RoleAssignment, User
    from linli.core.roles import Role

    outsider = User.objects.create_user(username="b1", password="x", resident=world.resident_b1)
    RoleAssignment.objects.create(
        user=outsider, role=Role.RESIDENT, household=world.household_b1, community=world.community
    )
    response = client_for(outsider).post(
        "/api/riders/reports",
        {"category": "road", "place": "x", "description": "y"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_station_verifies_once_and_the_worker_cannot(
    admin, resident_user, client_for, actor_of, rider
):
    report = file_report(actor_of(resident_user))
    url = f"/api/riders/reports/{report.public_id}/verify"
    assert client_for(resident_user).post(url).status_code == 404
    done = client_for(admin).post(url)
    assert done.status_code == 200 and done.json()["status"] == "verified"
    assert done.json()["points"] == 20
    again = client_for(admin).post(url)
    assert again.status_code == 400 and again.json()["code"] == "invalid_transition"


def test_the_class_figures_leave_through_the_api_but_never_the_children(
    care, admin, client_for, actor_of, rider, summer_class
):
    services.enrolment_create(
        actor=actor_of(care),
        class_id=summer_class.id,
        worker_public_id=rider.public_id,
        child_name="张乐乐",
        child_birth_date=dt.date(2017, 5, 1),
        child_gender="M",
        notes="哮喘",
    )
    for user in (admin, care):
        response = client_for(user).get("/api/riders/classes")
        assert response.json()[0]["enrolled"] == 1
        assert "张乐乐" not in response.content.decode() and "哮喘" not in response.content.decode()
