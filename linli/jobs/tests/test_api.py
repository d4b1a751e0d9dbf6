"""The jobs API: bad input is a 400 with a clear message and writes nothing; a worker reads only
his own; list operations run a constant number of queries."""

from __future__ import annotations

import datetime as dt

from linli.core import dates
from linli.jobs.models import Batch, Order


def test_dispatch_more_than_left_is_a_400(shop, client_for, lead):
    client = client_for(lead)
    url = f"/api/jobs/orders/{shop.order.id}/dispatch"
    answer = client.post(
        url,
        {"worker_public_id": str(shop.worker.public_id), "quantity": 1001},
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "not_enough_left"
    answer = client.post(
        url,
        {"worker_public_id": str(shop.worker.public_id), "quantity": -1},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert not Batch.objects.exists()
    answer = client.post(
        url,
        {"worker_public_id": str(shop.worker.public_id), "quantity": 10},
        content_type="application/json",
    )
    assert answer.status_code == 201
    batch_id = answer.json()["id"]
    answer = client.post(
        f"/api/jobs/batches/{batch_id}/return", {"accepted": 11}, content_type="application/json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "more_than_out"
    answer = client.post(
        f"/api/jobs/batches/{batch_id}/return", {"accepted": 10}, content_type="application/json"
    )
    assert answer.status_code == 201
    month = client.get(f"/api/jobs/workers/{shop.worker.public_id}/month").json()
    assert month["pieces"] == 10 and month["amount"] == "3.33"


def test_a_rate_with_five_decimals_is_a_400(shop, client_for, lead):
    before = Order.objects.count()
    answer = client_for(lead).post(
        "/api/jobs/orders",
        {
            "firm_id": shop.firm.id,
            "product": "x",
            "quantity": 10,
            "rate": "0.12345",
            "due_on": str(dates.local_today() + dt.timedelta(days=3)),
        },
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "rate_precision"
    assert Order.objects.count() == before


def test_paying_an_unissued_statement_is_refused(shop, client_for, admin):
    answer = client_for(admin).post(
        "/api/jobs/statements/00000000-0000-0000-0000-000000000001/pay",
        {"method": "bank"},
        content_type="application/json",
    )
    assert answer.status_code == 404


def test_worker_reads_only_his_own(shop, client_for, resident_user, worker_a):
    mine = client_for(resident_user).get("/api/jobs/me")
    assert mine.status_code == 200 and mine.json()["worker"]["name"] == "张晓"
    assert client_for(resident_user).get("/api/jobs/orders").status_code == 404
    assert client_for(worker_a).get("/api/jobs/workers").status_code == 404


def test_worker_list_query_count_is_constant(shop, client_for, lead, django_assert_max_num_queries):
    client = client_for(lead)
    with django_assert_max_num_queries(12):
        assert client.get("/api/jobs/workers").status_code == 200
