"""Elderly care at demo scale: the demo builder's time, the proactive sweep over the full demo
(12,600 residents, 2,700 elders, a year of visits and visit logs) — time and query count of a
first and a second run (the second must raise nothing) — and the query counts of the care
worker's "today" list and of an elder's page.

Run: .venv/bin/python bench/bench_care.py            (SQLite WAL, a temporary file)
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_care \
         .venv/bin/python bench/bench_care.py
Targets: the sweep under 5 s on both databases; builder under 20 s on SQLite.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP = benchdb.setup("care")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.models import User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.care import demo, selectors, services  # noqa: E402
from linli.care.models import Elder  # noqa: E402
from linli.core.demo_hooks import DemoContext, register_demo  # noqa: E402

TIMES: dict[str, float] = {}


def timed(ctx: DemoContext) -> dict[str, int]:
    start, cpu = time.perf_counter(), time.process_time()
    out = demo.build_demo(ctx)
    TIMES["builder"] = time.perf_counter() - start
    TIMES["builder_cpu"] = time.process_time() - cpu
    return out


def measure(label: str, fn: object) -> object:
    with CaptureQueriesContext(connection) as ctx:
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()  # type: ignore[operator]
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"{label}: {took * 1000:.0f} ms wall ({cpu * 1000:.0f} ms CPU),",
        f"{len(ctx.captured_queries)} queries",
    )
    return result


def main() -> None:
    call_command("migrate", verbosity=0)
    register_demo("care", timed, order=60)
    call_command("seed_demo", verbosity=0)
    print(f"database: {connection.vendor}")
    print(f"care demo builder: {TIMES['builder']:.1f} s wall, {TIMES['builder_cpu']:.1f} s CPU")
    print(
        f"load average: {os.getloadavg()[0]:.1f}",
        "(the wall times grow with it; the machine is shared)",
    )
    print(f"elders: {Elder.objects.count()}")
    # A sweep a week later raises the tasks of a week without visits; the next one nothing.
    later = timezone.now() + dt.timedelta(days=7)
    first = measure("sweep, first run (a week later)", lambda: services.proactive_sweep(now=later))
    second = measure("sweep, second run", lambda: services.proactive_sweep(now=later))
    print(f"  raised first {first.raised} (by rule {first.by_rule}), second {second.raised}")  # type: ignore[attr-defined]
    care = actor_for_user(User.objects.get(username="care"))
    measure("today list", lambda: list(selectors.visits_today(care)))
    elder = Elder.objects.filter(over_80=True).first()
    assert elder is not None
    measure(
        "elder page", lambda: selectors.elder_page(care, selectors.elder_get(care, elder.public_id))
    )
    measure("board", lambda: selectors.board(care, sorted(care.community_ids)))


if __name__ == "__main__":
    main()
