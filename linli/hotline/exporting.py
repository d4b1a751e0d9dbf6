"""The rates page as an .xlsx workbook (`core.exporting`): one sheet per table, Chinese-first
headers through gettext, rates in per cent. Figures only, no personal data; audited as
`hotline.rates`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor
from linli.hotline.selectors import Rates, rate_tables


def _pct(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


def _headers(first: str) -> list[str]:
    per_cent = " (%)"
    return [
        first,
        str(_("Requests")),
        str(_("Due for first contact")),
        str(_("Contacted in time")),
        str(_("Response rate")) + per_cent,
        str(_("Rated")),
        str(_("Solved")),
        str(_("Resolution rate")) + per_cent,
        str(_("Rated 4–5")),
        str(_("Satisfaction rate")) + per_cent,
        str(_("Average hours to the door")),
        str(_("Average hours to resolution")),
        str(_("Overdue")),
        str(_("Reopened")),
        str(_("Verdicts recorded by staff")),
        str(_("Cancelled by staff")),
    ]


def _row(label: str, r: Rates) -> list[Any]:
    return [
        label,
        r.requests,
        r.due_for_contact,
        r.contacted_in_time,
        _pct(r.response_rate),
        r.rated,
        r.solved,
        _pct(r.resolution_rate),
        r.satisfied,
        _pct(r.satisfaction_rate),
        r.avg_door_hours,
        r.avg_resolve_hours,
        r.overdue,
        r.reopened,
        r.staff_recorded,
        r.staff_cancelled,
    ]


def export_rates(
    *,
    actor: Actor,
    community_id: int | None,
    month: dt.date,
    grid_id: int | None = None,
    category_code: str = "",
    worker_id: int | None = None,
) -> Export:
    """The rate tables the page shows, as a workbook, with its audit row."""
    tables = rate_tables(
        actor,
        community_id=community_id,
        month=month,
        grid_id=grid_id,
        category_code=category_code,
        worker_id=worker_id,
    )
    no_grid = str(_("No grid"))
    month_value = month.strftime("%Y-%m")
    sheets = [
        Sheet(
            title=str(_("By grid")),
            headers=_headers(str(_("Grid"))),
            rows=[_row(g.name if g else no_grid, r) for g, r in tables.by_grid]
            + [_row(str(_("Total")), tables.summary)],
        ),
        Sheet(
            title=str(_("By month")),
            headers=_headers(str(_("Month"))),
            rows=[_row(r.key.strftime("%Y-%m"), r) for r in tables.by_month],
        ),
        Sheet(
            title=str(_("By category")),
            headers=_headers(str(_("Category"))),
            rows=[_row(c.name if c else "—", r) for c, r in tables.by_category],
        ),
        Sheet(
            title=str(_("About")),
            headers=[str(_("Community")), tables.community.name],
            rows=[
                [str(_("Month")), month_value],
                [
                    str(_("Response rate")),
                    str(
                        _(
                            "requests first contacted within their limit ÷ requests due for "
                            "first contact"
                        )
                    ),
                ],
                [
                    str(_("Resolution rate")),
                    str(_("requests the resident confirms solved ÷ rated requests")),
                ],
                [str(_("Satisfaction rate")), str(_("requests rated 4–5 ÷ rated requests"))],
                [
                    str(_("Verdicts recorded by staff")),
                    str(
                        _(
                            "verdicts staff wrote down from a call with the resident "
                            "(counted as rated)"
                        )
                    ),
                ],
                [
                    str(_("Cancelled by staff")),
                    str(_("requests staff cancelled; they stay counted in the three rates")),
                ],
            ],
        ),
    ]
    content, rows = build_workbook(sheets)
    filename = f"hotline-rates-{tables.community.code}-{month_value}.xlsx"
    with transaction.atomic():
        record_export(
            actor=actor,
            what="hotline.rates",
            filename=filename,
            rows=rows,
            community_id=tables.community.pk,
            month=month_value,
            grid=grid_id,
            category=category_code,
            worker=worker_id,
        )
    return Export(content=content, filename=filename, rows=rows)
