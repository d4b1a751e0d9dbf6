"""Who sees what in the registry is walked by the resolver-driven persona walk
(`linli/core/tests/test_route_walk.py`) from this app's cases in `walk_cases.py`: every page and
API endpoint, every persona, 404 outside the scope, no plain ID or phone in any answer.

What stays here: the scan as other apps' tests call it."""

from __future__ import annotations

from typing import Any

from linli.testing import pii


def plain_values(world: Any) -> dict[str, tuple[str, str]]:
    """Every full ID number and phone in the world, by resident key."""
    return pii.plain_values(world)


def assert_no_plain_pii(body: str, world: Any, allowed: set[str] | None = None) -> None:
    """`linli.testing.assert_no_plain_pii` as other apps' tests call it (allowed keys third);
    a page's mask beside a birth date is the walk's concern, not checked here."""
    pii.assert_no_plain_pii(body, world, allowed=allowed or set(), may_reveal=True)
