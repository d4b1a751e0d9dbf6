"""The JSON API: the lifecycle end to end as the resident and his grid worker, the rates for
any scope, and bad input answered with a clear error, never a 500."""

from __future__ import annotations

import pytest

from linli.hotline.models import GridEscalationContact

pytestmark = pytest.mark.django_db


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_the_whole_lifecycle_through_the_api(world, resident_user, worker_a, admin, client_for):
    GridEscalationContact.objects.create(
        community=world.community, grid=world.grid_a, level="grid_branch_secretary", name="王书记"
    )
    resident, worker = client_for(resident_user), client_for(worker_a)
    response = post(
        resident,
        "/api/hotline/requests",
        {"category": "water", "description": "厨房漏水", "answers": {"extent": "本户"}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    rid = body["id"]
    assert body["status"] == "submitted" and body["channel"] == "portal"
    assert body["caller_phone"] == ""
    base = f"/api/hotline/requests/{rid}"
    assert post(worker, f"{base}/accept").json()["status"] == "accepted"
    assert post(worker, f"{base}/check-in", {"note": "到了"}).json()["status"] == "on_site"
    assert post(worker, f"{base}/resolve", {"note": "换阀门"}).json()["status"] == "resolved"
    body = post(resident, f"{base}/rate", {"rating": 2, "solved": False}).json()
    assert body["status"] == "accepted" and body["escalation_level"] == 1
    assert body["escalated_to"] == "王书记"
    post(worker, f"{base}/resolve", {"note": "重新换管"})
    body = post(resident, f"{base}/rate", {"rating": 5, "solved": True}).json()
    assert body["status"] == "closed" and body["rating"] == 5
    kinds = [e["kind"] for e in body["events"]]
    assert kinds[-2:] == ["rated", "closed"]
    rates = client_for(admin).get(f"/api/hotline/rates?community={world.community.id}").json()
    assert rates[0]["rated"] == 1 and rates[0]["satisfaction_rate"] == 1.0
    assert rates[0]["reopened"] == 1


def test_the_second_accept_is_a_409_with_a_clear_message(
    world, resident_user, worker_a, admin, client_for, english
):
    rid = post(
        client_for(resident_user),
        "/api/hotline/requests",
        {"category": "noise", "description": "吵"},
    ).json()["id"]
    assert post(client_for(worker_a), f"/api/hotline/requests/{rid}/accept").status_code == 200
    second = post(client_for(admin), f"/api/hotline/requests/{rid}/accept")
    assert second.status_code == 409
    assert second.json()["code"] == "already_accepted"
    assert "worker_a" in second.json()["message"]


def test_staff_take_a_call_through_the_api_and_find_the_household_by_phone(
    world, worker_a, client_for
):
    client = client_for(worker_a)
    hits = client.get("/api/hotline/lookup?q=13800000001").json()
    assert [h["address"] for h in hits] == ["12-2-301"]
    response = post(
        client,
        "/api/hotline/requests",
        {
            "category": "noise",
            "description": "楼上吵",
            "household": hits[0]["id"],
            "reporter_phone": "13800000001",
        },
    )
    assert response.status_code == 201
    assert response.json()["channel"] == "phone"
    assert response.json()["caller_phone"] == "138****0001"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"category": "water"},
        {"category": "nope", "description": "x"},
        {"category": "noise", "description": "x" * 5000},
        {"category": "noise", "description": "x", "lat": 200},
        {"category": "noise", "description": "x", "answers": "nope"},
        {"category": "noise", "description": "x", "household": "not-a-uuid"},
    ],
)
def test_bad_input_is_4xx_never_500(world, resident_user, client_for, payload):
    response = post(client_for(resident_user), "/api/hotline/requests", payload)
    assert 400 <= response.status_code < 500, response.content


def test_bad_transitions_and_ratings_are_400(world, resident_user, worker_a, client_for):
    rid = post(
        client_for(resident_user),
        "/api/hotline/requests",
        {"category": "noise", "description": "吵"},
    ).json()["id"]
    worker = client_for(worker_a)
    assert post(worker, f"/api/hotline/requests/{rid}/resolve", {"note": "x"}).status_code == 400
    call = {"rating": 9, "solved": True, "call_note": "电话回访张晓"}
    assert post(worker, f"/api/hotline/requests/{rid}/rate-from-call", call).status_code == 400
    resident = client_for(resident_user)
    assert (
        post(
            resident, f"/api/hotline/requests/{rid}/rate", {"rating": 9, "solved": True}
        ).status_code
        == 400
    )
    assert post(worker, "/api/hotline/requests/not-a-uuid/accept").status_code in (404, 422)


def test_rates_grouped_by_grid_month_worker_and_category(world, admin, resident_user, client_for):
    post(
        client_for(resident_user),
        "/api/hotline/requests",
        {"category": "noise", "description": "吵"},
    )
    client = client_for(admin)
    for group in ("grid", "month", "worker", "category"):
        response = client.get(f"/api/hotline/rates?group={group}")
        assert response.status_code == 200
        assert sum(r["requests"] for r in response.json()) == 1
    assert client.get("/api/hotline/rates?group=planet").status_code == 400
    assert client.get("/api/hotline/rates?start=2026-03-01&end=2026-02-01").status_code == 400
    other = world.other_community.id
    assert client.get(f"/api/hotline/rates?community={other}").status_code == 404


def test_the_resident_reads_no_internal_notes_through_the_api(
    world, resident_user, worker_a, client_for
):
    rid = post(
        client_for(resident_user),
        "/api/hotline/requests",
        {"category": "noise", "description": "吵"},
    ).json()["id"]
    worker = client_for(worker_a)
    assert (
        post(
            worker, f"/api/hotline/requests/{rid}/updates", {"text": "内部", "public": False}
        ).status_code
        == 201
    )
    assert (
        post(
            worker, f"/api/hotline/requests/{rid}/updates", {"text": "明天到", "public": True}
        ).status_code
        == 201
    )
    texts = [
        e["text"]
        for e in client_for(resident_user).get(f"/api/hotline/requests/{rid}").json()["events"]
    ]
    assert "明天到" in texts and "内部" not in texts


def test_absurd_page_and_id_filters_are_a_422_not_a_500(world, admin, client_for):
    # Found by schemathesis: a page or id beyond 64 bits overflowed the database driver.
    client = client_for(admin)
    for query in ("page=18718071259669263810560", "community=99999999999999999999", "grid=-1"):
        answer = client.get(f"/api/hotline/requests?{query}")
        assert answer.status_code == 422, (query, answer.status_code)
    assert client.get("/api/hotline/requests?page=1").status_code == 200
