"""The one way page views and API operations reach the signed-in actor and check a page-wide
permission, plus the parsing of loose query parameters (`?page=`, `?grid=`, `?month=`).

`ActorMiddleware` (accounts) attaches the actor to every request as `request.actor`; the API's
session authentication returns the same object as `request.auth`. Views and API handlers call
`actor_of(request)` and nothing else: no private `_actor` helpers, no `type: ignore` about
`request` outside this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property

from linli.core import dates
from linli.core.permissions import Actor, communities_for, has_perm

# Query-string integers beyond this are treated as malformed: they would overflow the
# database's integer types and never name a real row or page.
MAX_QUERY_INT = 2**31 - 1


def actor_of(request: HttpRequest) -> Actor:
    """The actor of a page or API request (resolved once per request by ActorMiddleware)."""
    actor = getattr(request, "actor", None)
    if actor is None:
        actor = getattr(request, "auth", None)
    if actor is None:
        raise RuntimeError("ActorMiddleware must run before views and the API")
    return cast(Actor, actor)


def require_perm(actor: Actor, *perms: str) -> None:
    """A page or operation the actor may not use at all is a 404, like anything outside the
    scope. Holding any one of `perms` suffices."""
    if not any(has_perm(actor, p) for p in perms):
        raise Http404


def acting_community(actor: Actor, perm: str) -> int:
    """The community the actor works in for `perm` (the first, for a subdistrict viewer)."""
    ids = list(communities_for(actor, perm))
    if not ids:
        raise Http404
    return ids[0]


def query_int(value: str | None, *, minimum: int = 0) -> int | None:
    """A loose query-string integer: None when absent, malformed or out of range."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if minimum <= number <= MAX_QUERY_INT else None


def query_page(value: str | None) -> int:
    """`?page=`: 1 for anything absent or malformed."""
    return query_int(value, minimum=1) or 1


def query_month(value: str | None) -> dt.date | None:
    """`?month=2026-03`: the month's first day, or None."""
    return dates.parse_month(value)


def query_date(value: str | None) -> dt.date | None:
    """`?since=2026-03-05`: a date, or None."""
    return dates.parse_date(value)


class CountedPaginator(Paginator[Any]):
    """A paginator told the list's length by a page that counted it already (the coverage
    page's figures), so that paging does not count the same rows a second time."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count
