"""The three rates for one community-month with 10k, 100k and 1M requests in the database.

The measured community-month always holds the same ~2,000 requests; the database around it
grows (other communities, other months), which is how a city's database grows. The rates
must stay set-based and indexed: 100× the data may cost at most 3× the time, and under 200 ms
at 1M on PostgreSQL. Prints the median of the overall rates (one aggregate) and of the
by-grid table (one grouped aggregate) at each size.

Run: .venv/bin/python bench/bench_hotline_rates.py                       (SQLite, temp file)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_bench_hotline \
         .venv/bin/python bench/bench_hotline_rates.py
     BENCH_SIZES=10000,100000 ... for a quicker run.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP = benchdb.setup("hotline-rates")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.models import RoleAssignment, User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.core import dates  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.hotline import selectors, services  # noqa: E402
from linli.hotline.models import Category, ServiceRequest  # noqa: E402
from linli.registry.models import Community, Grid  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000,1000000").split(",")]
TARGET_ROWS = 2000  # requests in the measured community-month
OTHER_COMMUNITIES = 200
MONTHS = 24
RUNS = 15
BATCH = 5000
MONTH = dt.date(2026, 3, 1)


def setup_places() -> tuple[Community, list[int], list[int], list[tuple[int, int, int]]]:
    """The measured community (11 grids, the default catalogue) and 200 others."""
    target = Community.objects.create(
        name="文昌花园社区", code="bench", subdistrict="曲江街道", district="广陵区", city="扬州市"
    )
    grids = [
        Grid.objects.create(community=target, number=i, name=f"第{i}网格") for i in range(1, 12)
    ]
    services.categories_ensure_defaults(actor=services.SYSTEM, community_id=target.pk)
    categories = list(Category.objects.filter(community=target).values_list("id", flat=True))
    others = []
    for i in range(OTHER_COMMUNITIES):
        c = Community.objects.create(
            name=f"社区{i}", code=f"c{i}", subdistrict="某街道", district="某区", city="扬州市"
        )
        g = Grid.objects.create(community=c, number=1, name="一网格")
        cat = Category.objects.create(
            community=c, code="general", name="一般", priority="general", resolve_minutes=10080
        )
        others.append((c.pk, g.pk, cat.pk))
    return target, [g.pk for g in grids], categories, others


class Writer:
    """Inserts requests with one executemany per batch (the ORM's bulk_create spends most of
    its time building objects, which is not what this measures)."""

    def __init__(self) -> None:
        self.fields = [f for f in ServiceRequest._meta.concrete_fields if f.name != "id"]
        template = ServiceRequest(
            community_id=1,
            category_id=1,
            priority="general",
            channel="phone",
            description="bench",
            submitted_at=timezone.now(),
            period_month=MONTH,
            due_resolve_at=timezone.now(),
        )
        template.created_at = template.updated_at = timezone.now()
        self.defaults = {
            f.attname: f.get_db_prep_save(getattr(template, f.attname), connection)
            for f in self.fields
        }
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {ServiceRequest._meta.db_table} ({columns}) VALUES ({marks})"
        self.prep = {f.attname: f for f in self.fields}

    def row(self, values: dict[str, object]) -> tuple[object, ...]:
        out = dict(self.defaults)
        for name, value in values.items():
            out[name] = self.prep[name].get_db_prep_save(value, connection)
        return tuple(out[f.attname] for f in self.fields)

    def write(self, rows: list[tuple[object, ...]]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)


def request_values(
    rng: random.Random, community: int, grid: int, category: int, month: dt.date
) -> dict[str, object]:
    tz = timezone.get_current_timezone()
    submitted = dt.datetime.combine(month, dt.time(8), tzinfo=tz) + dt.timedelta(
        days=rng.randrange(28), minutes=rng.randrange(600)
    )
    rated = rng.random() < 0.8
    rating = rng.choice((5, 5, 5, 4, 4, 3, 2, 1)) if rated else None
    accepted = submitted + dt.timedelta(minutes=rng.randrange(5, 150))
    due_contact = submitted + dt.timedelta(minutes=120)
    return {
        "public_id": uuid.UUID(int=rng.getrandbits(128)),
        "community_id": community,
        "grid_id": grid,
        "category_id": category,
        "status": "closed" if rated else "resolved",
        "submitted_at": submitted,
        "period_month": month,
        "due_contact_at": due_contact,
        "due_resolve_at": submitted + dt.timedelta(days=7),
        "accepted_at": accepted,
        "contacted_in_time": accepted <= due_contact,
        "door_seconds": rng.randrange(600, 20000),
        "resolve_seconds": rng.randrange(3600, 600000),
        "rating": rating,
        "solved": (rating or 0) >= 3 if rated else None,
        "verdict_source": "resident" if rated else "",
        "was_overdue": rng.random() < 0.08,
        "reopen_count": 1 if rating and rating <= 2 else 0,
        "created_at": submitted,
        "updated_at": submitted,
    }


def fill(
    writer: Writer,
    rng: random.Random,
    target: Community,
    grids: list[int],
    categories: list[int],
    others: list[tuple[int, int, int]],
    have: int,
    want: int,
) -> None:
    months = [
        (MONTH.replace(day=1) - dt.timedelta(days=31 * i)).replace(day=1) for i in range(MONTHS)
    ]
    rows: list[tuple[object, ...]] = []
    for i in range(have, want):
        if i < TARGET_ROWS:
            values = request_values(
                rng, target.pk, rng.choice(grids), rng.choice(categories), MONTH
            )
        elif i % 10 == 0:  # the measured community in other months
            month = rng.choice(months[1:])
            values = request_values(
                rng, target.pk, rng.choice(grids), rng.choice(categories), month
            )
        else:
            community, grid, category = rng.choice(others)
            values = request_values(rng, community, grid, category, rng.choice(months))
        rows.append(writer.row(values))
        if len(rows) >= BATCH:
            writer.write(rows)
            rows = []
    if rows:
        writer.write(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ServiceRequest._meta.db_table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm the cache
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(11)
    target, grids, categories, others = setup_places()
    admin = User.objects.create(username="bench_admin")
    RoleAssignment.objects.create(user=admin, role=Role.COMMUNITY_ADMIN, community=target)
    actor = actor_for_user(admin)
    scope = selectors.RateScope(community_id=target.pk, start=MONTH, end=dates.next_month(MONTH))
    writer = Writer()
    print(f"rates of one community-month ({TARGET_ROWS} requests) on {connection.vendor}")
    print(f"{'requests in db':>15}{'load (s)':>10}{'rates (ms)':>12}{'by grid (ms)':>14}")
    have = 0
    results = []
    for size in SIZES:
        start = time.perf_counter()
        fill(writer, rng, target, grids, categories, others, have, size)
        load = time.perf_counter() - start
        have = size
        check = selectors.rates(actor, scope)
        assert check.requests == TARGET_ROWS, check.requests
        overall = timed(lambda: selectors.rates(actor, scope))
        by_grid = timed(lambda: selectors.rates_by(actor, scope, "grid"))
        results.append((size, overall, by_grid))
        print(f"{size:>15,}{load:>10.1f}{overall:>12.2f}{by_grid:>14.2f}")
    if len(results) >= 2:
        first, last = results[0], results[-1]
        growth = last[0] / first[0]
        rates_x, grid_x = last[1] / first[1], last[2] / first[2]
        print(
            f"data ×{growth:.0f}: rates ×{rates_x:.2f}, by grid ×{grid_x:.2f}"
            "  (target: at most ×3; under 200 ms at 1M on PostgreSQL)"
        )


if __name__ == "__main__":
    main()
