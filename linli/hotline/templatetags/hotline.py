"""Template helpers of the request desk: form values by dynamic name, rates as percentages,
status badge tones."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

STATUS_TONES = {
    "submitted": "orange",
    "accepted": "blue",
    "on_site": "indigo",
    "resolved": "teal",
    "closed": "green",
    "cancelled": "secondary",
    "merged": "secondary",
}


@register.filter
def getvalue(values: Any, name: str) -> str:
    if values is None:
        return ""
    return str(values.get(name, "") or "")


@register.filter
def getlist(values: Any, name: str) -> list[str]:
    if values is None or not hasattr(values, "getlist"):
        return []
    return list(values.getlist(name))


@register.filter
def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def status_tone(status: str) -> str:
    """The colour of a request's status badge (`{% status_badge %}`)."""
    return STATUS_TONES.get(status, "secondary")


@register.simple_tag
def qname(category_code: str, key: str) -> str:
    return f"q-{category_code}-{key}"
