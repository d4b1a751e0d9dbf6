#!/usr/bin/env python3
"""Fuzz the JSON API with schemathesis against its own OpenAPI schema (`make fuzz`, CI).

Builds the Wenchang Garden demo once into a throw-away SQLite database (as `make demo` does;
copied from LINLI_DEMO_SNAPSHOT when that holds a build, see tests/demo_snapshot.py),
serves it with gunicorn on a free port, signs in through the login form as the community admin
(`wenchang_admin`) and as the demo resident (his phone number), and runs schemathesis for both
people side by side against /api/openapi.json with a fixed seed and a bounded number of examples.

Checks: no answer is a server error (5xx), and every answer whose status the schema documents
matches its schema. Bad input must be a 4xx with the usual error body, never a 500.

    .venv/bin/python tests/fuzz/run_schemathesis.py                  # build, serve, fuzz
    .venv/bin/python tests/fuzz/run_schemathesis.py --examples 50    # harder
    .venv/bin/python tests/fuzz/run_schemathesis.py --base-url http://127.0.0.1:8000
        # against a demo you serve yourself (`make run`); it writes into that database

Reports (JUnit XML and the failing cases as a pytest file) and the server's log land in
test-results/fuzz/. Exit status: 0 when both runs pass.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.demo_snapshot import build_sqlite_demo, demo_environment  # noqa: E402

RESULTS = ROOT / "test-results" / "fuzz"
ADMIN = "wenchang_admin"
CHECKS = "not_a_server_error,response_schema_conformance"
# Left out: the spreadsheet exports. Each call builds the whole 12,618-resident workbook (tens of
# seconds), so fuzzing them would spend the run's budget on one operation; their parameters are
# the list filters fuzzed on the list operations, and their tests cover the files.
EXCLUDE_PATH_REGEX = r"/export"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], env: dict[str, str], log: TextIO) -> str:
    started = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    print(f"  {' '.join(args[1:4])} … {time.monotonic() - started:.0f}s", flush=True)
    log.write(result.stdout + result.stderr)
    if result.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the demo server stopped (exit {server.returncode}); see {RESULTS}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    sys.exit(f"the demo server did not answer {url} within {timeout:.0f}s")


RESIDENT_LOGIN = """
import django; django.setup()
from linli.demo.accounts import RESIDENT_USERNAME, demo_logins, DEMO_PASSWORD
from linli.accounts.models import User
from linli.core import pii
user = User.objects.select_related("resident").get(username=RESIDENT_USERNAME)
print(pii.decrypt(user.resident.phone_encrypted)); print(DEMO_PASSWORD)
"""


@contextmanager
def demo_server() -> Iterator[tuple[str, str, str]]:
    """Build and serve the demo; yield (base URL, resident login, password)."""
    tmp = Path(tempfile.mkdtemp(prefix="linli-fuzz-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "LINLI_SQLITE_TEST_PATH")
        and not k.startswith("PYTEST_")
    }
    env.update(
        # Production settings with DEBUG off, plain HTTP and static files from the finders.
        DJANGO_SETTINGS_MODULE="config.test_settings",
        LINLI_HUEY_IMMEDIATE="1",
        PYTHONUNBUFFERED="1",
        **demo_environment(tmp),
    )
    python = sys.executable
    port = _free_port()
    server: subprocess.Popen[bytes] | None = None
    print("Building the demo (SQLite)", flush=True)
    with (RESULTS / "server.log").open("w") as log:
        try:
            build_sqlite_demo(tmp, env, lambda args: _run(args, env, log))
            phone, password = _run([python, "-c", RESIDENT_LOGIN], env, log).split()
            log.flush()
            server = subprocess.Popen(
                [
                    *(python, "-m", "gunicorn", "config.wsgi"),
                    *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"),
                    *("--timeout", "60", "--access-logfile", "-"),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_up(base_url + "/accounts/login/", server)
            yield base_url, phone, password
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
            shutil.rmtree(tmp, ignore_errors=True)


def sign_in(base_url: str, username: str, password: str) -> tuple[str, str]:
    """Sign in through the login form as a browser does; return (sessionid, csrftoken)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = base_url + "/accounts/login/"
    opener.open(login_url, timeout=30).read()
    csrf = next(c.value or "" for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    ).encode()
    request = urllib.request.Request(login_url, data=body, headers={"Referer": login_url})
    opener.open(request, timeout=30).read()
    cookies = {c.name: c.value or "" for c in jar}
    if "sessionid" not in cookies:
        sys.exit(f"could not sign in as {username}")
    return cookies["sessionid"], cookies.get("csrftoken") or csrf or ""


def fuzz_command(
    base_url: str, who: str, username: str, password: str, args: argparse.Namespace
) -> list[str]:
    session, csrf = sign_in(base_url, username, password)
    return [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{base_url}/api/openapi.json",
        *("--url", base_url),
        *("-H", f"Cookie: sessionid={session}; csrftoken={csrf}"),
        *("-H", f"X-CSRFToken: {csrf}"),
        *("--checks", CHECKS),
        *("--exclude-path-regex", EXCLUDE_PATH_REGEX),
        *("--phases", args.phases),
        *("--seed", str(args.seed)),
        *("--max-examples", str(args.examples)),
        # One thread per run: Python 3.11.7's ast.parse is not thread-safe ("AST constructor
        # recursion depth mismatch" from Hypothesis); the two people run side by side instead.
        *("--workers", "1"),
        *("--request-timeout", "30"),
        "--no-shrink",  # bounded time; the pytest report still reproduces each failure
        *("--generation-with-security-parameters", "false"),
        *("--generation-database", "none"),
        *("--report", "junit,pytest"),
        *("--report-dir", str(RESULTS / who)),
        "--no-color",
    ]


def fuzz(base_url: str, people: dict[str, tuple[str, str]], args: argparse.Namespace) -> int:
    """Run schemathesis for each person at once; print each run's output when it ends."""
    runs = {}
    for who, (username, password) in people.items():
        command = fuzz_command(base_url, who, username, password, args)
        log = (RESULTS / f"{who}.log").open("w")
        print(f"==> schemathesis as {who} ({username})", flush=True)
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        runs[who] = (process, log, time.monotonic())
    took: dict[str, float] = {}
    while len(took) < len(runs):
        for who, (process, _log, started) in runs.items():
            if who not in took and process.poll() is not None:
                took[who] = time.monotonic() - started
        time.sleep(0.5)
    failed = 0
    for who, (process, log, _started) in runs.items():
        log.close()
        print(f"\n==> schemathesis as {who}: exit {process.returncode} in {took[who]:.0f}s")
        print((RESULTS / f"{who}.log").read_text(errors="replace"), flush=True)
        failed |= process.returncode
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="fuzz a demo server that is already running")
    parser.add_argument("--resident", help="the resident's login (with --base-url)")
    parser.add_argument("--password", default="Linli-demo-2026")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--examples", type=int, default=10, help="max examples per operation")
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    parser.add_argument("--only", choices=["admin", "resident"], help="fuzz as one person")
    args = parser.parse_args()
    # A CI timeout sends SIGTERM: leave through the `finally` that stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    def people(resident: str | None, password: str) -> dict[str, tuple[str, str]]:
        chosen = {}
        if args.only in (None, "admin"):
            chosen["admin"] = (ADMIN, password)
        if args.only in (None, "resident"):
            if not resident:
                sys.exit("--resident (his phone number) is needed with --base-url")
            chosen["resident"] = (resident, password)
        return chosen

    if args.base_url:
        failed = fuzz(args.base_url.rstrip("/"), people(args.resident, args.password), args)
    else:
        with demo_server() as (base_url, resident, password):
            failed = fuzz(base_url, people(resident, password), args)
    print(f"\nFuzzing took {time.monotonic() - started:.0f}s in all; reports in {RESULTS}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
