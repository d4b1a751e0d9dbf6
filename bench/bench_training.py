"""The training base at demo scale: the quote of a class and the trainee-visit totals.

Builds the training demo (20 categories, 110 courses, 32 lecturers, 120 beds, five years of
classes: 20,000+ trainee visits, ~50,000 bed-nights) into a fresh database, then prints

1. the builder's time (budget: 15 s on SQLite);
2. the quote of the largest class and of a small one: query count (must not differ) and
   median time;
3. totals by year and by province (all years and one year): query count and median time;
4. the class list's first page and the class page's reads: query count and median time;
5. booking latency: median time of `session_add` + `lodging_book` for new classes.

Run: .venv/bin/python bench/bench_training.py            (SQLite WAL, a temporary file)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_training \
         .venv/bin/python bench/bench_training.py
Targets: quote and totals in constant queries, median under 50 ms.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP = benchdb.setup("training")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.core import dates  # noqa: E402
from linli.core.demo_hooks import DemoContext  # noqa: E402
from linli.core.permissions import Actor, Grant  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.registry.models import Community  # noqa: E402
from linli.training import selectors, services  # noqa: E402
from linli.training.demo import build_demo  # noqa: E402
from linli.training.models import Course, TrainingClass  # noqa: E402

RUNS = 25


def timed(fn, runs: int = RUNS) -> tuple[float, int]:
    """Median milliseconds over `runs` and the query count of one run."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), queries


def main() -> None:
    call_command("migrate", verbosity=0)
    community = Community.objects.create(
        name="文昌花园社区",
        code="wenchang",
        subdistrict="曲江街道",
        district="广陵区",
        city="扬州市",
    )
    actor = Actor(
        user_id=None,
        label="bench",
        grants=(Grant(role=Role.TRAINING_STAFF, community_ids=frozenset({community.pk})),),
    )
    today = dates.local_today()
    start = time.perf_counter()
    with transaction.atomic():  # as seed_demo runs every builder
        figures = build_demo(
            DemoContext(
                seed=2026,
                today=today,
                rng=random.Random(2026),
                main_community_code="wenchang",
                other_community_codes=(),
            )
        )
    built = time.perf_counter() - start
    print(f"database: {connection.vendor}; load average {os.getloadavg()}")
    print(f"demo builder: {built:.2f} s  " + ", ".join(f"{k}: {v:,}" for k, v in figures.items()))

    by_size = TrainingClass.objects.annotate(n=Count("bed_nights")).order_by("-n")
    big = by_size.first()
    small = by_size.filter(n__gt=0).last()
    assert big is not None and small is not None
    for label, klass in (("largest", big), ("small", small)):
        ms, q = timed(lambda k=klass: selectors.class_quote(k).total)
        quote = selectors.class_quote(klass)
        lines = len(quote.courses) + len(quote.lodging) + len(quote.meals)
        print(
            f"quote ({label} class {klass.code}, {lines} lines, total {quote.total}): "
            f"{q} queries, median {ms:.1f} ms"
        )
        assert quote.total == quote.courses_total + quote.lodging_total + quote.meals_total
    for label, fn in (
        ("totals by year", lambda: selectors.totals_by_year(actor)),
        ("totals by province", lambda: selectors.totals_by_province(actor)),
        ("totals by province, one year",
         lambda: selectors.totals_by_province(actor, year=today.year)),
        ("class list, first page", lambda: list(selectors.class_list(actor)[:50])),
        ("class page reads", lambda: (
            list(selectors.class_sessions(big)), selectors.class_lodging(big),
            list(selectors.class_meals(big)), list(selectors.class_roster(big)),
        )),
    ):  # fmt: skip
        ms, q = timed(fn)
        print(f"{label}: {q} queries, median {ms:.1f} ms")
    visits = sum(r.visits for r in selectors.totals_by_year(actor))
    print(f"trainee visits in all: {visits:,}")

    # Booking latency: a new class far in the future gets a session and its beds.
    course = Course.objects.filter(format="lecture").first()
    assert course is not None
    times = []
    for i in range(20):
        day = today + dt.timedelta(days=400 + 7 * i)
        t0 = time.perf_counter()
        klass = services.class_create(
            actor=actor, community_id=community.pk, name="基准班", organisation="基准单位",
            province="江苏省", contact_name="李", starts_on=day,
            ends_on=day + dt.timedelta(days=2), trainee_count=40,
        )  # fmt: skip
        services.session_add(
            actor=actor, public_id=klass.public_id, course_id=course.pk,
            starts_at=dates.day_start(day) + dt.timedelta(hours=9),
            lecturer_id=course.lecturers.first().pk,  # type: ignore[union-attr]
        )  # fmt: skip
        services.lodging_book(actor=actor, public_id=klass.public_id, beds=40)
        times.append((time.perf_counter() - t0) * 1000)
    print(
        f"book a class + a session + 40 beds × 2 nights: median {statistics.median(times):.1f} ms"
        f"; load average {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
