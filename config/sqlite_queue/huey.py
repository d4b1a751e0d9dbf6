"""huey's task queue on a SQLite file: synchronous=NORMAL instead of FULL, and writers that
queue on a file lock instead of polling.

In WAL mode NORMAL keeps every committed enqueue through a process crash (kill -9) and never
corrupts the file; only a power cut or an operating-system crash can drop the last few
enqueues. The queue is not the only record of the work it carries: what a request queues is
found again from the main database (`synchronous=FULL`) by a periodic task — a message's texts
and pushes by `notify_retry` (`Notification.channels_due`), a notice's fan-out by
`notify_notices_due` — except a one-time sign-in code, which the person asks for again. FULL
cost each enqueue an fsync of its own after the request's commit (~170 µs, about a twentieth of
a filing: docs/operations.md). `HUEY["synchronous"]` (env `LINLI_HUEY_SYNCHRONOUS`) sets it.

Every app worker enqueues and the consumer dequeues, each with huey's `begin exclusive`: a
second process asking meanwhile got SQLITE_BUSY and slept in SQLite's busy handler (1, 2, 5 …
100 ms) however soon the first let go, so a filing now and then waited ~100–150 ms for its
enqueue after its commit. As for the main database (config/sqlite_queue/base.py), a write
transaction now first takes an exclusive `flock` on `<file>-writers.lock`, where a waiting
process sleeps in the kernel until the holder lets go; and the log is copied back into the file
by a PASSIVE checkpoint after the commit, outside the lock, instead of by SQLite's automatic one
inside the committing writer's lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

from huey import SqliteHuey
from huey.storage import SqliteStorage

from config.sqlite_queue.base import AUTO_CHECKPOINT_PAGES, CHECKPOINT_SECONDS

LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")


class Storage(SqliteStorage):  # type: ignore[misc]
    def __init__(self, *args: Any, synchronous: str = "NORMAL", **kwargs: Any) -> None:
        level = synchronous.upper()
        if level not in LEVELS:
            raise ValueError(f"synchronous must be one of {', '.join(LEVELS)}, not {synchronous!r}")
        self.synchronous = level
        self._writers = threading.Lock()  # the consumer's threads share one lock file
        self._queue_fd: int | None = None
        self._queue_pid = 0
        self._checkpointed_at = 0.0
        super().__init__(*args, **kwargs)

    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute(f"PRAGMA synchronous={self.synchronous}")
        conn.execute(f"PRAGMA wal_autocheckpoint={AUTO_CHECKPOINT_PAGES}")
        return conn

    def _queue(self) -> int:
        if self._queue_fd is None or self._queue_pid != os.getpid():  # a forked worker: its own
            self._queue_fd = os.open(f"{self.filename}-writers.lock", os.O_RDWR | os.O_CREAT, 0o600)
            self._queue_pid = os.getpid()
        return self._queue_fd

    @contextlib.contextmanager
    def db(self, commit: bool = False, close: bool = False) -> Iterator[Any]:
        if not commit:  # readers never wait for writers (WAL)
            with super().db(commit=False, close=close) as cursor:
                yield cursor
            return
        with self._writers:
            fd = self._queue()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                with super().db(commit=True, close=close) as cursor:
                    yield cursor
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Copy the log into the file, at most once a second per process, outside the lock;
        PASSIVE never waits for a writer."""
        now = time.monotonic()
        if now - self._checkpointed_at < CHECKPOINT_SECONDS:
            return
        self._checkpointed_at = now
        with self.lock:
            if self._conn is not None:
                self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


class Huey(SqliteHuey):  # type: ignore[misc]
    storage_class = Storage
