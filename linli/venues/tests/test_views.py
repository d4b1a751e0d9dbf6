"""Pages and API of venues: the resident books through the pages, broken rules are a 400 with
nothing written, list pages and reports run a constant number of queries, exports are audited,
hooks answer for the actor."""

from __future__ import annotations

import datetime as dt
import json

from linli.core import hooks
from linli.core.models import AuditEvent
from linli.testing import assert_constant_queries
from linli.venues import selectors, services
from linli.venues.models import Booking, ServiceCategory, ServiceProvider
from linli.venues.tests.conftest import slot


def _add_bookings(actor, venue, n, start_day=3):
    have = Booking.objects.filter(venue=venue).count()
    for i in range(have, n):
        s, e = slot(start_day + i // 10, 8 + i % 10)
        services.booking_create(
            actor=actor, venue=venue, start=s, end=e, purpose=f"活动{i}", attendance=2
        )


def test_the_resident_books_on_the_page_and_sees_it_in_my_bookings(
    reading_room, resident_user, client_for
):
    client = client_for(resident_user)
    s, _e = slot(2, 15)
    page = client.get(f"/venues/{reading_room.pk}/?from={s.date():%Y-%m-%d}")
    assert page.status_code == 200
    assert f'data-testid="slot-{s.date():%Y-%m-%d}-1500"' in page.content.decode()
    response = client.post(
        f"/venues/{reading_room.pk}/book/",
        {
            "day": f"{s.date():%Y-%m-%d}",
            "start_time": "15:00",
            "end_time": "16:00",
            "purpose": "读书会",
            "attendance": 4,
        },
    )
    assert response.status_code == 302
    mine = client.get("/venues/me/bookings/").content.decode()
    assert "城市书房" in mine and 'data-testid="cancel-booking"' in mine
    # The same slot again: the form shows why, nothing more is written.
    again = client.post(
        f"/venues/{reading_room.pk}/book/",
        {
            "day": f"{s.date():%Y-%m-%d}",
            "start_time": "15:30",
            "end_time": "16:30",
            "purpose": "x",
            "attendance": 1,
        },
    )
    assert again.status_code == 200
    assert Booking.objects.count() == 1


def test_api_refuses_bad_bookings_with_400_and_writes_nothing(
    reading_room, resident_user, client_for
):
    client = client_for(resident_user)
    s, e = slot(2, 10)
    bad = client.post(
        "/api/venues/bookings",
        json.dumps(
            {
                "venue_id": reading_room.pk,
                "start": e.isoformat(),
                "end": s.isoformat(),
                "purpose": "x",
                "attendance": 1,
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_date"
    over = client.post(
        "/api/venues/bookings",
        json.dumps(
            {
                "venue_id": reading_room.pk,
                "start": s.isoformat(),
                "end": e.isoformat(),
                "purpose": "x",
                "attendance": 99,
            }
        ),
        content_type="application/json",
    )
    assert over.status_code == 400 and over.json()["code"] == "over_capacity"
    assert not Booking.objects.exists()
    ok = client.post(
        "/api/venues/bookings",
        json.dumps(
            {
                "venue_id": reading_room.pk,
                "start": s.isoformat(),
                "end": e.isoformat(),
                "purpose": "读书",
                "attendance": 2,
            }
        ),
        content_type="application/json",
    )
    assert ok.status_code == 201
    taken = client.post(
        "/api/venues/bookings",
        json.dumps(
            {
                "venue_id": reading_room.pk,
                "start": s.isoformat(),
                "end": e.isoformat(),
                "purpose": "读书",
                "attendance": 2,
            }
        ),
        content_type="application/json",
    )
    assert taken.status_code == 409 and taken.json()["code"] == "slot_taken"


def test_availability_and_utilisation_run_constant_queries(reading_room, admin, actor_of):
    actor = actor_of(admin)
    first = slot(3, 8)[0].date()
    assert_constant_queries(
        lambda n: selectors.venue_availability(actor, reading_room, first, 31),
        [1, 10, 30],
        setup=lambda n: _add_bookings(actor, reading_room, n),
    )
    month = first.replace(day=1)
    assert_constant_queries(
        lambda n: selectors.utilisation(actor, month, 12),
        [1, 10, 30],
        setup=lambda n: _add_bookings(actor, reading_room, n),
    )


def test_list_pages_and_apis_run_constant_queries(reading_room, admin, client_for, actor_of):
    client = client_for(admin)
    actor = actor_of(admin)
    for url in ("/venues/bookings/", "/api/venues/bookings", "/venues/utilisation/", "/venues/"):
        assert_constant_queries(
            lambda n, url=url: client.get(url),
            [1, 5, 15],
            setup=lambda n: _add_bookings(actor, reading_room, n),
        )


def test_utilisation_counts_booked_over_open_hours(reading_room, admin, actor_of):
    actor = actor_of(admin)
    s, e = slot(3, 9, length=120)
    b = services.booking_create(
        actor=actor, venue=reading_room, start=s, end=e, purpose="x", attendance=3
    )
    services.booking_decide(actor=actor, public_id=b.public_id, transition="no_show")
    report = selectors.utilisation(actor, s.date().replace(day=1), 1)
    use = report.venues[0].months[0]
    days = (selectors.dates.next_month(s.date()) - s.date().replace(day=1)).days
    assert use.open_minutes == days * 13 * 60
    assert (use.booked_minutes, use.no_shows) == (120, 1)
    assert report.heat[s.weekday()][9] == 2


def test_exports_are_audited(reading_room, admin, client_for, actor_of):
    _add_bookings(actor_of(admin), reading_room, 3)
    client = client_for(admin)
    for what in ("bookings", "records", "utilisation"):
        response = client.get(f"/venues/export/{what}.xlsx")
        assert response.status_code == 200
        assert AuditEvent.objects.filter(action="export", object_id=f"venues.{what}").exists()


def test_a_service_record_is_rated_by_the_resident_only(world, admin, resident_user, actor_of):
    category = ServiceCategory.objects.create(community=world.community, name="义诊")
    provider = ServiceProvider.objects.create(
        community=world.community, name="卫生服务中心", kind="business"
    )
    record = services.record_create(
        actor=actor_of(admin),
        category_id=category.pk,
        provider_id=provider.pk,
        resident_id=world.resident_a1.pk,
        what="测血压",
    )
    import pytest

    from linli.core.errors import DomainError, NotFound

    with pytest.raises(NotFound):
        services.record_rate(actor=actor_of(admin), public_id=record.public_id, rating=5)
    with pytest.raises(DomainError):
        services.record_rate(actor=actor_of(resident_user), public_id=record.public_id, rating=6)
    rated = services.record_rate(
        actor=actor_of(resident_user), public_id=record.public_id, rating=4
    )
    assert (rated.status, rated.rating) == ("closed", 4)
    with pytest.raises(DomainError) as exc:
        services.record_rate(actor=actor_of(resident_user), public_id=record.public_id, rating=5)
    assert exc.value.code == "invalid_transition"


def test_kit_loans_and_returns_keep_the_shelf_right(kit_item, worker_a, worker_b, world, actor_of):
    import pytest

    from linli.core.errors import NotFound

    loan = services.loan_create(
        actor=actor_of(worker_a), item_id=kit_item.pk, resident_id=world.resident_a1.pk, quantity=2
    )
    kit_item.refresh_from_db()
    assert kit_item.available == 1
    with pytest.raises(NotFound):  # grid B's worker does not keep grid A's kit
        services.loan_return(actor=actor_of(worker_b), public_id=loan.public_id)
    services.loan_return(actor=actor_of(worker_a), public_id=loan.public_id)
    kit_item.refresh_from_db()
    assert kit_item.available == 3
    overdue_day = selectors.dates.local_today() + dt.timedelta(days=30)
    assert not selectors.loan_list(actor_of(worker_a), overdue=True, today=overdue_day).exists()


def test_hooks_answer_for_the_actor(reading_room, resident_user, admin, actor_of, world):
    resident = actor_of(resident_user)
    tiles = [t.key for t in hooks.tiles_for(resident)]
    assert "venues.book" in tiles
    s, _e = slot(1, 10)
    services.booking_create(
        actor=resident, venue=reading_room, start=s, end=_e, purpose="x", attendance=1
    )
    panel = next(p for p in hooks.panels_for(actor_of(admin)) if p.key == "venues")
    assert panel.context(actor_of(admin), world.resident_a1.pk)["bookings"]
    group = next(g for g in hooks.figure_groups_for(actor_of(admin)) if g.domain == "venues")
    figures = {
        f.key: f.value
        for f in group.provider(
            hooks.FigureQuery(frozenset({world.community.id}), s.date().replace(day=1))
        )
    }
    assert figures["venues.bookings"] == 1
    hits = next(
        p for p in hooks.search_providers_for(actor_of(admin)) if p.domain == "venues"
    ).search(actor_of(admin), "书房", 5)
    assert hits and hits[0].label == "城市书房"


def test_a_series_preview_with_a_zoned_time_or_a_huge_venue_id_is_a_4xx(
    reading_room, admin, client_for
):
    # Found by schemathesis: "00:00:00Z" and an id beyond 64 bits were 500s.
    client = client_for(admin)
    body = {
        "venue_id": reading_room.pk,
        "weekday": 1,
        "start_time": "19:00:00Z",
        "end_time": "21:00:00",
        "first_day": "2026-12-01",
        "last_day": "2027-02-28",
        "purpose": "x",
        "attendance": 5,
    }
    for change in ({}, {"start_time": "19:00:00", "venue_id": 2**70}):
        answer = client.post(
            "/api/venues/series/preview",
            json.dumps(body | change),
            content_type="application/json",
        )
        assert answer.status_code in (400, 422), answer.content
        assert "code" in answer.json()
