"""Race tests: many threads doing the same write at once, the database settling who wins.

A race test module sets `pytestmark = race` and uses `run_at_once`. SQLite's in-memory test
database (shared cache) locks whole tables instead of waiting, unlike a real SQLite file, so on
it the race tests are skipped; `make test` runs them once more, all in one process, against a WAL
file database (`pytest -m race` with LINLI_SQLITE_TEST_PATH). On PostgreSQL they run in the
main pass.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from linli.core.errors import DomainError


def can_race() -> bool:
    """False on SQLite's in-memory test database, where threads cannot wait for each other."""
    engine = str(settings.DATABASES["default"]["ENGINE"])
    return "sqlite" not in engine or bool(os.environ.get("LINLI_SQLITE_TEST_PATH"))


race = pytest.mark.race


def skip_races_on_memory_sqlite(items: list[pytest.Item]) -> None:
    """Collection hook body: skip the race tests where they cannot run, saying where they do."""
    if can_race():
        return
    skip = pytest.mark.skip(
        reason="SQLite in memory cannot race; `make test` runs these against a WAL file "
        "(LINLI_SQLITE_TEST_PATH=/tmp/race.sqlite3 pytest -m race linli)"
    )
    for item in items:
        if item.get_closest_marker("race"):
            item.add_marker(skip)


def run_at_once(jobs: list[Callable[[], Any]]) -> list[str]:
    """Run every job in its own thread, released together; return their outcomes: "ok", the
    DomainError's code, or "error: …" for anything else (a failure the test reports)."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            job()
            result = "ok"
        except DomainError as exc:
            result = str(exc.code)
        except Exception as exc:  # anything else is a failure the test reports
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes
