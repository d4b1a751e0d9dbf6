"""The leaderboard shows residents their neighbours' names masked, on the page and in the API
alike (issue 8 item 10); staff who may see volunteer records see full names in both."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from linli.volunteers import points, services
from linli.volunteers.models import Activity, Signup

FULL = "钱多多"
MASKED = "钱*多"


@pytest.fixture
def earner(world, admin, actor_of):
    volunteer = services.volunteer_register(
        actor=actor_of(admin), community_id=world.community.id, name=FULL, phone="13611112222"
    )
    account = points.lock_account(volunteer.account_id)
    points.credit(account, kind="hours", points=40, actor=points.SYSTEM)
    now = timezone.now()
    activity = Activity.objects.create(
        community=world.community,
        title="义剪",
        place="会馆",
        starts_at=now - dt.timedelta(hours=3),
        ends_at=now - dt.timedelta(hours=1),
        capacity=5,
    )
    Signup.objects.create(
        activity=activity,
        volunteer=volunteer,
        status="confirmed",
        hours=Decimal(2),
        confirmed_at=now,
    )
    return volunteer


@pytest.mark.parametrize("by", ["points", "hours"])
def test_a_resident_sees_masked_names_in_the_api_as_on_the_page(
    by, earner, resident_user, client_for
):
    client = client_for(resident_user)
    page = client.get(f"/volunteers/leaderboard/?by={by}").content.decode()
    api = client.get(f"/api/volunteers/leaderboard?by={by}")
    assert api.status_code == 200
    assert FULL not in page and FULL not in api.content.decode()
    assert MASKED in page
    assert [row["name"] for row in api.json()] == [MASKED]


@pytest.mark.parametrize("persona", ["resident_user", "worker_a", "volunteer"])
def test_no_role_without_volunteer_records_reads_a_full_name(persona, earner, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert [r["name"] for r in client.get("/api/volunteers/leaderboard").json()] == [MASKED]
    assert FULL not in client.get("/volunteers/leaderboard/").content.decode()


@pytest.mark.parametrize("persona", ["admin", "organiser", "viewer"])
def test_staff_who_see_volunteer_records_read_full_names_in_both(
    persona, earner, request, client_for
):
    client = client_for(request.getfixturevalue(persona))
    assert [r["name"] for r in client.get("/api/volunteers/leaderboard").json()] == [FULL]
    assert FULL in client.get("/volunteers/leaderboard/").content.decode()
