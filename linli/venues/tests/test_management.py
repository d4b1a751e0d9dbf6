"""Managing venues, their opening hours, the service catalogue, providers and schedules (pages
and API): staff of the community only, everything else a 404; bad input a clear 400 that writes
nothing; every write audited. And the follow-up hook: a resident's used booking and a service
record ask his household how it went."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from linli.accounts.selectors import actor_for_user
from linli.core import dates, followups
from linli.core.models import AuditEvent
from linli.venues import services
from linli.venues.models import (
    Booking,
    OpeningHours,
    ServiceCategory,
    ServiceProvider,
    ServiceSchedule,
    Venue,
)
from linli.venues.tests.conftest import slot


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


VENUE = {"kind": "meeting_room", "name": "二楼会议室", "capacity": 30, "area_m2": "85.5"}


def test_a_manager_creates_a_venue_sets_its_hours_and_it_can_be_booked(admin, client_for):
    client = client_for(admin)
    created = _post(client, "/api/venues/venues", VENUE)
    assert created.status_code == 201, created.content
    venue_id = created.json()["id"]
    assert AuditEvent.objects.filter(object_type="venues.venue", action="create").exists()
    hours = [{"weekday": d, "opens": "09:00", "closes": "17:30"} for d in range(5)]
    answer = _post(client, f"/api/venues/venues/{venue_id}/hours", hours, "put")
    assert answer.status_code == 200, answer.content
    assert len(client.get(f"/api/venues/venues/{venue_id}/hours").json()) == 5
    day = dates.local_today() + dt.timedelta(days=7)
    day -= dt.timedelta(days=day.weekday())  # a Monday
    ok = _post(
        client,
        "/api/venues/bookings",
        {
            "venue_id": venue_id,
            "start": f"{day}T09:00:00+08:00",
            "end": f"{day}T10:00:00+08:00",
            "purpose": "例会",
            "attendance": 10,
        },
    )
    assert ok.status_code == 201, ok.content
    sunday = day + dt.timedelta(days=6)
    closed = _post(
        client,
        "/api/venues/bookings",
        {
            "venue_id": venue_id,
            "start": f"{sunday}T09:00:00+08:00",
            "end": f"{sunday}T10:00:00+08:00",
            "purpose": "例会",
            "attendance": 10,
        },
    )
    assert closed.json()["code"] == "outside_hours"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"kind": "castle"}, "invalid_choice"),
        ({"kind": "micro_home"}, "required"),  # a micro-home without its grid
        ({"slot_minutes": 25}, "invalid_choice"),
        ({"name": "   "}, "required"),
        ({"name": "城市书房"}, "duplicate_name"),
        ({"grid_id": 999999}, "invalid_choice"),
    ],
)
def test_bad_venue_settings_are_a_400_that_writes_nothing(
    reading_room, admin, client_for, change, code
):
    client = client_for(admin)
    before = Venue.objects.count()
    answer = _post(client, "/api/venues/venues", {**VENUE, **change})
    assert answer.status_code == 400, answer.content
    assert answer.json()["code"] == code
    assert Venue.objects.count() == before


def test_bad_hours_write_nothing_and_keep_the_old_ones(reading_room, admin, client_for):
    client = client_for(admin)
    url = f"/api/venues/venues/{reading_room.pk}/hours"
    for body, code in (
        ([{"weekday": 0, "opens": "18:00", "closes": "09:00"}], "invalid_date"),
        ([{"weekday": 0, "opens": "09:10", "closes": "18:00"}], "off_grid"),
        (
            [
                {"weekday": 1, "opens": "09:00", "closes": "18:00"},
                {"weekday": 1, "opens": "10:00", "closes": "12:00"},
            ],
            "invalid_choice",
        ),
    ):
        answer = _post(client, url, body, "put")
        assert answer.status_code == 400
        assert answer.json()["code"] == code
    assert OpeningHours.objects.filter(venue=reading_room).count() == 7


def test_outside_the_scope_is_a_404(
    reading_room, other_admin, organiser, resident_user, client_for
):
    for user in (other_admin, organiser, resident_user):
        client = client_for(user)
        answer = _post(client, f"/api/venues/venues/{reading_room.pk}", VENUE, "put")
        assert answer.status_code == 404
        assert client.get(f"/venues/{reading_room.pk}/edit/").status_code == 404
        assert client.get(f"/venues/{reading_room.pk}/hours/").status_code == 404
    reading_room.refresh_from_db()
    assert reading_room.name == "城市书房"
    assert _post(client_for(organiser), "/api/venues/venues", VENUE).status_code == 404


def test_venue_pages_create_edit_and_set_hours(world, admin, client_for):
    client = client_for(admin)
    assert client.get("/venues/new/").status_code == 200
    answer = client.post(
        "/venues/new/",
        {
            "name": "第三网格党建微家",
            "kind": "micro_home",
            "grid": world.grid_a.pk,
            "area_m2": "60",
            "capacity": "20",
            "slot_minutes": "30",
            "residents_may_book": "on",
            "active": "on",
        },
    )
    venue = Venue.objects.get(name="第三网格党建微家")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{venue.pk}/hours/")
    form = {f"opens_{d}": "08:00" for d in range(6)} | {f"closes_{d}": "20:00" for d in range(6)}
    assert client.post(f"/venues/{venue.pk}/hours/", form).status_code == 302
    assert sorted(venue.hours.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4, 5]
    half = client.post(f"/venues/{venue.pk}/hours/", {"opens_0": "08:00"})
    assert half.status_code == 200 and "closes_0" in half.content.decode()
    edit = client.get(f"/venues/{venue.pk}/edit/").content.decode()
    assert "第三网格党建微家" in edit
    client.post(
        f"/venues/{venue.pk}/edit/",
        {
            "name": "第三网格党建微家",
            "kind": "micro_home",
            "grid": world.grid_a.pk,
            "area_m2": "60",
            "capacity": "25",
            "slot_minutes": "30",
            "active": "on",
        },
    )
    venue.refresh_from_db()
    assert (venue.capacity, venue.residents_may_book) == (25, False)
    event = AuditEvent.objects.filter(object_type="venues.venue", action="update").latest("id")
    assert event.after == {"capacity": 25, "residents_may_book": False}


def test_catalogue_providers_and_a_schedule_that_books_the_hall(world, hall, admin, client_for):
    client = client_for(admin)
    cat = _post(client, "/api/venues/services/categories", {"name": "义务理发"})
    assert cat.status_code == 201
    cat_id = cat.json()["id"]
    assert _post(client, "/api/venues/services/categories", {"name": "义务理发"}).json()[
        "code"
    ] == ("duplicate_name")
    prov = _post(
        client,
        "/api/venues/services/providers",
        {"name": "巧手理发队", "kind": "team", "category_ids": [cat_id]},
    )
    assert prov.status_code == 201
    assert prov.json()["category_ids"] == [cat_id]
    bad = _post(
        client,
        "/api/venues/services/providers",
        {"name": "某公司", "kind": "team", "category_ids": [cat_id, 999999]},
    )
    assert bad.status_code == 400 and not ServiceProvider.objects.filter(name="某公司").exists()
    first = slot(3, 9)[0].date()
    schedule = {
        "category_id": cat_id,
        "provider_id": prov.json()["id"],
        "venue_id": hall.pk,
        "weekday": first.weekday(),
        "start_time": "09:00",
        "end_time": "11:00",
        "first_day": str(first),
        "last_day": str(first + dt.timedelta(weeks=6)),
        "every_weeks": 2,
        "purpose": "免费理发",
        "attendance": 20,
    }
    made = _post(client, "/api/venues/services/schedules", schedule)
    assert made.status_code == 201, made.content
    assert made.json()["venue"] == "睦邻会馆"
    assert Booking.objects.filter(venue=hall, purpose="免费理发").count() == 4
    again = _post(client, "/api/venues/services/schedules", schedule)
    assert again.status_code == 409 or again.json()["code"] == "series_conflicts"
    assert ServiceSchedule.objects.count() == 1
    assert len(client.get("/api/venues/services/schedules").json()) == 1
    # The pages
    assert client.get("/venues/services/providers/").status_code == 200
    page = client.post(
        "/venues/services/new/", {"name": "家电维修", "description": "", "order": "10"}
    )
    assert page.status_code == 302
    assert ServiceCategory.objects.filter(name="家电维修").exists()


def test_a_used_resident_booking_and_a_service_record_ask_for_a_followup(
    reading_room, resident_user, admin, world, actor_of
):
    asked: list[followups.Followup] = []
    followups.register_handler(asked.append)
    try:
        resident, staff = actor_of(resident_user), actor_of(admin)
        s, e = slot(1, 10)
        b = services.booking_create(
            actor=resident, venue=reading_room, start=s, end=e, purpose="自习", attendance=1
        )
        services.booking_decide(actor=staff, public_id=b.public_id, transition="check_in", at=s)
        assert asked == []
        services.booking_decide(actor=staff, public_id=b.public_id, transition="finish", at=e)
        assert [(f.service_line, f.household_id, f.ref) for f in asked] == [
            ("venues.booking", b.household_id, str(b.public_id))
        ]
        category = ServiceCategory.objects.create(community=world.community, name="义诊")
        provider = ServiceProvider.objects.create(
            community=world.community, name="卫生服务中心", kind="business"
        )
        record = services.record_create(
            actor=staff,
            category_id=category.pk,
            provider_id=provider.pk,
            resident_id=world.resident_a1.pk,
            what="测血压",
        )
        assert asked[-1].service_line == "venues.service"
        assert asked[-1].household_id == world.resident_a1.household_id
        assert asked[-1].ref == str(record.public_id)
    finally:
        followups._HANDLERS.remove(asked.append)


def test_provider_and_schedule_lists_run_constant_queries(world, hall, admin, client_for):
    from linli.testing import assert_constant_queries

    client = client_for(admin)
    cat = ServiceCategory.objects.create(community=world.community, name="义诊")
    made = [0]

    def add(n: int) -> None:
        while made[0] < n:
            made[0] += 1
            p = services.provider_save(
                actor=actor_for_user(admin), name=f"提供方{made[0]}", kind="team", category_ids=[]
            )
            p.categories.add(cat)
            first = slot(2 + made[0], 9)[0].date()
            services.schedule_create(
                actor=actor_for_user(admin),
                category_id=cat.pk,
                provider_id=p.pk,
                request=services.SeriesRequest(
                    venue_id=hall.pk,
                    weekday=first.weekday(),
                    start_time=dt.time(9),
                    end_time=dt.time(10),
                    first_day=first,
                    last_day=first,
                    purpose="义诊",
                    attendance=5,
                ),
            )

    for url in (
        "/api/venues/services/providers",
        "/api/venues/services/schedules",
        "/venues/services/providers/",
        "/venues/services/",
    ):
        assert_constant_queries(lambda n, url=url: client.get(url), [1, 3, 6], setup=add)
