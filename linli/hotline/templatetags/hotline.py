"""Template helpers of the request desk: form values by dynamic name, rates as percentages,
status badge tones."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


_RATES_CELLS = (
    '<td class="text-end"><a href="{link}">{requests}</a></td>\n'
    '<td class="text-end" title="{contacted_in_time} / {due_for_contact}">{response}</td>\n'
    '<td class="text-end" title="{solved} / {rated}">{resolution}</td>\n'
    '<td class="text-end" title="{satisfied} / {rated}">'
    '<a href="{link}&rated=rated">{satisfaction}</a></td>\n'
    '<td class="text-end hide-phone">{door}</td>\n'
    '<td class="text-end hide-phone">{resolve}</td>\n'
    '<td class="text-end"><a href="{link}&overdue=1">{overdue}</a></td>\n'
    '<td class="text-end"><a href="{link}&reopened=1">{reopened}</a></td>\n'
    '<td class="text-end hide-phone"><a href="{link}&rated=staff_recorded">'
    "{staff_recorded}</a></td>\n"
)


@register.simple_tag
def rates_cells(link: str, r: Any) -> SafeString:
    """The cells of one row of the rates tables, built in Python: the rates page renders one
    row per grid, month and category, and an `{% include %}` per row cost more than the rest
    of the row (issue 16). Only the link is text to escape; every other value is a number
    this module formats (format_html's escaping of each cost as much as the rest of the row)."""
    return mark_safe(
        _RATES_CELLS.format(
            link=escape(link),
            requests=r.requests,
            contacted_in_time=r.contacted_in_time,
            due_for_contact=r.due_for_contact,
            response=pct(r.response_rate),
            solved=r.solved,
            rated=r.rated,
            resolution=pct(r.resolution_rate),
            satisfied=r.satisfied,
            satisfaction=pct(r.satisfaction_rate),
            door=hours(r.avg_door_hours),
            resolve=hours(r.avg_resolve_hours),
            overdue=r.overdue,
            reopened=r.reopened,
            staff_recorded=r.staff_recorded,
        )
    )
