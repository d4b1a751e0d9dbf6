"""The cockpit in the demo: the monthly reports of the last twelve months for Wenchang. Their
figures are computed and stored now; each PDF is rendered on first open (a PDF takes about a
second, twelve would take the demo past its time budget)."""

from __future__ import annotations

from django.utils import timezone

from linli.cockpit.models import MonthlyReport
from linli.cockpit.report import plain
from linli.cockpit.selectors import group_figures
from linli.core import dates
from linli.core.demo_hooks import DemoContext
from linli.core.hooks import FigureQuery, all_figure_groups
from linli.registry.models import Community

MONTHS = 12


def build_demo(ctx: DemoContext) -> dict[str, int]:
    community = Community.objects.get(code=ctx.main_community_code)
    this_month = ctx.today.replace(day=1)
    groups = all_figure_groups()
    rows = []
    for back in range(MONTHS, 0, -1):
        month = dates.add_months(this_month, -back)
        figures = group_figures(
            groups, FigureQuery(community_ids=frozenset({community.pk}), month=month)
        )
        rows.append(
            MonthlyReport(
                community=community,
                month=month,
                figures={f.key: plain(f.value) for g in figures for f in g.figures},
                generated_at=timezone.now(),
            )
        )
    MonthlyReport.objects.bulk_create(rows)
    return {"monthly reports (PDF rendered on first open)": len(rows)}
