"""Reads of the cockpit: which communities the actor's cockpit covers, and the figures every
domain registered (`core.hooks`) for them. Each figure group runs a constant number of
queries, so one cockpit page costs (groups × a few) queries whatever the amount of data; the
side-by-side table asks every group once per community."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import translation

from linli.cockpit.models import MonthlyReport
from linli.cockpit.permissions import VIEW
from linli.cockpit.snapshots import snapshot_figures, snapshots_for
from linli.core import dates
from linli.core.errors import NotFound
from linli.core.hooks import Figure, FigureGroup, FigureQuery, figure_groups_for
from linli.core.permissions import Actor, access, communities_for, for_actor
from linli.registry.models import Community, Grid


@dataclass(frozen=True)
class GroupFigures:
    domain: str
    label: str
    figures: list[Figure]


@dataclass(frozen=True)
class Cockpit:
    community: Community
    communities: list[Community]
    month: dt.date
    grid: Grid | None
    grids: list[Grid]
    groups: list[GroupFigures]

    def value(self, key: str) -> Any:
        for g in self.groups:
            for f in g.figures:
                if f.key == key:
                    return f.value
        return None


def cockpit_communities(actor: Actor) -> QuerySet[Community]:
    """The communities whose figures the actor reads (community, subdistrict or district)."""
    return Community.objects.filter(pk__in=list(communities_for(actor, VIEW))).order_by(
        "district", "subdistrict", "name"
    )


# The pages (cockpit, big screen, side by side) keep each group's figures this long, so that a
# wall screen refreshing every minute and several leaders opening the cockpit cost one
# computation a minute; the monthly report always computes afresh.
CACHE_SECONDS = 60


def _cache_key(domain: str, query: FigureQuery) -> str:
    ids = ",".join(str(i) for i in sorted(query.community_ids))
    lang = translation.get_language() or ""
    return f"cockpit:{domain}:{ids}:{query.month:%Y-%m}:{query.grid_id or 0}:{lang}"


def plain_figures(figures: list[Figure]) -> list[Figure]:
    """The figures with their labels translated now (in the active language): a lazy label
    costs ~2 ms to unpickle (Django builds a proxy class per object), ~100 ms a page."""
    return [
        replace(
            f,
            label=str(f.label),
            unit=str(f.unit),
            series=tuple((str(name), v) for name, v in f.series),
        )
        for f in figures
    ]


def group_figures(
    groups: list[FigureGroup],
    query: FigureQuery,
    *,
    cached: bool = False,
    snapshots: bool = False,
) -> list[GroupFigures]:
    """Each group's figures for `query` (from the page cache when `cached`, at most
    `CACHE_SECONDS` old; from the group's pre-aggregated snapshot when `snapshots` and the
    group is too slow to compute live — `snapshots.py`). One cache round trip, one query for
    the snapshots, then each group's own constant queries for the groups computed live."""
    keys = {g.domain: _cache_key(g.domain, query) for g in groups}
    hits = cache.get_many(list(keys.values())) if cached else {}
    stored = snapshots_for(query) if snapshots else {}
    fresh = {}
    out = []
    for g in groups:
        figures = hits.get(keys[g.domain])
        if figures is None:
            row = stored.get(g.domain)
            figures = snapshot_figures(row) if row is not None else plain_figures(g.provider(query))
            fresh[keys[g.domain]] = figures
        if figures:
            out.append(GroupFigures(g.domain, str(g.label), figures))
    if cached and fresh:
        cache.set_many(fresh, CACHE_SECONDS)
    return out


def cockpit(
    actor: Actor,
    *,
    community_id: int | None,
    month: dt.date | None,
    grid_id: int | None = None,
    cached: bool = False,
) -> Cockpit:
    """The figures of one community (the actor's first if not given or not his) for one month
    (this month by default), optionally drilled down to one of its grids."""
    communities = list(cockpit_communities(actor))
    if not communities:
        raise NotFound("")
    community = next((c for c in communities if c.pk == community_id), communities[0])
    month = (month or dates.this_month()).replace(day=1)
    grids = list(Grid.objects.filter(community=community).order_by("number"))
    grid = next((g for g in grids if g.pk == grid_id), None) if grid_id else None
    if grid_id and grid is None:
        raise NotFound("")
    query = FigureQuery(
        community_ids=frozenset({community.pk}), month=month, grid_id=grid.pk if grid else None
    )
    return Cockpit(
        community=community,
        communities=communities,
        month=month,
        grid=grid,
        grids=grids,
        groups=group_figures(figure_groups_for(actor), query, cached=cached, snapshots=True),
    )


@dataclass(frozen=True)
class CompareRow:
    key: str
    label: str
    unit: str
    values: list[int | Decimal | str | None]


@dataclass(frozen=True)
class Comparison:
    month: dt.date
    communities: list[Community]
    groups: list[tuple[str, list[CompareRow]]]


def comparison(actor: Actor, *, month: dt.date | None, cached: bool = False) -> Comparison:
    """Every headline figure (one with a value) of every community in the actor's reach, one
    column per community."""
    communities = list(cockpit_communities(actor))
    if not communities:
        raise NotFound("")
    month = (month or dates.this_month()).replace(day=1)
    groups = figure_groups_for(actor)
    per_community = [
        group_figures(
            groups,
            FigureQuery(community_ids=frozenset({c.pk}), month=month),
            cached=cached,
            snapshots=True,
        )
        for c in communities
    ]
    out: list[tuple[str, list[CompareRow]]] = []
    for g in groups:
        rows: dict[str, CompareRow] = {}
        for ci, figs in enumerate(per_community):
            group = next((x for x in figs if x.domain == g.domain), None)
            for f in group.figures if group else []:
                if f.value is None:
                    continue
                row = rows.setdefault(
                    f.key, CompareRow(f.key, str(f.label), str(f.unit), [None] * len(communities))
                )
                row.values[ci] = f.value
        if rows:
            out.append((str(g.label), list(rows.values())))
    return Comparison(month=month, communities=communities, groups=out)


def report_list(actor: Actor, community_id: int | None = None) -> QuerySet[MonthlyReport]:
    qs = for_actor(actor, VIEW, MonthlyReport.objects.select_related("community"))
    if community_id:
        qs = qs.filter(community_id=community_id)
    return qs.order_by("community__name", "-month")


def report_get(actor: Actor, report_id: int) -> MonthlyReport:
    return access(actor, VIEW, MonthlyReport.objects.select_related("community"), pk=report_id)
