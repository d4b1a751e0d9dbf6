"""The statistics read the monthly tallies; every figure equals what the ledger says (a year of
the demo builder's work for sixty workers), the tallies stay in step with the services and are
rebuilt identically, and the query count does not grow with the window or the data."""

from __future__ import annotations

import datetime as dt
import random
import statistics as pystats
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from linli.accounts.selectors import actor_for_user
from linli.core import dates
from linli.core.demo_hooks import DemoContext
from linli.jobs import selectors, services, tallies
from linli.jobs.demo import build_demo
from linli.jobs.models import EarningEntry, MonthTally, Statement
from linli.jobs.money import to_fen
from linli.testing.factories import HouseholdFactory, ResidentFactory

CENT = Decimal("0.01")


def _ledger_incomes(community_id: int) -> dict[dt.date, dict[int, tuple[int, Decimal]]]:
    """month → worker → (pieces, income), straight from the ledger: each firm's exact sum
    rounded once, half-up, then added (the statement's rule)."""
    cells: dict[tuple[dt.date, int, int], Decimal] = defaultdict(Decimal)
    pieces: dict[tuple[dt.date, int], int] = defaultdict(int)
    for e in EarningEntry.objects.filter(community_id=community_id):
        cells[(e.month, e.worker_id, e.firm_id)] += e.amount
        pieces[(e.month, e.worker_id)] += e.pieces
    out: dict[dt.date, dict[int, tuple[int, Decimal]]] = defaultdict(dict)
    for (month, worker_id, _firm), exact in cells.items():
        p, income = out[month].get(worker_id, (pieces[(month, worker_id)], Decimal(0)))
        out[month][worker_id] = (p, income + to_fen(exact))
    return out


@pytest.fixture
def demo_year(world, admin):  # type: ignore[no-untyped-def]
    """The demo builder's year of piecework for the residents of a few dozen households."""
    rng = random.Random(12)
    for i in range(60):
        household = HouseholdFactory.create(unit=world.unit_a, room=f"9{i:03d}")
        ResidentFactory.create(
            household=household,
            birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=150 * i + rng.randrange(30)),
            is_party_member=i < 4,
            is_unemployed=i % 2 == 0,
        )
    build_demo(
        DemoContext(
            seed=12,
            today=dates.local_today(),
            rng=random.Random(12),
            main_community_code=world.community.code,
            other_community_codes=(),
        )
    )
    return actor_for_user(admin)


def test_every_figure_equals_the_ledger_on_a_demo_year(world, demo_year):
    stats = selectors.statistics_for(demo_year)
    ledger = _ledger_incomes(world.community.id)
    assert sum(m.employed for m in stats.months) > 500
    for figures in stats.months:
        incomes = [inc for p, inc in ledger.get(figures.month, {}).values() if p > 0]
        assert figures.employed == len(incomes)
        assert figures.total == sum(incomes, Decimal(0))
        if incomes:
            assert figures.average == (sum(incomes) / len(incomes)).quantize(CENT, ROUND_HALF_UP)
            assert figures.median == Decimal(pystats.median(incomes)).quantize(CENT, ROUND_HALF_UP)
    # issued months: each worker's income is exactly his statement's total
    for s in Statement.objects.filter(community=world.community):
        assert ledger[s.month][s.worker_id][1] == s.total
    # the last complete month by team and firm add up to the month's employed
    assert stats.latest is not None
    latest = next(m for m in stats.months if m.month == stats.latest)
    assert sum(g.employed for g in stats.by_team) == latest.employed
    assert sum(n for _label, n in stats.histogram) == latest.employed
    by_firm = defaultdict(list)
    for e_firm, e_worker, amount in EarningEntry.objects.filter(
        community=world.community, month=stats.latest
    ).values_list("firm__name", "worker_id", "amount"):
        by_firm[e_firm].append((e_worker, amount))
    for group in stats.by_firm:
        per_worker: dict[int, Decimal] = defaultdict(Decimal)
        for worker_id, amount in by_firm[group.label]:
            per_worker[worker_id] += amount
        values = [to_fen(v) for v in per_worker.values()]
        assert group.employed == len(values)
        assert group.median == Decimal(pystats.median(values)).quantize(CENT, ROUND_HALF_UP)


def test_the_tallies_follow_returns_and_corrections_and_rebuild_identically(shop):
    def snapshot() -> list[tuple[object, ...]]:
        return list(
            MonthTally.objects.order_by("month", "worker_id", "firm_id").values_list(
                "month", "worker_id", "firm_id", "team_id", "pieces", "exact", "fen"
            )
        )

    batch = services.batch_dispatch(
        actor=shop.lead, order_id=shop.order.id, worker_public_id=shop.worker.public_id, quantity=9
    )
    services.batch_return(actor=shop.lead, batch_id=batch.id, accepted=5)
    services.batch_return(actor=shop.lead, batch_id=batch.id, accepted=2)
    (row,) = snapshot()
    assert row[4:] == (7, Decimal("2.3331"), 233)
    services.entry_correct(
        actor=shop.lead,
        worker_public_id=shop.worker.public_id,
        order_id=shop.order.id,
        pieces=-1,
        reason="复检发现一件不合格",
    )
    (row,) = snapshot()
    assert row[4:] == (6, Decimal("1.9998"), 200)
    month = selectors.statistics_for(shop.lead).months[-1]
    assert (month.employed, month.total) == (1, Decimal("2.00"))
    before = snapshot()
    call_command("jobs_rebuild_tallies", verbosity=0)
    assert snapshot() == before
    assert tallies.rebuild() == 1


def test_the_statistics_take_four_queries_whatever_the_window(
    world, demo_year, django_assert_num_queries
):
    for months in (2, 3, 12, 24):  # each window holds the last complete month
        with django_assert_num_queries(4):
            selectors.statistics_for(demo_year, months=months)


def test_the_statistics_page_and_api_take_a_constant_number_of_queries(
    world, shop, admin, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    last = dates.add_months(dates.this_month(), -1)
    client = client_for(admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/jobs/stats/").status_code == 200
            assert client.get("/api/jobs/statistics").status_code == 200
        return len(queries)

    def work(worker, n: int) -> None:  # type: ignore[no-untyped-def]
        batch = services.batch_dispatch(
            actor=shop.lead,
            order_id=shop.order.id,
            worker_public_id=worker.public_id,
            quantity=n,
            on=last,
        )
        services.batch_return(
            actor=shop.lead, batch_id=batch.id, accepted=n, on=last + dt.timedelta(days=1)
        )

    count()  # the client's first requests settle its session: not part of the measure
    work(shop.worker, 2)
    few = count()
    work(shop.other, 3)
    work(shop.worker, 4)
    assert count() == few
