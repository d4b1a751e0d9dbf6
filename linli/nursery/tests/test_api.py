"""The day-care API: a 4-year-old and an unlisted pickup are 400s (the refusal alone is
written); child data never reaches anyone outside the rule."""

from __future__ import annotations

import datetime as dt

from linli.core import dates
from linli.nursery.models import Child, PickupRefusal
from linli.nursery.tests.conftest import baby


def test_enrolling_a_four_year_old_is_a_400(world, toddlers, client_for, carer):
    child = baby(world.household_a1, 48)
    today = dates.local_today()
    answer = client_for(carer).post(
        "/api/nursery/children",
        {
            "class_id": toddlers.id,
            "resident_public_id": str(child.public_id),
            "start_date": str(today),
            "consent_by_public_id": str(world.resident_a1_child.public_id),
            "consent_given": True,
            "health_checked_on": str(today - dt.timedelta(days=1)),
            "health_clinic": "x",
            "health_result": "fit",
        },
        content_type="application/json",
    )
    assert answer.status_code == 400 and answer.json()["code"] == "age_out_of_band"
    assert not Child.objects.exists()


def test_unlisted_pickup_is_a_400_and_only_the_refusal_is_written(
    world, enrolled, client_for, carer
):
    client = client_for(carer)
    url = f"/api/nursery/children/{enrolled.public_id}"
    assert (
        client.post(
            f"{url}/morning",
            {"temperature": "36.5", "hands_mouth_ok": True, "mood": "good"},
            content_type="application/json",
        ).status_code
        == 200
    )
    answer = client.post(
        f"{url}/pickup", {"name": "陌生人", "phone": "13912345678"}, content_type="application/json"
    )
    assert answer.status_code == 400 and answer.json()["code"] == "pickup_refused"
    assert PickupRefusal.objects.count() == 1
    detail = client.get(url).json()
    assert detail["pickup_people"][0]["phone"] == "138****0002"


def test_child_data_reaches_only_staff_and_guardians(
    world, enrolled, client_for, carer, admin, resident_user, worker_a, lead, other_admin
):
    url = f"/api/nursery/children/{enrolled.public_id}"
    for user in (carer, admin, resident_user):
        assert client_for(user).get(url).status_code == 200
    for user in (worker_a, lead, other_admin):
        assert client_for(user).get(url).status_code == 404
        assert (
            str(enrolled.public_id)
            not in client_for(user).get("/api/nursery/children").content.decode()
        )
