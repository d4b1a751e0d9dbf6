"""Database helpers that are not about one domain."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def planned_for_each_run() -> Iterator[None]:
    """Statements run inside are planned for their own parameters every time, never from a
    prepared statement (PostgreSQL; elsewhere nothing changes).

    Linli prepares a statement after five runs on a connection (`prepare_threshold` in
    `config/settings.py`), so that PostgreSQL plans a list page's joins once per connection.
    A prepared statement's plan is made for any parameters; for an aggregate over a date range
    that plan reads far more than the range needs (the rates page's twelve-month figures: 25
    ms prepared, 10 ms planned each time), so such aggregates run inside this."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = before
