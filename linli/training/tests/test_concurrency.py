"""Contention is settled by the database (run on SQLite and on PostgreSQL):

- 20 bookings racing to put one lecturer in overlapping sessions get exactly one session (on
  PostgreSQL the exclusion constraint, on SQLite the IMMEDIATE write transaction with its check);
- 20 classes racing for the last 4 beds get them exactly once a night.
"""

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

from django.db import connection, connections

from linli.core.errors import DomainError
from linli.training import services
from linli.training.models import BedNight, Session
from linli.training.tests.conftest import START, at, book, make_base

ROOT = Path(__file__).resolve().parents[3]
RACERS = 20


_CHILD: dict[str, str] = {}


def on_real_database(request, tmp_path) -> bool:
    """True when this process can run the race itself. SQLite's in-memory test database locks
    whole tables instead of waiting; there this module runs again, once, in a child pytest
    against a WAL file database (LINLI_SQLITE_TEST_PATH), and each test passes if its race
    passed there."""
    if connection.vendor != "sqlite" or os.environ.get("LINLI_SQLITE_TEST_PATH"):
        return True
    if "out" not in _CHILD:
        _CHILD["out"] = _run_child(tmp_path)
    passed = {
        line.rsplit("::", 1)[-1].strip()
        for line in _CHILD["out"].splitlines()
        if line.startswith("PASSED ")
    }
    assert request.node.name in passed, _CHILD["out"][-4000:]
    return False


def _run_child(tmp_path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["LINLI_SQLITE_TEST_PATH"] = str(tmp_path / "race.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-rA", "-p", "no:xdist", "-p", "no:randomly",
         "-p", "no:cacheprovider", __file__],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return result.stdout + result.stderr


def run_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = []
    lock = threading.Lock()

    def run(job):
        try:
            barrier.wait()
            job()
            result = "ok"
        except DomainError as exc:
            result = str(exc.code)
        except Exception as exc:
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


def test_twenty_bookings_racing_for_one_lecturer_get_one_session(
    transactional_db, world, trainer, actor_of, request, tmp_path
):
    if not on_real_database(request, tmp_path):
        return
    base = make_base(actor_of(trainer), world.community.id)
    classes = [book(base, trainees=2) for _ in range(RACERS)]
    outcomes = run_at_once(
        [
            lambda k=k, i=i: services.session_add(
                actor=base.actor,
                public_id=k.public_id,
                course_id=base.course.pk,
                starts_at=at(START, 9, i),  # all overlapping, none identical
                lecturer_id=base.lecturer.pk,
            )
            for i, k in enumerate(classes)
        ]
    )
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) == {"ok", "lecturer_busy"}, outcomes
    assert Session.objects.filter(lecturer=base.lecturer, cancelled=False).count() == 1


def test_twenty_classes_racing_for_four_beds_get_each_bed_once_a_night(
    transactional_db, world, trainer, actor_of, request, tmp_path
):
    if not on_real_database(request, tmp_path):
        return
    base = make_base(actor_of(trainer), world.community.id, beds=4)
    classes = [book(base, trainees=2, days=3) for _ in range(RACERS)]
    outcomes = run_at_once(
        [
            lambda k=k: services.lodging_book(actor=base.actor, public_id=k.public_id, beds=2)
            for k in classes
        ]
    )
    assert outcomes.count("ok") == 2, outcomes
    assert set(outcomes) == {"ok", "not_enough_beds"}, outcomes
    assert BedNight.objects.count() == 4 * 2
    pairs = set(BedNight.objects.values_list("bed_id", "night"))
    assert len(pairs) == 8
    assert {n for _b, n in pairs} == {START, START + dt.timedelta(days=1)}
