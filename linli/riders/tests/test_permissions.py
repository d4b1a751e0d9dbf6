"""The permission walk over the station's pages and API: out of scope is a 404, no response
carries a full phone or ID number, and children's data reach only the class staff."""

import datetime as dt

import pytest

from linli.riders import services
from linli.riders.tests.conftest import make_photo
from linli.testing import assert_no_plain_pii

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
SEES = {"admin", "organiser", "viewer"}
CHILD = "张乐乐"


@pytest.fixture
def scene(world, care, resident_user, actor_of, rider, courier, summer_class):
    enrolment = services.enrolment_create(
        actor=actor_of(care),
        class_id=summer_class.id,
        worker_public_id=rider.public_id,
        child_name=CHILD,
        child_birth_date=dt.date(2017, 5, 1),
        child_gender="M",
        notes="哮喘",
    )
    report = services.report_file(
        actor=actor_of(resident_user),
        category="fire",
        place="12栋楼道",
        description="电动车充电",
        photo=make_photo(),
    )
    return {"enrolment": enrolment, "report": report}


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_walk(persona, world, scene, request, client_for, rider, courier, summer_class):
    client = client_for(request.getfixturevalue(persona))
    own_plain = {"a1"} if persona == "resident_user" else set()

    def get(url, expected):
        response = client.get(url)
        assert response.status_code == expected, (persona, url, response.status_code)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
            return response
        body = response.content.decode(errors="replace")
        assert_no_plain_pii(body, world, allowed=own_plain)
        assert "13655556666" not in body
        if persona != "care":
            assert CHILD not in body and "哮喘" not in body, (persona, url)
        return response

    sees = persona in SEES
    get(
        "/riders/",
        200
        if sees or persona == "other_admin"
        else (302 if persona in ("care", "resident_user") else 404),
    )
    get("/riders/workers/", 200 if sees or persona == "other_admin" else 404)
    get(f"/riders/workers/{courier.public_id}/", 200 if sees else 404)
    get(f"/riders/workers/{rider.public_id}/", 200 if sees else 404)
    get("/riders/canteen/", 200 if sees or persona == "other_admin" else 404)
    get("/riders/class/", 200 if sees or persona in ("care", "other_admin") else 404)
    class_page = get(f"/riders/class/{summer_class.id}/", 200 if sees or persona == "care" else 404)
    if persona == "care":
        assert CHILD in class_page.content.decode()
    get("/riders/reports/", 200 if sees or persona == "other_admin" else 404)
    report = scene["report"]
    owner = persona == "resident_user"
    get(f"/riders/reports/{report.public_id}/", 200 if sees or owner else 404)
    get(f"/riders/reports/{report.public_id}/photo/", 200 if sees or owner else 404)
    get("/riders/report/", 200 if owner else 404)
    get("/riders/my-reports/", 200 if owner else 404)
    get("/riders/workers/new/", 200 if persona in ("admin", "other_admin") else 404)
    for what in ("workers", "meals"):
        get(f"/riders/export/{what}.xlsx", 200 if persona in ("admin", "other_admin") else 404)
    get("/api/riders/workers", 200 if sees or persona == "other_admin" else 404)
    get(f"/api/riders/workers/{courier.public_id}", 200 if sees else 404)
    get("/api/riders/reports", 200 if sees or owner or persona == "other_admin" else 404)
    get(f"/api/riders/reports/{report.public_id}", 200 if sees or owner else 404)
    get("/api/riders/classes", 200)
