"""Bar charts for the monthly report's PDF, drawn in Python as PNG images (Pillow) and embedded
as data URIs. ECharts would need a browser; WeasyPrint does render inline SVG, but lays out and
paints every <text> of it through Pango one by one — 24 charts of 12 bars cost it 5–10 s of the
report (profiled, docs/cockpit.md), a PNG costs it nothing. Drawn at 2× for print."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

WIDTH = 520
HEIGHT = 180
LEFT = 40
BOTTOM = 40
TOP = 16
SCALE = 2  # pixels per CSS pixel: sharp when printed


@lru_cache(maxsize=4)
def _font(path: str | None, size: int) -> Any:
    from PIL import ImageFont

    if path:
        # Noto's CJK collection starts with the Japanese face; the third is Simplified Chinese.
        index = 2 if path.endswith(".ttc") and "NotoSansCJK" in path else 0
        try:
            return ImageFont.truetype(path, size, index=index)
        except OSError:
            pass
    return ImageFont.load_default(size)


def bar_chart_png(
    points: Sequence[tuple[str, int | float | Decimal]],
    *,
    unit: str = "",
    colour: str = "#206bc4",
    font_file: str | None = None,
) -> bytes:
    """A PNG bar chart of (label, value) pairs, values labelled on the bars."""
    from PIL import Image, ImageDraw

    if not points:
        return b""
    s = SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), "white")
    draw = ImageDraw.Draw(image)
    font = _font(font_file, 9 * s)
    values = [float(v) for _l, v in points]
    top = max(max(values), 1.0)
    inner_w = WIDTH - LEFT - 8
    inner_h = HEIGHT - BOTTOM - TOP
    step = inner_w / len(points)
    bar_w = max(step * 0.6, 2)
    base = TOP + inner_h
    draw.line([(LEFT * s, base * s), ((WIDTH - 4) * s, base * s)], fill="#999999", width=1)
    for i, ((label, _v), value) in enumerate(zip(points, values, strict=True)):
        h = inner_h * max(value, 0.0) / top
        x = LEFT + i * step + (step - bar_w) / 2
        y = base - h
        draw.rectangle([(x * s, y * s), ((x + bar_w) * s, base * s)], fill=colour)
        shown = f"{value:g}" + (unit if len(points) <= 8 else "")
        draw.text(((x + bar_w / 2) * s, (y - 2) * s), shown, fill="#222222", font=font, anchor="md")
        draw.text(
            ((x + bar_w / 2) * s, (base + 4) * s),
            str(label)[:8],
            fill="#444444",
            font=font,
            anchor="ma",
        )
    out = io.BytesIO()
    image.convert("P", palette=Image.Palette.ADAPTIVE, colors=32).save(out, "PNG", optimize=True)
    return out.getvalue()


def bar_chart(
    points: Sequence[tuple[str, int | float | Decimal]],
    *,
    unit: str = "",
    colour: str = "#206bc4",
    font_file: str | None = None,
) -> str:
    """The chart as a data URI for an <img> (empty without points)."""
    png = bar_chart_png(points, unit=unit, colour=colour, font_file=font_file)
    if not png:
        return ""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
