"""Several app servers and crash safety (issue 16), run by `.ci/run` as its own bounded steps.

`journey` (PostgreSQL + Redis): a huey consumer and two gunicorn instances on two ports behind
haproxy on 127.0.0.1. Through the balancer, choosing the server per request (haproxy routes on
an `X-Linli-Server` request header, round robin otherwise): sign-in on one server and the
session used on the other; login throttling shared (five failures spread over both servers
block the right password on either); a resident files a request with a photo on A, the grid
worker accepts it on B and sees the photo on A; the periodic sweep runs once per tick, in the
one consumer, never in an app server.

`crash` (PostgreSQL + Redis): 16 clients file requests through the balancer; `kill -9` of one
whole app server mid-load: every request answered 201 exists afterwards, the other server
keeps answering 201, and no request lacks its history row (nothing half-written).

`crash-sqlite`: one gunicorn with 2 workers on SQLite; `kill -9` of one worker mid-load; the
same checks plus SQLite's integrity check.

Run: .venv/bin/python tests/platform/multiserver.py journey|crash|crash-sqlite
(environment: LINLI_MULTI_DATABASE_URL, LINLI_MULTI_REDIS_URL).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import requests
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
TMP = Path(tempfile.mkdtemp(prefix="linli-multi-"))
PG_URL = os.environ.get(
    "LINLI_MULTI_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/linli_ci_multi"
)
REDIS_URL = os.environ.get("LINLI_MULTI_REDIS_URL", "redis://127.0.0.1:6379/13")
PROCS: list[subprocess.Popen[bytes]] = []


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(sqlite: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        LINLI_SECRET_KEY="multi-secret-" + "s" * 40,
        LINLI_PII_KEY="multi-pii-" + "p" * 40,
        LINLI_SECURE="0",
        LINLI_PLAIN_STATIC="1",
        LINLI_ALLOWED_HOSTS="127.0.0.1,localhost",
        LINLI_LOCAL_DIR=str(TMP / "local"),
        LINLI_MEDIA_ROOT=str(TMP / "media"),
        LINLI_SWEEP_MINUTES="1",
        LINLI_LOG_LEVEL="INFO",
    )
    if sqlite:
        env["LINLI_SQLITE_PATH"] = str(TMP / "db.sqlite3")
        env["LINLI_HUEY_IMMEDIATE"] = "1"
        env.pop("REDIS_URL", None)
    else:
        env["DATABASE_URL"] = PG_URL
        env["REDIS_URL"] = REDIS_URL
    return env


def fresh_databases(sqlite: bool) -> None:
    if sqlite:
        return
    import psycopg
    import redis

    base, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).flushdb()


def start(name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    out = (TMP / f"{name}.log").open("w")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    PROCS.append(proc)
    return proc


def gunicorn(name: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return start(
        name,
        [
            GUNICORN,
            "config.wsgi:application",
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--graceful-timeout", "5"),
            *("--access-logfile", "-"),
        ],
        env,
    )


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not come up; logs in {TMP}")


HAPROXY = """global
  maxconn 512
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  retries 2
  option redispatch
frontend web
  bind 127.0.0.1:{front}
  default_backend app
backend app
  balance roundrobin
  option httpchk GET /accounts/login/
  timeout check 3s
  default-server inter 1s fall 2 rise 2
  use-server a if {{ req.hdr(x-linli-server) -m str a }}
  use-server b if {{ req.hdr(x-linli-server) -m str b }}
  http-response set-header X-Linli-Served-By %s
  server a 127.0.0.1:{a} check
  server b 127.0.0.1:{b} check
"""


def cluster(env: dict[str, str]) -> tuple[str, dict[str, subprocess.Popen[bytes]]]:
    ports = {"a": free_port(), "b": free_port()}
    front = free_port()
    servers = {name: gunicorn(f"gunicorn-{name}", port, env) for name, port in ports.items()}
    for port in ports.values():
        wait_http(f"http://127.0.0.1:{port}/accounts/login/")
    config = TMP / "haproxy.cfg"
    config.write_text(HAPROXY.format(front=front, **ports))
    subprocess.run(["haproxy", "-c", "-f", str(config)], check=True, capture_output=True)
    start("haproxy", ["haproxy", "-db", "-f", str(config)], env)
    base = f"http://127.0.0.1:{front}"
    wait_http(base + "/accounts/login/")
    time.sleep(1)  # both servers pass their health checks
    return base, servers


def world(env: dict[str, str]) -> dict[str, str]:
    out = subprocess.run(
        [PY, "tests/platform/setup_world.py"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    data: dict[str, str] = json.loads(out.stdout.decode().strip().splitlines()[-1])
    return data


class Browser:
    """A requests session that names the server of each request."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.served: list[str] = []

    def go(self, method: str, path: str, server: str = "", **kw: Any) -> requests.Response:
        headers = dict(kw.pop("headers", {}))
        if server:
            headers["X-Linli-Server"] = server
        if method != "GET":
            token = self.http.cookies.get("csrftoken", "")
            headers.setdefault("X-CSRFToken", token)
            headers.setdefault("Referer", self.base + "/")
        response = self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=30, **kw
        )
        by = response.headers.get("X-Linli-Served-By", "?")
        self.served.append(by)
        if server:
            assert by == server, f"{path} went to {by}, not {server}"
        return response

    def sign_in(self, login: str, password: str, server: str) -> requests.Response:
        self.go("GET", "/accounts/login/", server)
        token = self.http.cookies.get("csrftoken", "")
        return self.go(
            "POST",
            "/accounts/login/",
            server,
            data={"username": login, "password": password, "csrfmiddlewaretoken": token},
        )


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def journey() -> None:
    env = environment(sqlite=False)
    fresh_databases(sqlite=False)
    data = world(env)
    consumer = start("huey", [PY, "manage.py", "run_huey"], env)
    base, _servers = cluster(env)
    log(f"haproxy on {base}, servers a and b, one huey consumer (pid {consumer.pid})")

    # sessions are shared: signed in on a, the same cookie works on b
    resident = Browser(base)
    assert resident.sign_in(data["resident_login"], data["password"], "a").status_code == 302
    assert resident.go("GET", "/hotline/portal/", "b").status_code == 200
    log("signed in on a, session used on b")

    # login throttling is shared: 5 failures over both servers block the right password
    thief = Browser(base)
    for i in range(5):
        response = thief.sign_in(data["admin"], "wrong-password", "ab"[i % 2])
        assert response.status_code == 200, response.status_code
    for server in ("a", "b"):
        blocked = thief.sign_in(data["admin"], data["password"], server)
        assert blocked.status_code != 302, f"throttle not shared: signed in on {server}"
    log("five failures over a and b: the right password is refused on both")

    # a request with a photo filed on a …
    picture = photo_bytes()
    resident.go("GET", f"/hotline/portal/new/?household={data['household']}", "a")
    filed = resident.go(
        "POST",
        f"/hotline/portal/new/?household={data['household']}",
        "a",
        data={
            "category": "noise",
            "description": "楼上装修太吵",
            "csrfmiddlewaretoken": resident.http.cookies.get("csrftoken", ""),
        },
        files={"photos": ("photo.jpg", picture, "image/jpeg")},
    )
    assert filed.status_code == 302, re.findall(
        r"invalid-feedback[^>]*>([^<]+)|alert[^>]*>([^<]+)", filed.text
    )
    public_id = re.search(r"/hotline/r/([0-9a-f-]{36})/", filed.headers["Location"]).group(1)  # type: ignore[union-attr]
    log(f"resident filed {public_id} with a photo on a")

    # … accepted by the grid worker on b
    worker = Browser(base)
    assert worker.sign_in(data["worker"], data["password"], "b").status_code == 302
    accepted = worker.go(
        "POST", f"/api/hotline/requests/{public_id}/accept", "b", json={"note": "马上到"}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    log("the grid worker accepted it on b")

    # … and the photo is seen on a (uploaded files live in shared storage)
    page = worker.go("GET", f"/hotline/r/{public_id}/", "a")
    assert page.status_code == 200
    photo_url = re.search(r"/hotline/photos/[0-9a-f-]{36}/", page.text).group(0)  # type: ignore[union-attr]
    for server in ("a", "b"):
        shot = worker.go("GET", photo_url, server)
        assert shot.status_code == 200 and shot.headers["Content-Type"].startswith("image/")
        assert len(shot.content) > 100
    log("the photo is served by a and by b")

    # the sweep: once per tick, by the one consumer; never by an app server
    deadline = time.monotonic() + 75
    runs: list[str] = []
    while time.monotonic() < deadline and not runs:
        text = (TMP / "huey.log").read_text()
        runs = sorted(
            set(re.findall(r"Executing linli\.hotline\.tasks\.hotline_sweep: (\S+)", text))
        )
        time.sleep(1)
    assert len(runs) == 1, (
        f"the sweep ran {len(runs)} times: {(TMP / 'huey.log').read_text()[-2000:]}"
    )
    for name in ("gunicorn-a", "gunicorn-b"):
        assert "hotline_sweep" not in (TMP / f"{name}.log").read_text()
    log("the periodic sweep ran once, in the consumer")
    log(f"journey passed; servers seen: {sorted(set(resident.served + worker.served))}")


def _ids_in_database(env: dict[str, str]) -> tuple[set[str], int]:
    """Public ids of every request, and how many requests lack their history row."""
    sql_ids = "SELECT public_id FROM hotline_servicerequest"
    sql_orphans = (
        "SELECT COUNT(*) FROM hotline_servicerequest r WHERE NOT EXISTS "
        "(SELECT 1 FROM hotline_requestevent e WHERE e.request_id = r.id)"
    )
    if "DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            ids = {str(uuid.UUID(str(r[0]))) for r in conn.execute(sql_ids)}
            orphans = conn.execute(sql_orphans).fetchone()[0]  # type: ignore[index]
    else:
        import sqlite3

        conn = sqlite3.connect(env["LINLI_SQLITE_PATH"])
        ids = {str(uuid.UUID(str(r[0]))) for r in conn.execute(sql_ids)}
        orphans = conn.execute(sql_orphans).fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    return ids, int(orphans)


def load(base: str, data: dict[str, str], kill: Any, seconds: float = 6.0) -> None:
    """16 clients file through `base`; `kill()` runs after a third of the time."""
    worker = Browser(base)
    assert worker.sign_in(data["worker"], data["password"], "").status_code == 302
    cookies = worker.http.cookies.get_dict()
    acked: list[tuple[str, str, float]] = []
    failed = [0]
    stop = time.monotonic() + seconds
    killed_at = [0.0]
    lock = threading.Lock()
    body = {"category": "noise", "description": "楼上吵", "household": data["household"]}

    def client() -> None:
        http = requests.Session()
        http.cookies.update(cookies)
        headers = {"X-CSRFToken": cookies.get("csrftoken", ""), "Referer": base + "/"}
        while time.monotonic() < stop:
            try:
                r = http.post(
                    base + "/api/hotline/requests", json=body, headers=headers, timeout=20
                )
            except requests.RequestException:
                with lock:
                    failed[0] += 1
                continue
            with lock:
                if r.status_code == 201:
                    acked.append(
                        (r.json()["id"], r.headers.get("X-Linli-Served-By", "?"), time.monotonic())
                    )
                else:
                    failed[0] += 1

    threads = [threading.Thread(target=client) for _ in range(16)]
    for t in threads:
        t.start()
    time.sleep(seconds / 3)
    killed_at[0] = time.monotonic()
    kill()
    for t in threads:
        t.join()
    after = [a for a in acked if a[2] > killed_at[0] + 1]
    log(
        f"{len(acked)} requests acknowledged with 201, {failed[0]} failed or refused; "
        f"{len(after)} acknowledged more than 1 s after the kill"
    )
    assert after, "nothing was served after the kill"
    return_ids = {a[0] for a in acked}
    load.acked = return_ids  # type: ignore[attr-defined]
    load.after = after  # type: ignore[attr-defined]


def crash() -> None:
    env = environment(sqlite=False)
    fresh_databases(sqlite=False)
    data = world(env)
    base, servers = cluster(env)
    log(f"haproxy on {base}; 16 clients filing; kill -9 of server a mid-load")
    load(base, data, lambda: os.killpg(servers["a"].pid, signal.SIGKILL))
    survivors = {a[1] for a in load.after}  # type: ignore[attr-defined]
    assert survivors == {"b"}, survivors
    ids, orphans = _ids_in_database(env)
    missing = load.acked - ids  # type: ignore[attr-defined]
    assert not missing, f"{len(missing)} acknowledged requests are missing"
    assert orphans == 0, f"{orphans} requests without their history row"
    log(f"all {len(load.acked)} acknowledged requests exist; none half-written; b kept serving")  # type: ignore[attr-defined]


def crash_sqlite() -> None:
    env = environment(sqlite=True)
    data = world(env)
    port = free_port()
    master = gunicorn("gunicorn-sqlite", port, env)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/accounts/login/")
    children = subprocess.run(
        ["pgrep", "-P", str(master.pid)], capture_output=True, text=True
    ).stdout.split()
    assert len(children) == 2, children
    log(f"gunicorn on SQLite, workers {children}; kill -9 of worker {children[0]} mid-load")
    load(base, data, lambda: os.kill(int(children[0]), signal.SIGKILL))
    ids, orphans = _ids_in_database(env)
    missing = load.acked - ids  # type: ignore[attr-defined]
    assert not missing, f"{len(missing)} acknowledged requests are missing"
    assert orphans == 0, f"{orphans} requests without their history row"
    log(f"all {len(load.acked)} acknowledged requests exist; integrity ok; none half-written")  # type: ignore[attr-defined]


def main() -> None:
    scenario = sys.argv[1] if len(sys.argv) > 1 else "journey"
    try:
        {"journey": journey, "crash": crash, "crash-sqlite": crash_sqlite}[scenario]()
    except BaseException:
        for path in sorted(TMP.glob("*.log")):
            print(f"---- {path.name} (last lines)")
            print("\n".join(path.read_text(errors="replace").splitlines()[-30:]))
        raise
    finally:
        for proc in PROCS:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in PROCS:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
