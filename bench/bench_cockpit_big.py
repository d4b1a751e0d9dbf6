"""The cockpit with 100× the demo on PostgreSQL (issue 14: 1.2 M residents, 400 k requests,
under 1 s). Copies the demo database (built once by `seed_demo` into BENCH_SOURCE_DB) as a
template into BENCH_DATABASE_URL, multiplies its households, residents and Community 110
requests ×100 in SQL (INSERT … SELECT over generate_series: no ORM row by row), then prints:
each figure group's live time at that size, the snapshot refresh (the huey task
`cockpit.tasks.refresh_snapshots`) per community, and the cockpit pages as the leaders open
them (fresh: page cache cleared, heavy groups read from their snapshot; cached: < 60 s).

Run (the demo first, once):
  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_h_cockpit .venv/bin/python \\
      manage.py seed_demo
  BENCH_SOURCE_DB=linli_h_cockpit \\
  BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/linli_h_cockpit_big \\
      .venv/bin/python bench/bench_cockpit_big.py
  BENCH_REUSE=1 skips the copy (the big database is already there); BENCH_TIMES=100.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import benchdb  # noqa: E402

URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/linli_h_cockpit_big"
)
SOURCE = os.environ.get("BENCH_SOURCE_DB", "linli_h_cockpit")
TIMES = int(os.environ.get("BENCH_TIMES", "100"))
REUSE = bool(os.environ.get("BENCH_REUSE"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))


def load() -> str:
    return "load " + "/".join(f"{x:.1f}" for x in os.getloadavg())


def copy_database() -> None:
    import psycopg

    base, name = URL.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{SOURCE}"')


os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = URL
if not REUSE:
    started = time.perf_counter()
    copy_database()
    print(f"copied {SOURCE} in {time.perf_counter() - started:.1f} s")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Model  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.accounts.models import User  # noqa: E402
from linli.cockpit.models import FigureSnapshot  # noqa: E402
from linli.cockpit.snapshots import (  # noqa: E402
    LIVE_BUDGET_MS,
    SNAPSHOT_ABOVE_MS,
    refresh,
    snapshots_for,
)
from linli.core import dates  # noqa: E402
from linli.core.hooks import FigureQuery, all_figure_groups  # noqa: E402
from linli.hotline.models import ServiceRequest  # noqa: E402
from linli.registry.models import Community, Household, Resident  # noqa: E402


def columns(model: type[Model], overrides: dict[str, str]) -> tuple[str, str]:
    """The INSERT column list and the SELECT list copying `model`'s rows (alias `o`), with some
    columns computed instead (`g` is the copy's number)."""
    cols = [str(f.column) for f in model._meta.concrete_fields if not f.primary_key]
    return ", ".join(cols), ", ".join(overrides.get(c, f"o.{c}") for c in cols)


def multiply() -> None:
    """Each active household and its residents, and each request, copied TIMES - 1 times."""
    n = TIMES - 1
    h_cols, h_sel = columns(
        Household, {"public_id": "gen_random_uuid()", "room": "o.room || '~' || g"}
    )
    r_cols, r_sel = columns(
        Resident,
        {
            "public_id": "gen_random_uuid()",
            "household_id": "h.id",
            "citizen_id_hash": "''",
            "citizen_id_encrypted": "''",
            "phone_hash": "''",
            "phone_encrypted": "''",
        },
    )
    q_cols, q_sel = columns(ServiceRequest, {"public_id": "gen_random_uuid()"})
    h, r, q = (m._meta.db_table for m in (Household, Resident, ServiceRequest))
    steps = (
        (
            "households",
            f"INSERT INTO {h} ({h_cols}) SELECT {h_sel} FROM {h} o "
            f"CROSS JOIN generate_series(1, {n}) g WHERE o.status = 'active'",
        ),
        (
            "residents",
            f"INSERT INTO {r} ({r_cols}) SELECT {r_sel} FROM {r} o "
            f"JOIN {h} o_h ON o_h.id = o.household_id AND o_h.status = 'active' "
            f"CROSS JOIN generate_series(1, {n}) g "
            f"JOIN {h} h ON h.unit_id = o_h.unit_id AND h.room = o_h.room || '~' || g "
            "AND h.status = 'active'",
        ),
        (
            "requests",
            f"INSERT INTO {q} ({q_cols}) SELECT {q_sel} FROM {q} o "
            f"CROSS JOIN generate_series(1, {n}) g",
        ),
    )
    with transaction.atomic(), connection.cursor() as cur:
        for label, sql in steps:
            started = time.perf_counter()
            cur.execute(sql)
            print(f"  +{cur.rowcount:>9,} {label} in {time.perf_counter() - started:.1f} s")
            if label == "households":
                cur.execute(f"ANALYZE {h}")  # the residents' copy joins the new households
    with connection.cursor() as cur:
        started = time.perf_counter()
        cur.execute("ANALYZE")
        print(f"  ANALYZE in {time.perf_counter() - started:.1f} s")


def timed(fn: object, *, cold: bool = True) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(ROUNDS):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()  # type: ignore[operator]
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    benchdb.serve_pages_without_collectstatic()
    if not REUSE:
        print(f"multiplying the demo ×{TIMES} {load()}")
        multiply()
    print(
        f"{Resident.objects.count():,} residents, {Household.objects.count():,} households, "
        f"{ServiceRequest.objects.count():,} requests"
    )
    community = Community.objects.get(code="wenchang")
    month = dates.this_month()
    query = FigureQuery(community_ids=frozenset({community.pk}), month=month)
    print(f"figure group (live, Wenchang)   median ms  queries  {load()}")
    for group in all_figure_groups():
        ms, q = timed(lambda g=group: g.provider(query))
        mark = "  → snapshot" if ms >= SNAPSHOT_ABOVE_MS else ""
        print(f"  {group.domain:<28} {ms:9.1f}  {q:7d}{mark}")
    started = time.perf_counter()
    written = refresh(month, community_ids=[community.pk])
    print(
        f"snapshot refresh, Wenchang and its grids: {written} snapshots in "
        f"{time.perf_counter() - started:.1f} s {load()}"
    )
    if not REUSE or not FigureSnapshot.objects.exclude(community=community).exists():
        started = time.perf_counter()
        written = refresh(month)
        print(
            f"snapshot refresh, every community: {written} snapshots in "
            f"{time.perf_counter() - started:.1f} s {load()}"
        )
    chosen = snapshots_for(query)
    print(
        "read from snapshots (ms at the last refresh): "
        + ", ".join(f"{d} {r.compute_ms}" for d, r in sorted(chosen.items()))
        + f"; live: the others (budget {LIVE_BUDGET_MS} ms)"
    )
    grid_id = community.grids.order_by("number").values_list("pk", flat=True).first()
    pages = (
        ("wenchang_admin", "/cockpit/", "cockpit"),
        ("wenchang_admin", f"/cockpit/?grid={grid_id}", "one grid"),
        ("wenchang_admin", "/cockpit/screen/", "big screen"),
        ("wenchang_admin", "/api/cockpit/figures", "API figures"),
        ("viewer", "/cockpit/compare/", "side by side (subdistrict)"),
    )
    print(f"page                        fresh ms queries  cached ms queries  {load()}")
    for username, url, label in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        assert client.get(url, secure=True).status_code == 200, url
        ms, q = timed(lambda c=client, u=url: c.get(u, secure=True))
        warm, wq = timed(lambda c=client, u=url: c.get(u, secure=True), cold=False)
        flag = "" if label != "cockpit" else ("  OK (< 1 s)" if ms < 1000 else "  SLOW (>= 1 s)")
        print(f"  {label:<26} {ms:9.1f} {q:7d}  {warm:9.1f} {wq:7d}{flag}")


if __name__ == "__main__":
    main()
