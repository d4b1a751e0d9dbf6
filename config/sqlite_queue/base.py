"""SQLite with writers that queue instead of polling.

SQLite lets one writer at a time hold the database. A second process asking for the write lock
(`BEGIN IMMEDIATE`) gets SQLITE_BUSY and its busy handler sleeps and retries (1, 2, 5 … 100 ms):
under load the two gunicorn workers spend their time asleep while the lock is free. This
backend takes an exclusive `flock` on a file next to the database before `BEGIN IMMEDIATE` and
releases it after COMMIT/ROLLBACK: a waiting writer sleeps in the kernel and wakes the moment
the holder lets go, in arrival order. Readers never take it (WAL lets them read during a write).
A process that dies (kill -9) releases its flock with its file descriptors, so nothing stays
locked. Writes outside a transaction (autocommit) still go through SQLite's busy handler.

Checkpoints, which copy the write-ahead log back into the database (with their fsyncs), run
outside the queue too. SQLite's automatic one runs inside the COMMIT that crosses 1,000 pages
of log, so the whole queue waited for it: 1 request in ~100 of a steady stream of filings took
100–160 ms instead of ~35. Here the automatic checkpoint is pushed back to a safety net of
`AUTO_CHECKPOINT_PAGES` and each connection runs a PASSIVE checkpoint itself after a commit,
the queue released, at most once every `CHECKPOINT_SECONDS` (writes outside a transaction
still meet the safety net only).

`ENGINE = "config.sqlite_queue"`; `OPTIONS["write_queue"] = False` turns the lock and the
checkpoints off (for measuring the difference: bench/bench_platform.py). In-memory databases
never take it.
"""

from __future__ import annotations

import fcntl
import os
import time
from typing import Any

from django.db.backends.sqlite3 import base

# A checkpoint after a commit, outside the queue, at most this often per connection.
CHECKPOINT_SECONDS = 1.0
# SQLite's automatic checkpoint (inside a COMMIT, in the queue) only past this many pages.
AUTO_CHECKPOINT_PAGES = 20_000


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue_fd: int | None = None
        self._queue_held = False
        self._checkpointed_at = 0.0

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        self._queue_on = bool(params.pop("write_queue", True)) and not self.is_in_memory_db()
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        conn = super().get_new_connection(conn_params)
        if getattr(self, "_queue_on", False):
            conn.execute(f"PRAGMA wal_autocheckpoint={AUTO_CHECKPOINT_PAGES}")
        return conn

    def _checkpoint(self) -> None:
        """Copy the log into the database if this connection has not for a while; never waits
        for a writer (PASSIVE) and never inside the queue or a transaction."""
        now = time.monotonic()
        if now - self._checkpointed_at < CHECKPOINT_SECONDS or self.connection is None:
            return
        self._checkpointed_at = now
        self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _queue_path(self) -> str:
        return f"{self.settings_dict['NAME']}-writers.lock"

    def _queue_take(self) -> None:
        if not getattr(self, "_queue_on", False) or self._queue_held:
            return
        if self._queue_fd is None:
            self._queue_fd = os.open(self._queue_path(), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._queue_fd, fcntl.LOCK_EX)
        self._queue_held = True

    def _queue_release(self) -> None:
        if self._queue_held and self._queue_fd is not None:
            self._queue_held = False
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._queue_take()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._queue_release()
            raise

    def _commit(self) -> None:
        held = self._queue_held
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._queue_release()
        if held:
            self._checkpoint()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._queue_release()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._queue_release()
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None
