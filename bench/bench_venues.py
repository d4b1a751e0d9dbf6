"""Venues: (1) a venue's availability for a month and the utilisation report for a year of
bookings, on a year of demo bookings (the venues demo builder): query counts and median ms;
(2) booking creation through the JSON API under gunicorn (2 workers), 16 concurrent clients
racing for slots on a few venues: requests/s, p50/p99, and afterwards a check that no two
bookings that hold time overlap on any venue (the exclusion constraint on PostgreSQL, the
write transaction on SQLite). Targets (issue 10): availability and utilisation median under
50 ms on the demo; zero overlaps.

SQLite by default; BENCH_DATABASE_URL=postgresql://…/linli_venues_bench for PostgreSQL.
Run: .venv/bin/python bench/bench_venues.py   (BENCH_SECONDS, BENCH_REQUESTS bound part 2)
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP = benchdb.setup("venues")

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.accounts.models import RoleAssignment, User  # noqa: E402
from linli.accounts.selectors import actor_for_user  # noqa: E402
from linli.core import dates  # noqa: E402
from linli.core.demo_hooks import DemoContext  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.registry.models import Community, Grid  # noqa: E402
from linli.venues import selectors, services  # noqa: E402
from linli.venues.demo import build_demo  # noqa: E402
from linli.venues.models import Booking, Venue  # noqa: E402

CLIENTS = 16
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "1500"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
RUNS = 15
CSRF = "c" * 32
ROOT = Path(__file__).resolve().parent.parent


def build() -> User:
    call_command("migrate", verbosity=0)
    c = Community.objects.create(
        name="文昌花园社区",
        code="wenchang",
        subdistrict="曲江街道",
        district="广陵区",
        city="扬州市",
    )
    Grid.objects.bulk_create(Grid(community=c, number=n, name=f"第{n}网格") for n in range(1, 12))
    staff = User.objects.create_user(username="service", password="x")
    RoleAssignment.objects.create(user=staff, role=Role.SERVICE_STAFF, community=c)
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
    print(f"demo builder: {time.perf_counter() - started:.1f} s, {figures}")
    if connection.vendor == "postgresql":
        # What autovacuum does to a live database: planner statistics, and a visibility map
        # so the covering index answers the utilisation aggregates without heap fetches.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return staff


def timed(fn) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Median ms and query count of `fn`; also prints how much of one call is SQL (time inside
    the database driver) and how much Python."""
    fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    sql = [0.0]

    def clock(execute, sql_text, params, many, context):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql[0] += time.perf_counter() - t

    with connection.execute_wrapper(clock):
        start = time.perf_counter()
        fn()
        whole = (time.perf_counter() - start) * 1000
    print(f"  one call: {whole:.1f} ms, of which SQL {sql[0] * 1000:.1f} ms")
    return statistics.median(samples), queries


def part_one(staff: User) -> None:
    actor = actor_for_user(staff)
    room = Venue.objects.get(name="城市书房")
    month = dates.this_month()
    ms, q = timed(lambda: selectors.venue_availability(actor, room, month, 31))
    print(f"availability of one venue for a month: median {ms:.1f} ms, {q} queries")
    first = dates.add_months(month, -11)
    ms, q = timed(lambda: selectors.utilisation(actor, first, 12))
    n = Booking.objects.count()
    print(f"utilisation report for a year ({n:,} bookings): median {ms:.1f} ms, {q} queries")
    # One booking created in-process (the path the API takes, without HTTP): queries and time.
    slots = iter(range(10_000))

    def create_one() -> None:
        i = next(slots)
        day = dates.local_today() + dt.timedelta(days=100 + i // 8)
        start = dates.day_start(day).replace(hour=9 + i % 8)
        services.booking_create(
            actor=actor,
            venue=room,
            start=start,
            end=start + dt.timedelta(minutes=60),
            purpose="压测",
            attendance=5,
        )

    ms, q = timed(create_one)
    print(f"one booking created (service, in-process): median {ms:.1f} ms, {q} queries")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench_hotline_server",
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
        LINLI_HUEY_IMMEDIATE="1",
    )
    log = (TMP / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "bench_hotline_server:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "/dev/null"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 240  # two workers importing Django on a loaded machine
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("POST", "/bench/bare/", body="{}")
            if conn.getresponse().status == 201:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the gunicorn server did not start; see " + str(TMP / "gunicorn.log"))


def part_two(staff: User) -> None:
    session = SessionStore()
    session[SESSION_KEY] = str(staff.pk)
    session[BACKEND_SESSION_KEY] = "linli.accounts.backends.LinliBackend"
    session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    session.create()
    venue_ids = list(
        Venue.objects.filter(name__in=["城市书房", "议事厅", "睦邻会馆", "多功能厅"]).values_list(
            "pk", flat=True
        )
    )
    connection.close()
    headers = {
        "Content-Type": "application/json",
        "Cookie": f"sessionid={session.session_key}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
    }
    base = dates.local_today() + dt.timedelta(days=40)
    rng = random.Random(7)
    rng_lock = threading.Lock()

    def body() -> str:
        with rng_lock:
            day = base + dt.timedelta(days=rng.randrange(20))
            hour = rng.randrange(9, 19)
            minute = rng.choice((0, 30))
            length = rng.choice((30, 60, 90))
            venue = rng.choice(venue_ids)
        start = dates.day_start(day).replace(hour=hour, minute=minute)
        end = start + dt.timedelta(minutes=length)
        return json.dumps(
            {
                "venue_id": venue,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "purpose": "压测",
                "attendance": 5,
            }
        )

    port = free_port()
    server = serve(port)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    issued = [0]
    stop_at = time.perf_counter() + SECONDS

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if issued[0] >= REQUESTS or time.perf_counter() > stop_at:
                    break
                issued[0] += 1
            start = time.perf_counter()
            try:
                conn.request("POST", "/api/venues/bookings", body=body(), headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    try:
        threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    print(
        f"booking creation, {CLIENTS} clients, gunicorn 2 workers: "
        f"{len(ordered) / wall:.0f} req/s, "
        f"p50 {statistics.median(ordered) * 1000:.0f} ms, p99 {p99:.0f} ms; statuses {statuses} "
        "(201 booked, 409 slot taken)"
    )
    overlaps = overlap_count()
    print(f"overlapping bookings afterwards: {overlaps}; load average {os.getloadavg()}")
    if overlaps or statuses.get(500) or statuses.get(0):
        raise SystemExit("FAILED: overlaps or server errors")


def overlap_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*) FROM venues_booking a JOIN venues_booking b
              ON a.venue_id = b.venue_id AND a.id < b.id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
             WHERE a.status IN ('requested','approved','checked_in','done','no_show')
               AND b.status IN ('requested','approved','checked_in','done','no_show')
            """
        )
        return int(cursor.fetchone()[0])


def main() -> None:
    print(f"database: {connection.vendor}; load average {os.getloadavg()}")
    staff = build()
    part_one(staff)
    part_two(staff)


if __name__ == "__main__":
    main()
