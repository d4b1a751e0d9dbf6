"""The three rates against a fixture whose numerators and denominators are worked out by
hand (see the table in each test), for the community, each grid, a category and a worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from linli.hotline import selectors
from linli.hotline.models import Category, ServiceRequest

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=TZ)
MARCH = dt.date(2026, 3, 1)


def at(day, hour=9, month=3):
    return dt.datetime(2026, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def fixture(world, worker_a):
    noise = Category.objects.get(community=world.community, code="noise")
    water = Category.objects.get(community=world.community, code="water")

    def make(n, grid, category, *, day=5, month=3, community=None, **values):
        submitted = at(day, month=month)
        defaults = {
            "community": community or world.community,
            "grid": grid,
            "category": category,
            "priority": category.priority,
            "channel": "phone",
            "description": f"#{n}",
            "submitted_at": submitted,
            "period_month": submitted.date().replace(day=1),
            "due_contact_at": submitted + dt.timedelta(hours=2),
            "due_resolve_at": submitted + dt.timedelta(days=7),
            "status": "closed",
        }
        defaults.update(values)
        if defaults.get("rating") is not None:
            defaults.setdefault("verdict_source", "resident")
        return ServiceRequest.objects.create(**defaults)

    a, b = world.grid_a, world.grid_b
    ok = {"accepted_at": at(5, 10), "contacted_in_time": True}
    make(
        1,
        a,
        noise,
        **ok,
        rating=5,
        solved=True,
        door_seconds=3600,
        resolve_seconds=7200,
        assignee=worker_a,
    )
    make(
        2,
        a,
        noise,
        accepted_at=at(5, 14),
        contacted_in_time=False,
        rating=4,
        solved=True,
        door_seconds=7200,
        resolve_seconds=14400,
        was_overdue=True,
        assignee=worker_a,
    )
    make(
        3,
        a,
        noise,
        **ok,
        rating=2,
        solved=False,
        resolve_seconds=36000,
        reopen_count=1,
        status="accepted",
    )
    make(4, a, water, day=10, status="submitted")  # contact was due on the 10th: late
    make(5, b, water, day=31, status="submitted", due_contact_at=at(2, month=4))  # not due yet
    make(6, b, water, **ok, rating=3, solved=True, door_seconds=1800, assignee=worker_a)
    make(
        7,
        b,
        water,
        **ok,
        rating=1,
        solved=False,
        reopen_count=2,
        was_overdue=True,
        status="accepted",
    )
    make(8, b, water, **ok, status="resolved")
    # Not counted: cancelled, another month, another community.
    make(9, a, noise, **ok, rating=5, solved=True, status="cancelled")
    make(10, a, noise, month=2, **ok, rating=5, solved=True)
    other_noise = Category.objects.get(community=world.other_community, code="noise")
    make(11, None, other_noise, community=world.other_community, **ok, rating=5, solved=True)


def scope(world, **extra):
    return selectors.RateScope(
        community_id=world.community.id, start=MARCH, end=dt.date(2026, 4, 1), **extra
    )


def test_the_community_month_by_hand(fixture, world, admin, actor_of):
    r = selectors.rates(actor_of(admin), scope(world), now=NOW)
    # requests 1–8; due for contact: accepted 1,2,3,6,7,8 + overdue-unaccepted 4 = 7;
    # in time: 1,3,6,7,8 = 5; rated: 1,2,3,6,7 = 5; solved: 1,2,6 = 3; rated 4–5: 1,2 = 2.
    assert (r.requests, r.due_for_contact, r.contacted_in_time) == (8, 7, 5)
    assert (r.rated, r.solved, r.satisfied) == (5, 3, 2)
    assert r.response_rate == round(5 / 7, 4)
    assert r.resolution_rate == 0.6
    assert r.satisfaction_rate == 0.4
    # door: (3600 + 7200 + 1800) / 3 = 4200 s; resolution: (7200 + 14400 + 36000) / 3 = 19200 s
    assert r.avg_door_seconds == 4200 and r.avg_door_hours == 1.17
    assert r.avg_resolve_seconds == 19200 and r.avg_resolve_hours == 5.33
    assert (r.overdue, r.reopened) == (2, 3)


def test_by_grid_by_hand(fixture, world, admin, actor_of):
    rows = {r.key: r for r in selectors.rates_by(actor_of(admin), scope(world), "grid", now=NOW)}
    a, b = rows[world.grid_a.id], rows[world.grid_b.id]
    # grid A: 1–4, all due, in time 1,3; rated 1,2,3, solved 1,2, satisfied 1,2
    assert (a.requests, a.due_for_contact, a.contacted_in_time) == (4, 4, 2)
    assert (a.response_rate, a.rated, a.solved, a.satisfied) == (0.5, 3, 2, 2)
    # grid B: 5–8, due 6,7,8, all in time; rated 6,7, solved 6, satisfied none
    assert (b.requests, b.due_for_contact, b.contacted_in_time, b.response_rate) == (4, 3, 3, 1.0)
    assert (b.rated, b.solved, b.satisfied, b.satisfaction_rate) == (2, 1, 0, 0.0)


def test_a_grid_worker_gets_only_her_grids_rates(fixture, world, worker_a, actor_of):
    r = selectors.rates(actor_of(worker_a), scope(world), now=NOW)
    assert (r.requests, r.rated, r.satisfied) == (4, 3, 2)


def test_by_category_worker_and_month(fixture, world, admin, worker_a, actor_of):
    actor = actor_of(admin)
    noise = selectors.rates(actor, scope(world, category_code="noise"), now=NOW)
    assert (noise.requests, noise.rated, noise.satisfied, noise.solved) == (3, 3, 2, 2)
    worker = selectors.rates(actor, scope(world, worker_id=worker_a.id), now=NOW)
    assert (worker.requests, worker.rated, worker.satisfied) == (3, 3, 2)  # 1, 2, 6
    year = selectors.RateScope(community_id=world.community.id, start=dt.date(2026, 1, 1))
    months = {r.key: r.requests for r in selectors.rates_by(actor, year, "month", now=NOW)}
    assert months == {dt.date(2026, 2, 1): 1, MARCH: 8}


def test_no_rated_requests_means_no_rate_rather_than_zero(world, admin, actor_of):
    r = selectors.rates(actor_of(admin), scope(world), now=NOW)
    assert r.requests == 0 and r.satisfaction_rate is None and r.response_rate is None


def test_the_compiled_figures_equal_the_querysets_for_every_grouping_scope_and_actor(
    fixture, world, admin, worker_a, actor_of
):
    """`rates_by` runs one statement compiled per actor scope and set of filters; whatever
    ran before with other values, it returns what the queryset returns for its own."""
    year = selectors.RateScope(community_id=world.community.id, start=dt.date(2026, 1, 1))
    scopes = [
        scope(world),
        scope(world, grid_id=world.grid_b.id),
        scope(world, worker_id=worker_a.id),
        scope(world, category_code="noise"),
        year,
        replace(year, community_id=world.other_community.id),
    ]
    columns = {"grid": "grid_id", "month": "period_month", "worker": "assignee_id"}
    columns["category"] = "category_id"
    seen = set()
    for now in (NOW, NOW - dt.timedelta(days=30)):  # `now` moves what is due for contact
        for user in (admin, worker_a, admin):
            actor = actor_of(user)
            for s in scopes:
                for group, column in columns.items():
                    expected = [
                        selectors._rates_from(row, row[column])
                        for row in selectors.rates_queryset(actor, s)
                        .order_by()
                        .values(column)
                        .annotate(**selectors._rate_aggregates(now))
                        .order_by(column)
                    ]
                    got = selectors.rates_by(actor, s, group, now=now)
                    assert got == expected, (user.username, s, group)
                    seen.add(tuple((r.key, r.requests, r.due_for_contact) for r in got))
    assert len(seen) > 10  # the scopes, actors and times gave different figures
