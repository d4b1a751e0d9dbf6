"""Test support shared by every app's tests (issue 9): the test world and its personas
(`world`), registry factories (`factories`), the personal-data scan (`pii`), the query-count
check (`queries`) and the resolver-driven persona walk (`walk`).

Nothing here runs in production; it lives in the product package so that every app's tests and
the browser tests import it the same way.
"""

from linli.testing.pii import assert_no_plain_pii, plain_values
from linli.testing.queries import assert_constant_queries

__all__ = ["assert_constant_queries", "assert_no_plain_pii", "plain_values"]
