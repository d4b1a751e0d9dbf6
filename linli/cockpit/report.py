"""The monthly report (月报) as a PDF: the month's headline figures of every domain, their
charts (PNG drawn in Python, `charts.py`), the three rates by grid, the wellbeing indices
and the month's highlights, rendered by WeasyPrint with a CJK font embedded (subset) in the
file: the font file named by `LINLI_CJK_FONT`, else Debian's `fonts-noto-cjk`, else the Noto
Sans SC of `@fontsource/noto-sans-sc` if it is in node_modules; without any, WeasyPrint falls
back to fontconfig (and the Chinese shows as empty boxes: `cjk_font_file()` tells)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from linli.cockpit.charts import bar_chart
from linli.cockpit.selectors import GroupFigures
from linli.core.hooks import Figure
from linli.registry.models import Community

# Where Debian and common distributions put a CJK font (the first that exists is embedded).
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    str(
        Path(__file__).resolve().parents[2]
        / "node_modules/@fontsource/noto-sans-sc/files"
        / "noto-sans-sc-chinese-simplified-400-normal.woff2"
    ),
)
RATE_KEYS = ("response_rate", "resolution_rate", "satisfaction_rate")
HIGHLIGHT_KEYS = (
    "volunteers.new_month",
    "volunteers.hours_month",
    "party.activities_month",
    "hotline.requests",
    "surveys.followup_satisfaction",
)


def cjk_font_file() -> str | None:
    configured = os.environ.get("LINLI_CJK_FONT", "")
    for path in (configured, *CJK_FONT_FILES):
        if path and Path(path).is_file():
            return path
    return None


def plain(value: Any) -> Any:
    """A figure's value as JSON keeps it (Decimals as strings, exactly as printed)."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rates_by_grid(figures: dict[str, Figure]) -> tuple[list[str], list[list[Any]]]:
    grids: list[str] = []
    by: dict[str, dict[str, Any]] = {}
    for key in RATE_KEYS:
        f = figures.get(f"hotline.{key}.by_grid")
        for name, v in f.series if f else ():
            if name not in by:
                grids.append(name)
                by[name] = {}
            by[name][key] = v
    return grids, [[g, *(by[g].get(k) for k in RATE_KEYS)] for g in grids]


REPORT_CSS = Path(__file__).with_name("report.css")


def render_pdf(community: Community, month: dt.date, groups: list[GroupFigures]) -> bytes:
    from weasyprint import CSS, HTML  # imported here: it loads pango, and only reports need it

    with translation.override(settings.LANGUAGE_CODE):  # the report is in Chinese
        html = _html(community, month, groups)
    # The styles live in report.css (no <style> in templates: the pages' CSP rule applies to
    # every template); the CJK font, when found, is embedded through an @font-face.
    css = REPORT_CSS.read_text(encoding="utf-8")
    font_file = cjk_font_file()
    if font_file:
        css = f'@font-face {{ font-family: "LinliCJK"; src: url("file://{font_file}"); }}\n' + css
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(string=css)])
    return pdf


def _html(community: Community, month: dt.date, groups: list[GroupFigures]) -> str:
    font_file = cjk_font_file()
    figures = {f.key: f for g in groups for f in g.figures}
    sections = []
    for g in groups:
        rows = [f for f in g.figures if f.value is not None]
        charts = [
            {
                "title": str(f.label),
                "src": bar_chart(f.series, unit=str(f.unit), font_file=font_file),
            }
            for f in g.figures
            if f.series and not f.key.endswith(".by_grid")
        ][:2]
        if rows or charts:
            sections.append({"label": g.label, "rows": rows, "charts": charts})
    _grids, grid_rows = _rates_by_grid(figures)
    return render_to_string(
        "cockpit/report_pdf.html",
        {
            "community": community,
            "month": month,
            "sections": sections,
            "grid_rows": grid_rows,
            "highlights": [figures[k] for k in HIGHLIGHT_KEYS if k in figures],
        },
    )
