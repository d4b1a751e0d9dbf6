"""Django's PostgreSQL backend, with psycopg's memory of converted statements widened.

Before it sends a statement, psycopg turns Django's `%s` placeholders into PostgreSQL's `$1 …
$n` with a regular expression, and remembers the result only for statements of at most
`MAX_CACHED_STATEMENT_PARAMS` (50) parameters, so that bulk inserts of varying length do not
crowd the memory out. A Community 110 request row has 55 columns: every filing re-split its
INSERT, ~100 µs of a create's ~3.5 ms (bench/bench_platform.py). Linli's widest single-row
insert fits under `WIDEST_ROW`; a bulk insert beyond it is still converted every time. The
memory itself stays psycopg's (an LRU of 128 statements).

`ENGINE = "config.postgresql"` (config/settings.py picks it for every PostgreSQL URL).
"""

from __future__ import annotations

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from psycopg import _queries

# The most parameters of a statement whose conversion psycopg remembers.
WIDEST_ROW = 128

if _queries.MAX_CACHED_STATEMENT_PARAMS < WIDEST_ROW:
    _queries.MAX_CACHED_STATEMENT_PARAMS = WIDEST_ROW


class DatabaseWrapper(PostgresWrapper):
    """Django's wrapper, unchanged: importing this module widens psycopg's memory."""
