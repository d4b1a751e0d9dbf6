"""huey's task queue on a SQLite file, synchronous=NORMAL instead of FULL.

In WAL mode NORMAL keeps every committed enqueue through a process crash (kill -9) and never
corrupts the file; only a power cut or an operating-system crash can drop the last few
enqueues. The queue is not the only record of the work it carries: what a request queues is
found again from the main database (`synchronous=FULL`) by a periodic task — a message's texts
and pushes by `notify_retry` (`Notification.channels_due`), a notice's fan-out by
`notify_notices_due` — except a one-time sign-in code, which the person asks for again. FULL
cost each enqueue an fsync of its own after the request's commit (~170 µs, about a twentieth of
a filing: docs/operations.md). `HUEY["synchronous"]` (env `LINLI_HUEY_SYNCHRONOUS`) sets it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from huey import SqliteHuey
from huey.storage import SqliteStorage

LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")


class Storage(SqliteStorage):  # type: ignore[misc]
    def __init__(self, *args: Any, synchronous: str = "NORMAL", **kwargs: Any) -> None:
        level = synchronous.upper()
        if level not in LEVELS:
            raise ValueError(f"synchronous must be one of {', '.join(LEVELS)}, not {synchronous!r}")
        self.synchronous = level
        super().__init__(*args, **kwargs)

    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute(f"PRAGMA synchronous={self.synchronous}")
        return conn


class Huey(SqliteHuey):  # type: ignore[misc]
    storage_class = Storage
