"""SQLite with writers that queue instead of polling.

SQLite lets one writer at a time hold the database. A second process asking for the write lock
(`BEGIN IMMEDIATE`) gets SQLITE_BUSY and its busy handler sleeps and retries (1, 2, 5 … 100 ms):
under load the two gunicorn workers spend their time asleep while the lock is free. This
backend takes an exclusive `flock` on a file next to the database before `BEGIN IMMEDIATE` and
releases it after COMMIT/ROLLBACK: a waiting writer sleeps in the kernel and wakes the moment
the holder lets go, in arrival order. Readers never take it (WAL lets them read during a write).
A process that dies (kill -9) releases its flock with its file descriptors, so nothing stays
locked. Writes outside a transaction (autocommit) still go through SQLite's busy handler.

`ENGINE = "config.sqlite_queue"`; `OPTIONS["write_queue"] = False` turns the lock off (for
measuring the difference: bench/bench_platform.py). In-memory databases never take it.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._queue_fd: int | None = None
        self._queue_held = False

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        self._queue_on = bool(params.pop("write_queue", True)) and not self.is_in_memory_db()
        return params

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
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._queue_release()

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
