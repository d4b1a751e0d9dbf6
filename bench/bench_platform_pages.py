"""Where a list page's time goes, in-process (issue 16 item 2): each page of bench_platform's
PAGES rendered by Django's test client for the community admin on the full Wenchang demo,
`BENCH_REPEAT` times (default 50) after 3 warm-ups; prints the median total, the fastest (the
least disturbed by other load on a shared machine), the median time in SQL (timed by a
`connection.execute_wrapper`; on SQLite a query partly runs while its rows are fetched, which
counts as "rest"), the rest (view code and template rendering) and the query count. One
request at a time in one process, so it is far less sensitive to the machine's load than
wrk; the 20 ms target of issue 16 is the median total.

BENCH_DEMO=<file> copies an SQLite demo built by bench_platform.py (its keys: the defaults
below, or LINLI_SECRET_KEY / LINLI_PII_KEY from the environment) and migrates the copy;
without it the demo is built (~7 minutes). BENCH_DATABASE_URL=postgresql://... builds the demo
on PostgreSQL (that database is dropped and re-created) or, with BENCH_REUSE=1, reuses it.

bench_platform.py runs it at its end on the demo it built (BENCH_PAGES_DATABASE_READY=1), so
its output carries this table too.

Run: .venv/bin/python bench/bench_platform_pages.py
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
REPEAT = int(os.environ.get("BENCH_REPEAT", "50"))
TMP = Path(tempfile.mkdtemp(prefix="linli-bench-pages-"))
PG_URL = os.environ.get("BENCH_DATABASE_URL", "")

os.environ.setdefault("LINLI_SECRET_KEY", "bench-secret-" + "x" * 40)
os.environ.setdefault("LINLI_PII_KEY", "bench-pii-" + "y" * 40)
READY = bool(os.environ.get("BENCH_PAGES_DATABASE_READY"))
os.environ.update(DJANGO_SETTINGS_MODULE="bench_platform_server")
if not READY:
    os.environ.update(
        LINLI_LOCAL_DIR=str(TMP / "local"),
        LINLI_HUEY_IMMEDIATE="1",
        LINLI_HUEY_SQLITE_PATH=str(TMP / "huey.sqlite3"),
        LINLI_MEDIA_ROOT=str(TMP / "media"),
        LINLI_SQLITE_PATH=str(TMP / "demo.sqlite3"),
    )
    for name in ("DATABASE_URL", "REDIS_URL", "LINLI_DEBUG"):
        os.environ.pop(name, None)
    if PG_URL:
        os.environ["DATABASE_URL"] = PG_URL
sys.path[:0] = [str(ROOT), str(BENCH)]

PAGES = {
    "residents": "/registry/residents/",
    "requests": "/hotline/",
    "rates": "/hotline/rates/",
    "Party tree": "/party/",
    "coverage": "/party/coverage/",
    "volunteers": "/volunteers/people/",
}


def manage(*args: str) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def build() -> None:
    started = time.monotonic()
    demo = os.environ.get("BENCH_DEMO", "")
    if PG_URL:
        if not os.environ.get("BENCH_REUSE"):
            import psycopg

            base, name = PG_URL.rsplit("/", 1)
            with psycopg.connect(base + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            manage("migrate", "-v0")
            manage("seed_demo")
        else:
            manage("migrate", "-v0")
    elif demo:
        with sqlite3.connect(demo) as source, sqlite3.connect(TMP / "demo.sqlite3") as copy:
            source.backup(copy)
        manage("migrate", "-v0")
    else:
        manage("migrate", "-v0")
        manage("seed_demo")
    print(f"demo ready in {time.monotonic() - started:.0f} s", flush=True)


def measure() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from linli.accounts.models import User

    admin = User.objects.get(username="wenchang_admin")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    sql_seconds = [0.0]
    queries = [0]

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds[0] += time.perf_counter() - start
            queries[0] += 1

    db = "PostgreSQL" if PG_URL else "SQLite WAL"
    print(
        f"\nin-process page render, community admin, {db}, full Wenchang demo, median of "
        f"{REPEAT} (load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"{'page':<14}{'total ms':>10}{'min ms':>8}{'SQL ms':>9}{'rest ms':>9}"
        f"{'queries':>9}{'KiB':>7}"
    )
    for name, path in PAGES.items():
        totals: list[float] = []
        sqls: list[float] = []
        size = 0
        for i in range(REPEAT + 3):
            sql_seconds[0], queries[0] = 0.0, 0
            with connection.execute_wrapper(timed):
                start = time.perf_counter()
                response = client.get(path, secure=True)
                total = time.perf_counter() - start
            assert response.status_code == 200, (path, response.status_code)
            if i >= 3:
                totals.append(total * 1000)
                sqls.append(sql_seconds[0] * 1000)
            size = len(response.content)
        t, s = statistics.median(totals), statistics.median(sqls)
        low = min(totals)
        print(
            f"{name:<14}{t:>10.1f}{low:>8.1f}{s:>9.1f}{t - s:>9.1f}{queries[0]:>9}{size // 1024:>7}"
        )


def main() -> None:
    if os.environ.get("BENCH_PAGES_DATABASE_READY"):
        # called by bench_platform.py on its own demo (its LINLI_* paths in the environment)
        shutil.rmtree(TMP, ignore_errors=True)
        measure()
        return
    build()
    try:
        measure()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
