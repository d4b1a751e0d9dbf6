"""Template helpers of volunteering."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def mask_name(name: str) -> str:
    """张晓明 → 张*明, 张晓 → 张*: residents see their neighbours on the leaderboard without
    their full names."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
