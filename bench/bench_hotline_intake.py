"""Intake throughput: POST a request through the JSON API and through Open311 with the app
under gunicorn (2 workers) on SQLite WAL, 16 concurrent clients on 127.0.0.1, against a bare
Django JSON endpoint (and a bare ORM insert of the same row) served the same way in the same
run. Prints requests/s and p50 / p99 latency. Target: the API and Open311 reach at least 50%
of the bare endpoint's throughput.

Each scenario is bounded: BENCH_REQUESTS requests (default 2,000) or BENCH_SECONDS seconds
(default 30), whichever comes first, after a short warm-up.

Run: .venv/bin/python bench/bench_hotline_intake.py
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdb

TMP = benchdb.setup("hotline-intake")

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from linli.accounts.models import RoleAssignment, User  # noqa: E402
from linli.core.roles import Role  # noqa: E402
from linli.hotline import services  # noqa: E402
from linli.open311.models import Open311Client  # noqa: E402
from linli.registry.models import Building, Community, Grid, Household, Unit  # noqa: E402

CLIENTS = 16
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
WARMUP = 50
CSRF = "b" * 32
ROOT = Path(__file__).resolve().parent.parent


def build() -> tuple[str, str, str]:
    """A community with one household and its grid worker; returns (session key, household
    id, Open311 api_key)."""
    call_command("migrate", verbosity=0)
    c = Community.objects.create(
        name="文昌花园社区",
        code="wenchang",
        subdistrict="曲江街道",
        district="广陵区",
        city="扬州市",
    )
    grid = Grid.objects.create(community=c, number=1, name="第一网格")
    building = Building.objects.create(community=c, grid=grid, number="12", floors=6)
    unit = Unit.objects.create(building=building, number=2)
    household = Household.objects.create(
        community=c, building=building, unit=unit, room="301", floor=3, tenure="owner"
    )
    worker = User.objects.create_user(username="grid1", password="x")
    RoleAssignment.objects.create(user=worker, role=Role.GRID_WORKER, community=c, grid=grid)
    services.categories_ensure_defaults(actor=services.SYSTEM, community_id=c.pk)
    session = SessionStore()
    session[SESSION_KEY] = str(worker.pk)
    session[BACKEND_SESSION_KEY] = "linli.accounts.backends.LinliBackend"
    session[HASH_SESSION_KEY] = worker.get_session_auth_hash()
    session.create()
    client = Open311Client(name="bench", community=c)
    key = client.set_key()
    client.save()
    connection.close()
    return str(session.session_key), str(household.public_id), key


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
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("POST", "/bench/bare/", body="{}")
            if conn.getresponse().status == 201:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the gunicorn server did not start; see " + str(TMP / "gunicorn.log"))


def load(port: int, make: callable) -> tuple[float, float, float, int, int]:  # type: ignore[valid-type]
    """Run one scenario: (requests/s, p50 ms, p99 ms, requests, errors)."""
    latencies: list[float] = []
    errors = [0]
    issued = [0]
    lock = threading.Lock()
    stop_at = [0.0]

    def worker(warm: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = 0
        while True:
            with lock:
                if warm == 0 and (issued[0] >= REQUESTS or time.perf_counter() > stop_at[0]):
                    break
                if warm == 0:
                    issued[0] += 1
            if warm and done >= warm:
                break
            method, url, body, headers = make()
            start = time.perf_counter()
            try:
                conn.request(method, url, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 201)
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            elapsed = time.perf_counter() - start
            done += 1
            if warm:
                continue
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok
        conn.close()

    for t in [
        threading.Thread(target=worker, args=(WARMUP // CLIENTS + 1,)) for _ in range(CLIENTS)
    ]:
        t.start()
        t.join()
    stop_at[0] = time.perf_counter() + SECONDS
    threads = [threading.Thread(target=worker, args=(0,)) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
    return (
        len(ordered) / wall,
        statistics.median(ordered) * 1000 if ordered else 0.0,
        p99 * 1000,
        len(ordered),
        errors[0],
    )


def main() -> None:
    session, household, key = build()
    port = free_port()
    server = serve(port)
    api_headers = {
        "Content-Type": "application/json",
        "Cookie": f"sessionid={session}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
    }
    body = json.dumps({"category": "noise", "description": "楼上装修太吵", "household": household})
    open311 = urlencode(
        {
            "api_key": key,
            "service_code": "noise",
            "lat": "32.394",
            "long": "119.421",
            "description": "楼上装修太吵",
        }
    )
    scenarios = {
        "bare Django JSON endpoint": lambda: (
            "POST",
            "/bench/bare/",
            body,
            {"Content-Type": "application/json"},
        ),
        "bare ORM insert (baseline)": lambda: (
            "POST",
            "/bench/bare-insert/",
            json.dumps({"category": "noise", "description": "x"}),
            {"Content-Type": "application/json"},
        ),
        "API POST /api/hotline/requests": lambda: (
            "POST",
            "/api/hotline/requests",
            body,
            api_headers,
        ),
        "Open311 POST requests.json": lambda: (
            "POST",
            "/open311/v2/requests.json",
            open311,
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
    }
    results = {}
    try:
        print(
            f"gunicorn 2 workers, SQLite WAL, {CLIENTS} clients, "
            f"up to {REQUESTS} requests or {SECONDS:.0f} s per scenario"
        )
        print(f"{'scenario':<34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'n':>7}{'errors':>8}")
        for name, make in scenarios.items():
            rps, p50, p99, n, errors = load(port, make)
            results[name] = rps
            print(f"{name:<34}{rps:>9.0f}{p50:>9.1f}{p99:>9.1f}{n:>7}{errors:>8}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    bare = results["bare Django JSON endpoint"]
    for name in ("API POST /api/hotline/requests", "Open311 POST requests.json"):
        print(f"{name}: {results[name] / bare:.0%} of the bare endpoint (target ≥ 50%)")


if __name__ == "__main__":
    main()
