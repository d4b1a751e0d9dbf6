"""Simple SVG bar charts drawn in Python for the monthly report's PDF (WeasyPrint renders
inline SVG; ECharts would need a browser)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

WIDTH = 520
HEIGHT = 180
LEFT = 64
BOTTOM = 48
TOP = 16


def bar_chart(
    points: Sequence[tuple[str, int | float | Decimal]], *, unit: str = "", colour: str = "#206bc4"
) -> str:
    """An SVG bar chart of (label, value) pairs, values labelled on the bars."""
    if not points:
        return ""
    values = [float(v) for _l, v in points]
    top = max(max(values), 1.0)
    inner_w = WIDTH - LEFT - 8
    inner_h = HEIGHT - BOTTOM - TOP
    step = inner_w / len(points)
    bar_w = max(step * 0.6, 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-size="9">',
        f'<line x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - 4}" y2="{TOP + inner_h}" '
        'stroke="#999" stroke-width="0.5"/>',
    ]
    for i, ((label, _v), value) in enumerate(zip(points, values, strict=True)):
        h = inner_h * value / top
        x = LEFT + i * step + (step - bar_w) / 2
        y = TOP + inner_h - h
        shown = f"{value:g}"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 2:.1f}" text-anchor="middle">'
            f"{escape(shown)}{escape(unit) if len(points) <= 8 else ''}</text>"
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{TOP + inner_h + 12}" text-anchor="end" '
            f'transform="rotate(-35 {x + bar_w / 2:.1f} {TOP + inner_h + 12})">'
            f"{escape(label[:10])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
