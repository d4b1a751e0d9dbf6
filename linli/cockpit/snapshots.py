"""Pre-aggregated figures (issue 14, "100× the data under 1 s"): the huey task
`tasks.refresh_snapshots` computes every figure group of every community (and each of its
grids) for the current month with the domain's own provider, times it, and stores the result
in `FigureSnapshot`. The cockpit computes a group live unless its last computation took
`SNAPSHOT_ABOVE_MS` or more, or the groups computed live would together exceed
`LIVE_BUDGET_MS`: then it reads the snapshot and the tiles say "as of HH:MM". So which
groups are pre-aggregated follows the data: none with the demo, the registry's, Party's and
the hotline's at 100× (see docs/cockpit.md)."""

from __future__ import annotations

import datetime as dt
import pickle
import time
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from linli.cockpit.models import FigureSnapshot
from linli.core import dates
from linli.core.hooks import Figure, FigureGroup, FigureQuery, all_figure_groups
from linli.registry.models import Community, Grid

# A group whose live computation took this long (at the last refresh) is read from its
# snapshot; the cheaper ones are computed live on every page as long as together they took at
# most LIVE_BUDGET_MS (the slowest of them beyond it are read from their snapshots too).
SNAPSHOT_ABOVE_MS = 150
LIVE_BUDGET_MS = 250
# How often the task refreshes (minutes); docs/cockpit.md quotes it as the freshness bound.
REFRESH_MINUTES = 30


def snapshots_for(query: FigureQuery) -> dict[str, FigureSnapshot]:
    """The snapshots to read for a one-community query, by group (one query): every group
    that took `SNAPSHOT_ABOVE_MS` or more at the last refresh, and then the slowest others
    until what is left to compute live took at most `LIVE_BUDGET_MS` together."""
    if len(query.community_ids) != 1:
        return {}
    (community_id,) = query.community_ids
    rows = sorted(
        FigureSnapshot.objects.filter(
            community_id=community_id, month=query.month, grid_id=query.grid_id or 0
        ),
        key=lambda r: r.compute_ms,
    )
    live_ms = 0
    chosen = {}
    for row in rows:  # the quickest first: they stay live while the budget lasts
        if row.compute_ms < SNAPSHOT_ABOVE_MS and live_ms + row.compute_ms <= LIVE_BUDGET_MS:
            live_ms += row.compute_ms
        else:
            chosen[row.domain] = row
    return chosen


def snapshot_figures(row: FigureSnapshot) -> list[Figure]:
    """The stored figures in the active language, each marked with the time they were
    computed."""
    # Written by the task only (never from input): {language: [Figure, ...]}.
    by_language: dict[str, list[Figure]] = pickle.loads(bytes(row.figures))
    language = translation.get_language() or settings.LANGUAGE_CODE
    figures = by_language.get(language) or by_language.get(settings.LANGUAGE_CODE) or []
    as_of = _("as of %(time)s") % {"time": f"{timezone.localtime(row.computed_at):%H:%M}"}
    return [replace(f, freshness=as_of) for f in figures]


def _store(group: FigureGroup, query: FigureQuery, community_id: int) -> int:
    started = time.perf_counter()
    figures = group.provider(query)
    ms = int((time.perf_counter() - started) * 1000)
    from linli.cockpit.selectors import plain_figures

    by_language = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            by_language[translation.get_language()] = plain_figures(figures)
    FigureSnapshot.objects.update_or_create(
        community_id=community_id,
        month=query.month,
        grid_id=query.grid_id or 0,
        domain=group.domain,
        defaults={
            "figures": pickle.dumps(by_language),
            "computed_at": timezone.now(),
            "compute_ms": ms,
        },
    )
    return ms


def refresh(month: dt.date | None = None, community_ids: Any = None) -> int:
    """Compute and store every group of every community (and grid) for `month` (this month by
    default); answers the number of snapshots written. Each community in its own transaction."""
    month = (month or dates.this_month()).replace(day=1)
    communities = Community.objects.order_by("pk")
    if community_ids is not None:
        communities = communities.filter(pk__in=community_ids)
    groups = all_figure_groups()
    written = 0
    for community in communities:
        grid_ids = [None, *Grid.objects.filter(community=community).values_list("pk", flat=True)]
        with transaction.atomic():
            for grid_id in grid_ids:
                query = FigureQuery(frozenset({community.pk}), month, grid_id)
                for group in groups:
                    _store(group, query, community.pk)
                    written += 1
    return written
