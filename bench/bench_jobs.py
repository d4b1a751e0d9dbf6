"""Doorstep jobs at scale: a year of piecework for 430 workers (the demo builder's data: nine
firms, ~13,000 batches with their returns and ledger entries, statements of past months).

1. Issuing the month's statements: last month's statements are removed and issued again with
   `services.statements_issue` (430 workers with a year of returns in the ledger). Target < 5 s.
2. The statistics page for a year (`/jobs/stats/` as the community admin): median time over 15
   requests, and the selector's query count for a 3-month and a 12-month window (asserted
   equal). Target: median < 100 ms, constant query count. Where the page's time goes: the
   selector (split into its SQL and the Python around it), the chart JSON and the template.
   The statistics read the monthly tallies (`linli/jobs/tallies.py`); for comparison the run
   also times the same figures computed straight from the ledger (the earlier way).

Run: .venv/bin/python bench/bench_jobs.py                  (SQLite WAL, a temporary file)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_nurjobs \
         .venv/bin/python bench/bench_jobs.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

os.environ.setdefault("LINLI_PLAIN_STATIC", "1")  # render pages without a collectstatic manifest
TMP = benchdb.setup("jobs")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.accounts.models import RoleAssignment, User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.core import dates  # noqa: E402
from linli.core.demo_hooks import DemoContext  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.jobs import selectors, services, views  # noqa: E402
from linli.jobs.demo import build_demo  # noqa: E402
from linli.jobs.models import EarningEntry, Statement, StatementLine  # noqa: E402
from linli.jobs.money import to_fen  # noqa: E402
from linli.testing.factories import (  # noqa: E402
    BuildingFactory,
    CommunityFactory,
    GridFactory,
    HouseholdFactory,
    ResidentFactory,
    UnitFactory,
)


def build() -> User:
    call_command("migrate", verbosity=0)
    community = CommunityFactory.create(name="文昌花园社区", code="wenchang")
    grid = GridFactory.create(community=community, number=1, name="第一网格")
    unit = UnitFactory.create(building=BuildingFactory.create(grid=grid, number="1"), number=1)
    rng = random.Random(7)
    for i in range(470):
        household = HouseholdFactory.create(unit=unit, room=f"{i:04d}")
        ResidentFactory.create(
            household=household,
            birth_date=dt.date(1966, 1, 1) + dt.timedelta(days=29 * i + rng.randrange(5)),
            is_party_member=i < 20,
            is_unemployed=i % 3 == 0,
        )
    admin = User.objects.create_user(username="wenchang_admin", password="x")
    RoleAssignment.objects.create(user=admin, role=Role.COMMUNITY_ADMIN, community=community)
    lead = User.objects.create_user(username="jobs", password="x")
    RoleAssignment.objects.create(user=lead, role=Role.JOBS_LEAD, community=community)
    started = time.perf_counter()
    figures = build_demo(
        DemoContext(
            seed=2026,
            today=dates.local_today(),
            rng=random.Random(2026),
            main_community_code="wenchang",
            other_community_codes=(),
        )
    )
    print(f"demo builder: {time.perf_counter() - started:.1f} s {figures}")
    return admin


def main() -> None:
    admin = build()
    actor = actor_for_user(admin)
    last = dates.add_months(dates.this_month(), -1)
    print(
        f"{connection.vendor}: {EarningEntry.objects.count():,} ledger entries, "
        f"{Statement.objects.count():,} statements"
    )
    StatementLine.objects.filter(statement__month=last).delete()
    Statement.objects.filter(month=last).delete()
    community_id = sorted(actor.community_ids)[0]
    started = time.perf_counter()
    issued = services.statements_issue(actor=actor, community_id=community_id, month=last)
    took = time.perf_counter() - started
    print(f"issue {last:%Y-%m}: {issued} statements in {took:.2f} s (target < 5 s)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    counts = []
    for months in (3, 12):
        with CaptureQueriesContext(connection) as queries:
            selectors.statistics_for(actor, months=months)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print(f"statistics queries: {counts[0]} for 3 months, {counts[1]} for 12 (constant)")

    client = Client(SERVER_NAME="localhost")
    client.force_login(admin)
    first = client.get("/jobs/stats/", secure=True)
    assert first.status_code == 200, (first.status_code, first.get("Location"), first.content[:300])
    times = []
    for _ in range(15):
        started = time.perf_counter()
        assert client.get("/jobs/stats/", secure=True).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"statistics page: median {statistics.median(times):.0f} ms, "
        f"max {max(times):.0f} ms (target < 100 ms)"
    )
    selector_times, sql_times = [], []
    for _ in range(15):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            data = selectors.statistics_for(actor)
            selector_times.append((time.perf_counter() - started) * 1000)
        sql_times.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    chart_times, render_times = [], []
    request = RequestFactory().get("/jobs/stats/")
    request.user = admin
    for _ in range(15):
        started = time.perf_counter()
        chart = views.stats_chart(data)
        json.dumps(chart)  # what json_script does with it in the template
        chart_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        render_to_string("jobs/stats.html", {"stats": data, "chart": chart}, request=request)
        render_times.append((time.perf_counter() - started) * 1000)
    baseline = []
    for _ in range(5):
        started = time.perf_counter()
        ledger_statistics(actor)
        baseline.append((time.perf_counter() - started) * 1000)
    sel = statistics.median(selector_times)
    print(
        f"  selector: median {sel:.1f} ms (SQL {statistics.median(sql_times):.1f} ms), "
        f"chart JSON {statistics.median(chart_times):.2f} ms, "
        f"template {statistics.median(render_times):.1f} ms"
    )
    led = statistics.median(baseline)
    print(f"  the same figures from the ledger: median {led:.0f} ms (ratio {led / sel:.1f}×)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def ledger_statistics(actor: object) -> list[tuple[dt.date, int, object, Decimal]]:
    """Per month: employed, average, median, straight from the ledger (the baseline)."""
    first = dates.add_months(dates.this_month(), -11)
    cells: dict[tuple[dt.date, int, int], Decimal] = defaultdict(Decimal)
    pieces: dict[tuple[dt.date, int], int] = defaultdict(int)
    for r in (
        EarningEntry.objects.filter(month__gte=first)
        .values("month", "worker_id", "firm_id")
        .annotate(p=Sum("pieces"), a=Sum("amount"))
        .order_by()
    ):
        cells[(r["month"], r["worker_id"], r["firm_id"])] += r["a"]
        pieces[(r["month"], r["worker_id"])] += r["p"]
    income: dict[dt.date, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (month, worker_id, _firm), exact in cells.items():
        income[month][worker_id] += to_fen(exact)
    out: list[tuple[dt.date, int, object, Decimal]] = []
    for month, workers in sorted(income.items()):
        values = [v for w, v in workers.items() if pieces[(month, w)] > 0]
        out.append(
            (month, len(values), sum(values) / len(values), Decimal(statistics.median(values)))
        )
    return out


if __name__ == "__main__":
    main()
