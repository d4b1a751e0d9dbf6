"""SQLite's writers queue on a file lock (config/sqlite_queue): a second writer waits in the
kernel and goes the moment the first commits; a writer killed mid-transaction frees it."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from config.sqlite_queue.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):  # these tests open their own files, not the test db
    with django_db_blocker.unblock():
        yield


def _connection(path: Path, **options: Any) -> DatabaseWrapper:
    settings = {
        "ENGINE": "config.sqlite_queue",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
            **options,
        },
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias=f"queue-{id(settings)}")


def _write(conn: DatabaseWrapper, value: int) -> None:
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    with conn.cursor() as cursor:
        cursor.execute("INSERT INTO t (v) VALUES (%s)", [value])


def test_a_second_writer_waits_for_the_first_and_goes_when_it_commits(tmp_path):
    """The second writer has no busy handler (timeout 0): reaching SQLite while the first
    holds the write lock would fail it at once ("database is locked"), so it can only succeed
    by waiting on the file lock until the first commits."""
    first = _connection(tmp_path / "db.sqlite3")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (v integer)")
    _write(first, 1)  # holds the lock until it commits
    outcome: list[str] = []

    def other() -> None:
        second = _connection(
            tmp_path / "db.sqlite3",
            init_command="PRAGMA journal_mode=WAL; PRAGMA busy_timeout=0;",
            timeout=0,
        )
        try:
            _write(second, 2)
            second.commit()
            second.set_autocommit(True)
            outcome.append("written")
        except Exception as exc:  # the busy handler's way: refused while the first writes
            outcome.append(repr(exc))
        finally:
            second.close()

    thread = threading.Thread(target=other)
    thread.start()
    time.sleep(0.2)  # time to reach the lock (a slower start only proves less)
    assert outcome == []  # waiting behind the first writer, not refused
    first.commit()
    first.set_autocommit(True)
    thread.join(10)
    assert outcome == ["written"]
    with first.cursor() as cursor:
        cursor.execute("SELECT v FROM t ORDER BY v")
        assert [r[0] for r in cursor.fetchall()] == [1, 2]
    first.close()
    assert (tmp_path / "db.sqlite3-writers.lock").exists()


def test_a_writer_killed_mid_transaction_frees_the_queue(tmp_path):
    path = tmp_path / "db.sqlite3"
    conn = _connection(path)
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE t (v integer)")
    conn.close()
    pid = os.fork()
    if pid == 0:  # the child takes the lock, writes, and dies without committing
        child = _connection(path)
        _write(child, 1)
        os.kill(os.getpid(), 9)
    os.waitpid(pid, 0)
    _write(conn, 2)
    conn.commit()
    conn.set_autocommit(True)
    with conn.cursor() as cursor:
        cursor.execute("SELECT v FROM t")
        assert [r[0] for r in cursor.fetchall()] == [2]  # nothing half-written
    conn.close()


def test_the_queue_can_be_turned_off(tmp_path):
    conn = _connection(tmp_path / "db.sqlite3", write_queue=False)
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE t (v integer)")
    _write(conn, 1)
    assert not conn._queue_held
    conn.rollback()
    conn.close()


def test_the_task_queue_keeps_an_enqueue_through_a_kill_without_an_fsync_of_its_own(tmp_path):
    from config.sqlite_queue.huey import Huey

    queue = Huey("linli", filename=str(tmp_path / "huey.sqlite3"))
    with queue.storage.db() as cursor:
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    queue.storage.close()
    pid = os.fork()
    if pid == 0:  # the child enqueues and dies at once, as under kill -9
        Huey("linli", filename=str(tmp_path / "huey.sqlite3")).storage.enqueue(b"deliver")
        os.kill(os.getpid(), 9)
    os.waitpid(pid, 0)
    assert queue.storage.dequeue() == b"deliver"
    assert queue.storage.dequeue() is None
    with pytest.raises(ValueError, match="synchronous"):
        Huey("linli", filename=str(tmp_path / "other.sqlite3"), synchronous="sometimes")


def test_a_commit_copies_the_log_into_the_database_after_leaving_the_queue(tmp_path, monkeypatch):
    """SQLite's own checkpoint ran inside the COMMIT that crossed 1,000 pages of log, every
    other writer queued behind its fsyncs; the backend runs it after the queue is released."""
    from config.sqlite_queue import base

    path = tmp_path / "db.sqlite3"
    conn = _connection(path)
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == base.AUTO_CHECKPOINT_PAGES
        cursor.execute("CREATE TABLE t (v integer)")
    before = path.stat().st_size  # the table is still only in the log
    queue_held_while_checkpointing: list[bool] = []
    checkpoint = DatabaseWrapper._checkpoint

    def spy(self: DatabaseWrapper) -> None:
        queue_held_while_checkpointing.append(self._queue_held)
        checkpoint(self)

    monkeypatch.setattr(DatabaseWrapper, "_checkpoint", spy)
    _write(conn, 1)
    conn.commit()
    conn.set_autocommit(True)
    assert queue_held_while_checkpointing == [False]
    assert path.stat().st_size > before  # the table and its row are in the database file
    conn.close()


def test_an_enqueue_waits_for_the_task_queues_writer_and_goes_when_it_commits(tmp_path):
    """huey's `begin exclusive` polled in SQLite's busy handler (sleeps of up to 100 ms); its
    writers now queue on the same kind of file lock as the main database's. The enqueuer has
    no busy handler at all (timeout 0): reaching SQLite while the holder writes would fail it
    at once with "database is locked", so it can only succeed by waiting on the file lock."""
    from config.sqlite_queue.huey import Huey

    path = str(tmp_path / "huey.sqlite3")
    holder = Huey("linli", filename=path).storage
    outcome: list[str] = []

    def enqueue() -> None:
        try:
            Huey("linli", filename=path, timeout=0).storage.enqueue(b"deliver")
            outcome.append("enqueued")
        except Exception as exc:  # the busy handler's way: refused while the holder writes
            outcome.append(repr(exc))

    with holder.db(commit=True) as cursor:  # the consumer taking a task, say
        cursor.execute("SELECT 1")
        thread = threading.Thread(target=enqueue)
        thread.start()
        time.sleep(0.2)  # time to reach the lock (a slower start only proves less)
        assert outcome == []  # waiting behind the holder, not refused
    thread.join(10)
    assert outcome == ["enqueued"]  # went once the holder committed
    assert holder.dequeue() == b"deliver"
    assert holder.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 20_000
    assert (tmp_path / "huey.sqlite3-writers.lock").exists()
