import datetime as dt

import pytest
from django.test import Client

from linli.conftest import make_citizen_id
from linli.core.models import AuditEvent
from linli.registry.models import Resident
from linli.testing import assert_constant_queries


@pytest.fixture
def api(world, worker_a, client_for):
    return client_for(worker_a)


def test_move_in_through_the_api_returns_masked_fields(world, api):
    cid = make_citizen_id(dt.date(2001, 2, 3), 11, male=False)
    response = api.post(
        f"/api/registry/households/{world.household_a2.public_id}/residents",
        {"name": "李小红", "citizen_id": cid, "phone": "15800001111", "relation": "grandchild"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["citizen_id"] == cid[:4] + "*" * 10 + cid[-4:]
    assert body["phone"] == "158****1111"
    assert body["gender"] == "F" and body["birth_date"] == "2001-02-03"


@pytest.mark.parametrize(
    "payload,code",
    [
        (
            {"name": "x", "citizen_id": "110105194912310021", "relation": "child"},
            "invalid_id_checksum",
        ),
        (
            {"name": "x", "citizen_id": "11010519491231002X", "relation": "child", "phone": "123"},
            "invalid_phone",
        ),
        ({"name": "", "birth_date": "2000-01-01", "gender": "M", "relation": "child"}, "required"),
        (
            {"name": "x", "birth_date": "2000-01-01", "gender": "M", "relation": "boss"},
            "invalid_choice",
        ),
    ],
)
def test_bad_input_is_a_clear_400_and_writes_nothing(world, api, payload, code):
    before = (Resident.objects.count(), AuditEvent.objects.count())
    response = api.post(
        f"/api/registry/households/{world.household_a2.public_id}/residents",
        payload,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert (Resident.objects.count(), AuditEvent.objects.count()) == before


def test_patch_changes_one_field_and_keeps_the_rest(world, api):
    r = world.resident_a1
    response = api.patch(
        f"/api/registry/residents/{r.public_id}",
        {"notes": "独居老人"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    r.refresh_from_db()
    assert r.notes == "独居老人" and r.phone_masked == "138****0001"


def test_reveal_through_the_api_is_audited(world, api):
    response = api.post(
        f"/api/registry/residents/{world.resident_a1.public_id}/reveal",
        {"field": "citizen_id", "reason": "办理高龄补贴"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["value"] == make_citizen_id(dt.date(1958, 3, 21), 1, True)
    assert AuditEvent.objects.filter(action="reveal", field="citizen_id").count() == 1


def test_api_writes_need_the_csrf_token(world, worker_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker_a)
    response = client.patch(
        f"/api/registry/residents/{world.resident_a1.public_id}",
        {"notes": "x"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)


def test_resident_list_query_count_does_not_grow_with_page_size(world, api):
    def page(size):
        assert api.get(f"/api/registry/residents?page_size={size}&status=").status_code == 200

    assert_constant_queries(page, (1, 200))


def test_household_move_out_moves_everyone_out(world, api):
    response = api.post(
        f"/api/registry/households/{world.household_a2.public_id}/move-out",
        {"reason": "relocation"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "vacated"
    world.resident_a2.refresh_from_db()
    assert world.resident_a2.status == "moved_out"


def test_api_docs_work_offline(api):
    page = api.get("/api/docs").content.decode()
    assert "cdn." not in page and "/static/ninja/swagger-ui-bundle.js" in page
    schema = api.get("/api/openapi.json").json()
    assert "/api/registry/residents" in schema["paths"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/registry/grids?community=99999999999999999999",
        "/api/registry/households?unit=99999999999999999999",
        "/api/registry/residents?grid=99999999999999999999",
        "/api/registry/residents?building=-1",
        "/api/registry/residents?page=999999999999999999999",
        "/api/registry/import/export?grid=99999999999999999999",
        "/api/registry/grids/99999999999999999999/buildings",
        "/registry/residents/?grid=99999999999999999999&size=9999999999999999999&page=99999999999",
    ],
)
def test_absurd_numbers_are_refused_or_ignored_never_a_500(world, api, url):
    assert api.get(url).status_code in (200, 404, 422)


def test_a_household_on_an_absurd_unit_is_a_4xx(world, api):
    response = api.post(
        "/api/registry/households",
        {"unit_id": 99999999999999999999, "room": "101"},
        content_type="application/json",
    )
    assert response.status_code in (404, 422)
