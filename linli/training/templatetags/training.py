"""Template filters of the training base."""

from __future__ import annotations

from decimal import Decimal

from django import template

from linli.training.choices import STATUS_TONES

register = template.Library()


@register.filter
def class_tone(status: str) -> str:
    """The badge colour of a class status."""
    return STATUS_TONES.get(status, "secondary")


@register.filter
def yuan(amount: Decimal | int | None) -> str:
    """`12345.5` → `12,345.50` (two places, thousands separated; no rounding: amounts are
    already exact to the fen)."""
    if amount is None:
        return "—"
    return f"{Decimal(amount):,.2f}"
