"""`assert_constant_queries`: an N+1 check that names the counts (DESIGN.md "Tests")."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from linli.core import memo


def assert_constant_queries(
    fn: Callable[[int], object],
    sizes: Iterable[int],
    *,
    setup: Callable[[int], object] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> dict[int, int]:
    """Run `fn(n)` for each size and fail if any run takes more queries than the first.

    `setup(n)`, when given, runs before each measured call and is not counted (e.g. to add rows
    until there are n of them). Every call reads its sign-in, as the first request after a
    change does (every memory of the process, sign-ins included, is emptied before each).
    Returns the counts by size. The failure lists every count and the queries of the largest
    run, so the N+1 is visible in the message.
    """
    counts: dict[int, int] = {}
    captured: dict[int, list[str]] = {}
    for n in sizes:
        if setup is not None:
            setup(n)
        memo.forget_all()
        with CaptureQueriesContext(connections[using]) as ctx:
            fn(n)
        counts[n] = len(ctx.captured_queries)
        captured[n] = [q["sql"] for q in ctx.captured_queries]
    assert len(counts) >= 2, "assert_constant_queries needs at least two sizes"
    first, *rest = counts
    grown = [n for n in rest if counts[n] > counts[first]]
    if grown:
        worst = max(grown, key=lambda n: counts[n])
        listing = "\n".join(f"  {i + 1}. {sql[:300]}" for i, sql in enumerate(captured[worst]))
        shown = ", ".join(f"size {n}: {c}" for n, c in counts.items())
        raise AssertionError(
            f"the query count grows with the size ({shown});\nqueries at size {worst}:\n{listing}"
        )
    return counts
