"""The platform benchmark (issue 16): wrk at 16 connections against gunicorn with 2 sync
workers on the full Wenchang demo, on SQLite (WAL) or PostgreSQL (BENCH_DATABASE_URL).

Scenarios, reading first on the demo as built, then writing: the bare JSON endpoint
anonymous and signed in and the list pages (residents, requests, rates, Party tree, coverage,
volunteers) one at a time (1 connection: median) and at 16 connections (p50); then
bench_platform_pages.py's in-process table (total, SQL, rest and queries of each list page);
then the two bare single-row inserts, the API create (`POST /api/hotline/requests`, grid
worker) and the Open311 create. (The writes add thousands of requests to the month, which the
rates page would count.) Ratios are printed against both bare inserts and the anonymous bare
endpoint measured in the same run of the same checkout: ÷insert against the row inserted with
ids the client sends (the stricter baseline), ÷lookup against issue 16's own baseline
(`bench/bench_hotline_urls.py`: the category looked up by its code, then the row inserted).
Each 16-connection row also shows where the CPU went, per request: the app server's processes,
PostgreSQL's, Redis's and wrk's own (from /proc; the 2 cores are shared by all four, so a
create's ratio is bounded by its CPU against the bare insert's).

BENCH_BEFORE=/path/to/checkout adds the same table for an older checkout (a `git worktree add`
of the commit to compare; never git stash) served against the same database.
BENCH_QUEUE_OFF=1 adds the bare insert and API create with SQLite's write queue turned off.
BENCH_SECONDS (default 5) per scenario. BENCH_DEMO=<file> reuses a built SQLite demo (copied).
BENCH_PHASES (default "read,write"): "write" measures only the anonymous bare endpoint and
the writes, for comparing creates. BENCH_WRITE_RUNS (default 3): the write phase runs that
many times per checkout, each with its own bare insert, and the median of each create's ratio
is printed at the end (one run's ratio moves with the machine's load).

Run: make bench-platform   (or .venv/bin/python bench/bench_platform.py)
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
WRITE_RUNS = max(1, int(os.environ.get("BENCH_WRITE_RUNS", "3")))
PHASES = os.environ.get("BENCH_PHASES", "read,write").split(",")
CONNECTIONS = 16
CSRF = "b" * 32
TMP = Path(tempfile.mkdtemp(prefix="linli-bench-platform-"))
PG_URL = os.environ.get("BENCH_DATABASE_URL", "")

ENV = dict(os.environ)
# Keys from the environment when set (BENCH_DEMO: the keys the demo file was built with).
ENV.setdefault("LINLI_SECRET_KEY", "bench-secret-" + "x" * 40)
ENV.setdefault("LINLI_PII_KEY", "bench-pii-" + "y" * 40)
ENV.update(
    LINLI_LOCAL_DIR=str(TMP / "local"),
    LINLI_HUEY_IMMEDIATE="1",
    LINLI_HUEY_SQLITE_PATH=str(TMP / "huey.sqlite3"),
    LINLI_MEDIA_ROOT=str(TMP / "media"),
    LINLI_SQLITE_PATH=str(TMP / "demo.sqlite3"),
)
for name in ("DATABASE_URL", "REDIS_URL", "LINLI_DEBUG"):
    ENV.pop(name, None)
if PG_URL:
    ENV["DATABASE_URL"] = PG_URL
if os.environ.get("BENCH_REDIS_URL"):
    ENV["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]


def manage(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def build() -> dict[str, str]:
    """The demo database and what the scenarios need from it."""
    started = time.monotonic()
    if PG_URL:
        import psycopg

        base, name = PG_URL.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    demo = os.environ.get("BENCH_DEMO", "")
    if demo and not PG_URL:
        shutil.copy(demo, ENV["LINLI_SQLITE_PATH"])
        manage("migrate", "-v0")
    else:
        manage("migrate", "-v0")
        manage("seed_demo")
    if PG_URL:
        # The demo was just written: its visibility map, statistics and dirty pages would
        # otherwise be settled by autovacuum and the checkpointer during the first scenarios
        # (the first write run's bare insert measured half the second's).
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
            conn.execute("CHECKPOINT")
    print(f"demo built in {time.monotonic() - started:.0f} s", flush=True)
    script = BENCH / "bench_platform_fixture.py"
    out = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, env=ENV, check=True, capture_output=True
    )
    fixture: dict[str, str] = json.loads(out.stdout.decode().strip().splitlines()[-1])
    return fixture


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(root: Path, port: int, **extra: str) -> subprocess.Popen[bytes]:
    # Tasks are queued as in production (huey on the SQLite file, or on Redis with
    # BENCH_REDIS_URL) and not run: the app server's cost of a request, without the delivery
    # a huey consumer does elsewhere.
    env = dict(ENV, LINLI_HUEY_IMMEDIATE="0", **extra)
    env.update(DJANGO_SETTINGS_MODULE="bench_platform_server", PYTHONPATH=f"{root}:{BENCH}")
    log = (TMP / f"gunicorn-{port}.log").open("w")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bench_platform_server:application",
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "/dev/null"),
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"gunicorn did not start; see {TMP}/gunicorn-{port}.log")


@dataclass
class Figures:
    rps: float
    p50: float
    p99: float
    bad: int
    # CPU time per request, µs: the app server's processes, the database server's (PostgreSQL;
    # SQLite's work is the app's own), Redis and wrk itself. The 2 cores are shared by all four.
    cpu: dict[str, float] = field(default_factory=dict)


TICK = os.sysconf("SC_CLK_TCK")


def _cpu_by_role(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the app server (its master and workers), PostgreSQL and
    Redis, from /proc."""
    used = {"app": 0.0, "db": 0.0, "redis": 0.0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = (Path("/proc") / entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICK
        if int(entry) == server_pid or int(fields[1]) == server_pid:
            used["app"] += seconds
        elif name in ("postgres", "postmaster"):
            used["db"] += seconds
        elif name.startswith("redis-server"):
            used["redis"] += seconds
    return used


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(
    port: int,
    path: str,
    connections: int,
    *,
    body: str = "",
    headers: dict[str, str],
    seconds: int = SECONDS,
    server_pid: int = 0,
) -> Figures:
    lua = TMP / f"s{abs(hash((path, body)))}.lua"
    method = "POST" if body else "GET"
    lines = [f'wrk.method = "{method}"', f"wrk.body = {json.dumps(body)}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    lua.write_text("\n".join(lines) + "\n")
    threads = min(2, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    cmd += ["--timeout", "20s", "-s", str(lua)]
    before = _cpu_by_role(server_pid) if server_pid else {}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [*cmd, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    after = _cpu_by_role(server_pid) if server_pid else {}
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    requests = int(re.search(r"(\d+) requests in", out).group(1)) or 1  # type: ignore[union-attr]
    cpu = {role: (after[role] - before[role]) / requests * 1e6 for role in after}
    if cpu:
        wrk_seconds = done.ru_utime + done.ru_stime - children.ru_utime - children.ru_stime
        cpu["wrk"] = wrk_seconds / requests * 1e6
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    if errors:
        print("   wrk:", errors.group(0), flush=True)
    return Figures(rps, p50, p99, int(bad.group(1)) if bad else 0, cpu)


CPU_ROLES = ("app", "db", "redis", "wrk")
# Issue 16's own baseline (bench/bench_hotline_urls.py): the category looked up by its code,
# then the row inserted. "bare insert" alone skips the lookup (the stricter baseline).
LOOKUP = "bare insert + lookup"

PAGES = {
    "residents": "/registry/residents/",
    "requests": "/hotline/",
    "rates": "/hotline/rates/",
    "Party tree": "/party/",
    "coverage": "/party/coverage/",
    "volunteers": "/volunteers/people/",
}


def run(
    label: str,
    root: Path,
    fx: dict[str, str],
    phase: str,
    out: dict[str, Figures],
    **extra: str,
) -> dict[str, Figures]:
    """One checkout's scenarios of one phase: "read" (the bare endpoint and the pages) or
    "write" (the bare insert and the creates), into `out` (the ratios use its baselines)."""
    port = free_port()
    server = serve(root, port, **extra)
    worker = {"Cookie": f"sessionid={fx['worker_session']}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
    admin = {"Cookie": f"sessionid={fx['admin_session']}"}
    json_type = {"Content-Type": "application/json"}
    api_body = json.dumps(
        {
            "category": fx["category_code"],
            "description": "楼上装修太吵",
            "household": fx["household"],
            **({"answers": json.loads(fx["answers"])} if fx["answers"] else {}),
        }
    )
    open311 = "&".join(
        f"{k}={urllib.parse.quote(v)}"
        for k, v in {
            "api_key": fx["open311_key"],
            "service_code": fx["category_code"],
            "lat": "32.394",
            "long": "119.421",
            "description": "路边消防栓漏水",
            **{f"attribute[{k}]": str(v) for k, v in json.loads(fx["answers"] or "{}").items()},
        }.items()
    )
    insert = json.dumps(
        {"community": fx["community"], "category": fx["category"], "description": "x"}
    )
    insert_lookup = json.dumps(
        {"community": fx["community"], "category": fx["category_code"], "description": "x"}
    )
    try:
        scenarios = [
            ("bare endpoint, anonymous", "/bench/bare/", "", {}),
            ("bare endpoint, signed in", "/bench/bare/", "", admin),
            ("bare insert", "/bench/bare-insert/", insert, json_type),
            (LOOKUP, "/bench/bare-insert-lookup/", insert_lookup, json_type),
            ("API create", "/api/hotline/requests", api_body, {**worker, **json_type}),
            (
                "Open311 create",
                "/open311/v2/requests.json",
                open311,
                {"Content-Type": "application/x-www-form-urlencoded"},
            ),
        ]
        writes = ("bare insert", LOOKUP, "API create", "Open311 create")
        if phase == "anonymous":  # only the baseline the write phase's ÷bare needs
            scenarios = scenarios[:1]
        else:
            scenarios = [s for s in scenarios if (s[0] in writes) == (phase == "write")]
        if extra:
            scenarios = [s for s in scenarios if s[0] in ("bare insert", "API create")]
        for name, path, body, headers in scenarios:
            wrk(port, path, 4, body=body, headers=headers, seconds=1)  # warm-up
            out[name] = wrk(
                port, path, CONNECTIONS, body=body, headers=headers, server_pid=server.pid
            )
            _row(label, name, out[name], out)
        for name, path in PAGES.items() if phase == "read" else ():
            one = wrk(port, path, 1, headers=admin)
            many = wrk(port, path, CONNECTIONS, headers=admin, server_pid=server.pid)
            out[f"{name} (1 client)"] = one
            out[f"{name} (16 clients)"] = many
            _row(label, f"{name} (1 client)", one, out)
            _row(label, f"{name} (16 clients)", many, out)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    return out


def _row(label: str, name: str, f: Figures, out: dict[str, Figures]) -> None:
    insert = out.get("bare insert")
    lookup = out.get(LOOKUP)
    bare = out.get("bare endpoint, anonymous")
    r_insert = f"{f.rps / insert.rps:6.2f}" if insert else "     -"
    r_lookup = f"{f.rps / lookup.rps:6.2f}" if lookup else "     -"
    r_bare = f"{f.rps / bare.rps:6.2f}" if bare else "     -"
    cpu = "".join(f"{f.cpu[role]:>7.0f}" for role in CPU_ROLES) if f.cpu else ""
    print(
        f"{label:<10}{name:<28}{f.rps:>9.0f}{f.p50:>9.1f}{f.p99:>9.1f}{f.bad:>6}"
        f"{r_insert:>10}{r_lookup:>10}{r_bare:>10}{cpu}",
        flush=True,
    )


def _header() -> None:
    print(
        f"{'code':<10}{'scenario':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non2xx':>6}"
        f"{'÷insert':>10}{'÷lookup':>10}{'÷bare':>10}"
        + "".join(f"{role:>7}" for role in CPU_ROLES),
        flush=True,
    )
    print(f"{'':<74}CPU µs per request: app server, database server, Redis, wrk")


def main() -> None:
    fx = build()
    db = "PostgreSQL" if PG_URL else "SQLite WAL"
    print(
        f"\nwrk, gunicorn 2 sync workers, {db}, {CONNECTIONS} connections unless said, "
        f"{SECONDS} s per scenario, full Wenchang demo"
    )
    _header()
    before = os.environ.get("BENCH_BEFORE")
    checkouts = [("before", Path(before))] if before else []
    checkouts.append(("now", ROOT))
    figures: dict[str, dict[str, Figures]] = {label: {} for label, _root in checkouts}
    # Reading first, on the demo as built: the writes add thousands of requests to the month,
    # which the rates page then counts.
    for label, root in checkouts:
        run(label, root, fx, "read" if "read" in PHASES else "anonymous", figures[label])
    if "read" in PHASES:
        # where each list page's time goes, in-process on the same demo (less load-sensitive)
        subprocess.run(
            [sys.executable, str(BENCH / "bench_platform_pages.py")],
            cwd=ROOT,
            env=dict(ENV, BENCH_PAGES_DATABASE_READY="1"),
            check=False,
        )
    print()
    _header()
    ratios: dict[tuple[str, str], list[float]] = {}
    # Checkouts take turns (before #1, now #1, before #2 …): the machine's drift over the
    # minutes of the phase then falls on both alike.
    for i in range(WRITE_RUNS if "write" in PHASES else 0):
        for label, root in checkouts:
            # each run its own bare insert; the anonymous bare endpoint of the read phase
            out = {k: v for k, v in figures[label].items() if k == "bare endpoint, anonymous"}
            name = label if WRITE_RUNS == 1 else f"{label} #{i + 1}"
            run(name, root, fx, "write", out)
            for scenario in ("API create", "Open311 create"):
                for base in ("bare insert", LOOKUP):
                    ratio = out[scenario].rps / out[base].rps
                    ratios.setdefault((label, f"{scenario} ÷ {base}"), []).append(ratio)
    if WRITE_RUNS > 1:
        print(f"\nmedian of {WRITE_RUNS} write runs, create ÷ the baseline of the same run")
        for (label, scenario), values in ratios.items():
            shown = " ".join(f"{v:.2f}" for v in values)
            print(f"{label:<10}{scenario:<46}{statistics.median(values):>6.2f}   ({shown})")
    if os.environ.get("BENCH_QUEUE_OFF") and not PG_URL:
        run("no queue", ROOT, fx, "write", {}, LINLI_SQLITE_WRITE_QUEUE="0")
    shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
