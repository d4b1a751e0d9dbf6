"""Contention settled by the database (run on SQLite and on PostgreSQL): ten elders admitted to
the same free bed at once — one stay is written, the others get "bed occupied"; a full
day-care centre never takes one more; the same task raised by two sweeps at once is one row."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from django.db import connection, connections
from django.db.models import Count

from linli.accounts.selectors import actor_for_user
from linli.care import services
from linli.care.models import Admission, Apartment, Attendance, Bed, DayCentre, Elder, Room
from linli.core.errors import DomainError
from linli.testing.factories import HouseholdFactory, ResidentFactory

N = 10
ROOT = Path(__file__).resolve().parents[3]


def on_real_database(request: Any, tmp_path: Any) -> bool:  # as in volunteers
    """True when this process can run the race itself. SQLite's in-memory test database (shared
    cache) locks whole tables instead of waiting, unlike a real SQLite file; there the test runs
    again in a child pytest against a WAL file database (LINLI_SQLITE_TEST_PATH) and its result
    is this test's result."""
    if connection.vendor != "sqlite" or os.environ.get("LINLI_SQLITE_TEST_PATH"):
        return True
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTEST"))}
    env["LINLI_SQLITE_TEST_PATH"] = str(tmp_path / "race.sqlite3")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            f"{__file__}::{request.node.name}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return False


def run_at_once(jobs: list[Any]) -> list[str]:
    """Run every job in its own thread, released together; return their outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(job: Any) -> None:
        try:
            barrier.wait()
            job()
            result = "ok"
        except DomainError as exc:
            result = exc.code
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


def make_elders(world: Any, n: int) -> list[Elder]:
    for i in range(n):
        household = HouseholdFactory.create(unit=world.unit_b, room=f"8{i:02d}")
        ResidentFactory.create(household=household, birth_date=dt.date(1940, 1, 1), relation="head")
    services.elders_sync()
    return list(Elder.objects.filter(household__unit=world.unit_b))


def test_racing_for_one_bed_and_the_last_day_care_places(
    transactional_db: Any, world: Any, care: Any, request: Any, tmp_path: Any
) -> None:
    if not on_real_database(request, tmp_path):
        return
    apartment = Apartment.objects.create(community=world.community, name="颐养公寓")
    bed = Bed.objects.create(room=Room.objects.create(apartment=apartment, number="101"), label="A")
    elders = make_elders(world, N)
    actor = actor_for_user(care)
    outcomes = run_at_once(
        [
            lambda e=e: services.admission_create(
                actor=actor, bed_id=bed.pk, elder_public_id=e.public_id
            )
            for e in elders
        ]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) == {"ok", "bed_occupied"}, outcomes
    assert Admission.objects.filter(bed=bed, discharged_on__isnull=True).count() == 1
    _full_centre_takes_no_more(world, care)


def _full_centre_takes_no_more(world: Any, care: Any) -> None:
    centre = DayCentre.objects.create(community=world.community, name="日间照料", capacity=3)
    elders = list(Elder.objects.filter(household__unit=world.unit_b))
    actor = actor_for_user(care)
    outcomes = run_at_once(
        [
            lambda e=e: services.attendance_record(
                actor=actor, centre_id=centre.pk, elder_public_id=e.public_id
            )
            for e in elders
        ]
    )
    assert outcomes.count("ok") == 3, outcomes
    assert set(outcomes) == {"ok", "centre_full"}, outcomes
    per_day = Attendance.objects.values("day").annotate(n=Count("id"))
    assert [row["n"] for row in per_day] == [3]
