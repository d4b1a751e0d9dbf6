"""Browser tests: one Wenchang Garden demo build and one server shared by every test.

The session builds the demo exactly as `make demo` does (`migrate`, then `seed_demo`) into a
fresh database of its own — a SQLite file in a temporary directory (copied from
LINLI_DEMO_SNAPSHOT when that holds a build: tests/demo_snapshot.py), or, when DATABASE_URL is set
(CI's PostgreSQL pass), a fresh `<name>_e2e` database next to it — and serves it with
gunicorn on a free port. Tests drive Debian's chromium through Playwright.

The server runs `config.test_settings`: the production settings with DEBUG off (so a missing
object shows Linli's own 404 page, not Django's debug page), static files served by whitenoise
from the finders, plain HTTP and huey tasks run immediately.

Screenshots of every page a test visits land in `test-results/screenshots/`
(`<page>-<viewport>.png`); the build's and the server's log is `test-results/e2e-server.log`.

`LINLI_E2E_BASE_URL=http://127.0.0.1:8000 pytest tests/e2e` runs the tests against a demo
server you started yourself (`make run`) instead: they then write reveal rows into its audit
trail and lock `volunteer` out for 30 minutes.

Fixtures: `demo_server` (base URL), `browser`, `new_page(viewport, user=None)` (a page in a fresh
context, signed in as `user` when given), `demo_password`, `grid1_resident` (a resident of grid 1
with a phone, read from the JSON API as `grid1` sees it). Every test builds the state it needs on
the shared demo (a request of its own, a reveal with a fresh reason) and asserts changes
relative to what it read first, so the tests pass in any order (pytest-randomly shuffles them).
Helpers: `login`, `visit`, `shot`, `horizontal_overflow`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import Browser, Error, Page, Response, sync_playwright

from tests.demo_snapshot import build_sqlite_demo, demo_environment
from tests.e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MASKED_PHONE,
    ROOT,
    SCREENSHOTS,
    SERVER_LOG,
    VIEWPORTS,
    NewPage,
    initials,
    login,
)

# --- the demo build and its server ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _e2e_database(database_url: str) -> tuple[str, str, str]:
    """(name, URL, maintenance URL) of the demo's own database next to DATABASE_URL's:
    `linli_ci` → `linli_ci_e2e`, created and dropped through the `postgres` database."""
    parts = urlsplit(database_url)
    name = (parts.path.lstrip("/") or "linli") + "_e2e"
    return (
        name,
        urlunsplit(parts._replace(path="/" + name)),
        urlunsplit(parts._replace(path="/postgres")),
    )


def _postgres_create(database_url: str) -> str:
    import psycopg

    name, url, maintenance = _e2e_database(database_url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def _postgres_drop(database_url: str) -> None:
    import psycopg

    name, _url, maintenance = _e2e_database(database_url)
    try:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:  # the run's result matters more than tidying up
        pass


def _run(args: list[str], env: dict[str, str], log: Any) -> None:
    log.write(f"\n$ {' '.join(args)}\n")
    log.flush()
    started = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.write(f"# {time.monotonic() - started:.1f}s, exit {result.returncode}\n")
    log.flush()
    if result.returncode:
        tail = SERVER_LOG.read_text(errors="replace")[-4000:]
        pytest.exit(f"{' '.join(args[1:])} failed (exit {result.returncode}):\n{tail}", 1)


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = SERVER_LOG.read_text(errors="replace")[-4000:]
            pytest.exit(f"the demo server stopped (exit {server.returncode}):\n{tail}", 1)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.exit(f"the demo server did not answer {url} within {timeout:.0f}s", 1)


@pytest.fixture(scope="session")
def demo_server() -> Iterator[str]:
    """Build the demo into a fresh database, serve it, yield the base URL."""
    if os.environ.get("LINLI_E2E_BASE_URL"):  # a server someone started by hand
        yield os.environ["LINLI_E2E_BASE_URL"].rstrip("/")
        return
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="linli-e2e-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.pop("LINLI_SQLITE_TEST_PATH", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        LINLI_HUEY_IMMEDIATE="1",
        PYTHONUNBUFFERED="1",
        # The PII key and secret key live in local/: the build and the server must share it.
        **demo_environment(tmp),
    )
    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        env["DATABASE_URL"] = _postgres_create(database_url)
    python = sys.executable
    port = _free_port()
    server = None
    with SERVER_LOG.open("w") as log:
        try:
            if database_url:
                _run([python, "manage.py", "migrate", "--noinput", "-v", "0"], env, log)
                _run([python, "manage.py", "seed_demo"], env, log)
            else:
                build_sqlite_demo(tmp, env, lambda args: _run(args, env, log))
            log.write("\n$ gunicorn config.wsgi\n")
            log.flush()
            server = subprocess.Popen(
                [
                    *(python, "-m", "gunicorn", "config.wsgi"),
                    *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4"),
                    *("--timeout", "60", "--access-logfile", "-"),
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_up(base_url + "/accounts/login/", server)
            yield base_url
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
            if database_url:
                _postgres_drop(database_url)
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_password() -> str:
    """The demo accounts' shared password (one constant of the demo builder)."""
    from linli.demo import accounts

    return str(accounts.DEMO_PASSWORD)


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)", 1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


# A signed-in state is reused while it is surely alive: sessions end after 30 idle minutes,
# and a test must not fail because an earlier one signed in long ago.
STATE_MAX_AGE_SECONDS = 15 * 60


class SignedInStates(dict[str, Any]):
    """Storage state (the session cookie) per demo login: sign in once, reuse while fresh."""

    def __init__(self) -> None:
        super().__init__()
        self.saved_at: dict[str, float] = {}

    def __setitem__(self, user: str, state: Any) -> None:
        self.saved_at[user] = time.monotonic()
        super().__setitem__(user, state)

    def __contains__(self, user: object) -> bool:
        saved = self.saved_at.get(str(user))
        return saved is not None and time.monotonic() - saved < STATE_MAX_AGE_SECONDS


@pytest.fixture(scope="session")
def _signed_in_states() -> SignedInStates:
    return SignedInStates()


@pytest.fixture
def new_page(
    browser: Browser, demo_server: str, demo_password: str, _signed_in_states: dict[str, Any]
) -> Iterator[NewPage]:
    """`new_page("phone" | "desktop", user=None)`: a page in a fresh browser context (Chinese
    browser locale, Shanghai time), signed in as the demo login `user` when given. Every page
    collects its JavaScript errors in `page.js_errors` and the static files that failed to load
    in `page.failed_assets`; `visit` asserts both are empty."""
    contexts = []

    def make(viewport: str = "desktop", user: str | None = None) -> Page:
        options = dict(VIEWPORTS[viewport])
        if user and user in _signed_in_states:
            options["storage_state"] = _signed_in_states[user]
        context = browser.new_context(
            base_url=demo_server, locale="zh-CN", timezone_id="Asia/Shanghai", **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        js_errors: list[str] = []
        failed_assets: list[str] = []
        page.linli_viewport = viewport  # type: ignore[attr-defined]
        page.js_errors = js_errors  # type: ignore[attr-defined]
        page.failed_assets = failed_assets  # type: ignore[attr-defined]

        def on_error(error: Error) -> None:
            js_errors.append(str(error))

        def on_response(response: Response) -> None:
            if "/static/" in response.url and response.status >= 400:
                failed_assets.append(f"{response.status} {response.url}")

        page.on("pageerror", on_error)
        page.on("response", on_response)
        if user and user not in _signed_in_states:
            login(page, user, demo_password)
            assert "/accounts/login/" not in page.url, f"{user} could not sign in"
            _signed_in_states[user] = context.storage_state()
        return page

    yield make
    for context in contexts:
        context.close()


# --- demo facts shared by several tests (read-only: no test depends on another's) -------------


@pytest.fixture(scope="session")
def grid1_resident(
    browser: Browser, demo_server: str, demo_password: str, _signed_in_states: dict[str, Any]
) -> dict[str, Any]:
    """A grid-1 resident with a phone whose pinyin initials match the fewest people, as `grid1`
    sees him through the JSON API (so the search's first page surely lists him)."""
    context = browser.new_context(base_url=demo_server, locale="zh-CN")
    try:
        page = context.new_page()
        if "grid1" in _signed_in_states:
            context.add_cookies(_signed_in_states["grid1"]["cookies"])
        else:
            login(page, "grid1", demo_password)
            _signed_in_states["grid1"] = context.storage_state()
        listing = context.request.get("/api/registry/residents", params={"page_size": 60})
        assert listing.ok, listing.text()
        results = listing.json()["results"]
        assert len({r["grid"] for r in results}) == 1, "grid1 sees more than one grid"
        candidates = [
            r
            for r in results
            if r["phone"] and MASKED_PHONE.match(r["phone"]) and initials(r["name"]).isalpha()
        ]
        assert candidates, "no grid-1 resident with a phone in the first page of the API"
        best: tuple[int, dict[str, Any]] | None = None
        for resident in candidates[:12]:
            found = context.request.get(
                "/api/registry/residents",
                params={"q": initials(resident["name"]), "page_size": 1},
            )
            assert found.ok, found.text()
            count = found.json()["count"]
            if best is None or count < best[0]:
                best = (count, resident)
            if count <= 5:
                break
        assert best is not None and best[0] <= 50, "no initials narrow the list to one page"
        return {**best[1], "initials": initials(best[1]["name"]), "matches": best[0]}
    finally:
        context.close()
