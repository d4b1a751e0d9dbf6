"""The plug-in points that shared pages collect from every domain, so that no shared page
imports a domain (the same idea as `navigation.register_nav` and `demo_hooks.register_demo`).

Each domain registers from its `AppConfig.ready()`:

- **profile panels** (`register_panel`): a box on a resident's page (B1, "one resident, one
  record"), e.g. the resident's Community 110 requests;
- **cockpit figures** (`register_figures`): headline numbers for the cockpit, the monthly report
  and the side-by-side table of communities;
- **hub tiles** and **waiting items** (`register_tile`, `register_waiting`): the resident hub's
  service tiles and its "things waiting for me" list;
- **search providers** (`register_search`): the staff search box.

Every callable receives the `Actor` and answers only what that actor may see (through the
domain's own scoped selectors); a hook must run a constant number of queries whatever the
amount of data, because pages call every registered hook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from linli.core.permissions import Actor, has_perm

Label = str | Promise


def _allowed(actor: Actor, perms: tuple[str, ...]) -> bool:
    """Any one of `perms` admits the actor; an empty tuple admits everyone signed in."""
    if not perms:
        return actor.user_id is not None
    return any(has_perm(actor, p) for p in perms)


# --- profile panels (issue 14, B1) ------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """One box on a resident's page.

    `context(actor, resident_id)` returns the template context of the panel, or None when the
    panel has nothing to show for that resident (the page then leaves it out). It must read
    through the domain's scoped selectors (so it sees only what the actor may) and run a
    constant number of queries. `template` renders the context; `export(actor, resident_id)`
    (optional) returns plain rows for the resident's own download of his record (PIPL art. 45).
    """

    key: str
    title: Label
    perms: tuple[str, ...]
    template: str
    context: Callable[[Actor, int], Mapping[str, Any] | None]
    order: int = 100
    export: Callable[[Actor, int], list[dict[str, Any]]] | None = None


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def panels_for(actor: Actor) -> list[Panel]:
    """The panels `actor` may see, in display order (call `panel.context` for each)."""
    return sorted(
        (p for p in _PANELS.values() if _allowed(actor, p.perms)), key=lambda p: (p.order, p.key)
    )


# --- household panels (issue 15, the grid worker's view of a home) -----------------------------
# The same `Panel` shape, called with the household's row id instead of a resident's: a box on
# the household page (its requests, its warm service card, its visits).

_HOUSEHOLD_PANELS: dict[str, Panel] = {}


def register_household_panel(panel: Panel) -> None:
    _HOUSEHOLD_PANELS[panel.key] = panel


def household_panels_for(actor: Actor) -> list[Panel]:
    """The household panels `actor` may see (call `panel.context(actor, household_id)`)."""
    return sorted(
        (p for p in _HOUSEHOLD_PANELS.values() if _allowed(actor, p.perms)),
        key=lambda p: (p.order, p.key),
    )


# --- cockpit figures (issue 14) ---------------------------------------------------------------


@dataclass(frozen=True)
class FigureQuery:
    """Which figures are asked for: communities (already limited to the actor's reach), the
    month (its first day), and optionally one grid for a drill-down."""

    community_ids: frozenset[int]
    month: dt.date
    grid_id: int | None = None


@dataclass(frozen=True)
class Figure:
    """One headline number. `key` is stable (`"<domain>.<name>"`, used by the monthly report
    and tests); `freshness` says how old it may be ("live", or e.g. "daily" for a figure read
    from a pre-aggregated table)."""

    key: str
    label: Label
    value: int | Decimal | str | None
    unit: Label = ""
    url: str = ""
    freshness: str = "live"
    series: tuple[tuple[str, int | Decimal], ...] = ()  # optional trend/breakdown for a chart


@dataclass(frozen=True)
class FigureGroup:
    domain: str
    label: Label
    perms: tuple[str, ...]
    provider: Callable[[FigureQuery], list[Figure]]
    order: int = 100


_FIGURES: dict[str, FigureGroup] = {}


def register_figures(group: FigureGroup) -> None:
    _FIGURES[group.domain] = group


def figure_groups_for(actor: Actor) -> list[FigureGroup]:
    return sorted(
        (g for g in _FIGURES.values() if _allowed(actor, g.perms)),
        key=lambda g: (g.order, g.domain),
    )


def all_figure_groups() -> list[FigureGroup]:
    """Every group, for background work that acts for no one (the monthly report task)."""
    return sorted(_FIGURES.values(), key=lambda g: (g.order, g.domain))


# --- resident hub (issue 15) ------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """A service tile of the resident hub. `badge(actor)` (optional) returns a count shown on
    the tile, e.g. requests waiting for a rating; it must run a constant number of queries.
    When the count is exactly the person's waiting items of some kinds (the hub has already
    fetched them for "waiting for me"), name those kinds in `badge_kinds` instead: the hub
    counts them and the tile costs no query."""

    key: str
    label: Label
    url_name: str
    perms: tuple[str, ...]
    icon: str = ""  # a Tabler icon name, e.g. "ti-phone"
    order: int = 100
    badge: Callable[[Actor], int] | None = None
    badge_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class WaitingItem:
    """One thing waiting for the signed-in person ("a request to rate", "a booking today")."""

    kind: str
    title: Label
    url: str
    when: dt.datetime | dt.date | None = None
    urgent: bool = False


@dataclass(frozen=True)
class WaitingSource:
    domain: str
    perms: tuple[str, ...]
    items: Callable[[Actor], list[WaitingItem]]


_TILES: dict[str, Tile] = {}
_WAITING: dict[str, WaitingSource] = {}


def register_tile(tile: Tile) -> None:
    _TILES[tile.key] = tile


def tiles_for(actor: Actor) -> list[Tile]:
    return sorted(
        (t for t in _TILES.values() if _allowed(actor, t.perms)), key=lambda t: (t.order, t.key)
    )


def register_waiting(source: WaitingSource) -> None:
    _WAITING[source.domain] = source


def waiting_sources_for(actor: Actor) -> list[WaitingSource]:
    return [s for s in _WAITING.values() if _allowed(actor, s.perms)]


# --- search (issue 15) ------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: Label  # what was found, e.g. "Resident", "Request"
    label: str
    url: str
    detail: str = ""  # already masked where it carries personal data


@dataclass(frozen=True)
class SearchProvider:
    """`search(actor, query, limit)` returns at most `limit` hits the actor may see, with a
    constant number of queries; the query is stripped and at least 2 characters long."""

    domain: str
    label: Label
    perms: tuple[str, ...]
    search: Callable[[Actor, str, int], list[SearchHit]]
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)


_SEARCH: dict[str, SearchProvider] = {}


def register_search(provider: SearchProvider) -> None:
    _SEARCH[provider.domain] = provider


def search_providers_for(actor: Actor) -> list[SearchProvider]:
    return sorted(
        (p for p in _SEARCH.values() if _allowed(actor, p.perms)),
        key=lambda p: (p.order, p.domain),
    )
