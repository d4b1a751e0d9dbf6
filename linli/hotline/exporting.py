"""The rates page as an .xlsx workbook: one sheet per table, Chinese-first headers through
gettext, rates as percentages Excel can chart. Holds figures only, no personal data."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from linli.hotline.selectors import Rates


def _headers() -> list[str]:
    return [
        str(_("Requests")),
        str(_("Due for first contact")),
        str(_("Contacted in time")),
        str(_("Response rate")),
        str(_("Rated")),
        str(_("Solved")),
        str(_("Resolution rate")),
        str(_("Rated 4–5")),
        str(_("Satisfaction rate")),
        str(_("Average hours to the door")),
        str(_("Average hours to resolution")),
        str(_("Overdue")),
        str(_("Reopened")),
        str(_("Verdicts recorded by staff")),
        str(_("Cancelled by staff")),
    ]


def _row(r: Rates) -> list[Any]:
    return [
        r.requests,
        r.due_for_contact,
        r.contacted_in_time,
        r.response_rate,
        r.rated,
        r.solved,
        r.resolution_rate,
        r.satisfied,
        r.satisfaction_rate,
        r.avg_door_hours,
        r.avg_resolve_hours,
        r.overdue,
        r.reopened,
        r.staff_recorded,
        r.staff_cancelled,
    ]


def _sheet(wb: Workbook, title: str, first: str, rows: list[tuple[str, Rates]]) -> None:
    ws = wb.create_sheet(title[:31])
    ws.append([first, *_headers()])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for label, rates in rows:
        ws.append([label, *_row(rates)])
    for col in ("E", "H", "J"):
        for cell in ws[col][1:]:
            cell.number_format = "0.0%"
    ws.freeze_panes = "B2"


def rates_workbook(context: dict[str, Any]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    month = context["month_value"]
    no_grid = str(_("No grid"))
    _sheet(
        wb,
        str(_("By grid")),
        str(_("Grid")),
        [(g.name if g else no_grid, r) for g, r in context["by_grid"]]
        + [(str(_("Total")), context["summary"])],
    )
    _sheet(
        wb,
        str(_("By month")),
        str(_("Month")),
        [(r.key.strftime("%Y-%m"), r) for r in context["by_month"]],
    )
    _sheet(
        wb,
        str(_("By category")),
        str(_("Category")),
        [(c.name if c else "—", r) for c, r in context["by_category"]],
    )
    info = wb.create_sheet(str(_("About")))
    info.append([str(_("Community")), context["community"].name])
    info.append([str(_("Month")), month])
    info.append(
        [
            str(_("Response rate")),
            str(_("requests first contacted within their limit ÷ requests due for first contact")),
        ]
    )
    info.append(
        [
            str(_("Resolution rate")),
            str(_("requests the resident confirms solved ÷ rated requests")),
        ]
    )
    info.append([str(_("Satisfaction rate")), str(_("requests rated 4–5 ÷ rated requests"))])
    info.append(
        [
            str(_("Verdicts recorded by staff")),
            str(_("verdicts staff wrote down from a call with the resident (counted as rated)")),
        ]
    )
    info.append(
        [
            str(_("Cancelled by staff")),
            str(_("requests staff cancelled; they stay counted in the three rates")),
        ]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
