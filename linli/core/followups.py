"""How a domain asks residents how a service went, without importing the surveys domain.

Once a service is over (a Community 110 request closed, a care visit done, a venue booking
used, a service record made), its domain calls `request_followup(Followup(...))` inside its own
write transaction. The registered handler (the `surveys` domain registers one in its `ready()`)
sends the household a short follow-up questionnaire in that same transaction, so a rolled-back
change asks nobody. Without a handler (a project without `surveys`) the call does nothing.

`(service_line, ref)` makes it idempotent: a second request for the same service is ignored.
Service lines are "<domain>.<what>", e.g. "hotline.request", "care.visit", "venues.booking",
"venues.service"; the satisfaction figure per service line groups the answers by them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Followup:
    community_id: int
    household_id: int
    service_line: str  # "<domain>.<what>"
    ref: str  # the service's own id within its line, e.g. the booking's public id
    label: str = ""  # what the resident is asked about, e.g. "城市书房 · 11月28日"
    url: str = ""  # where the service can be seen
    on: date | None = None  # the day it is sent (default: today)


Handler = Callable[[Followup], None]

_HANDLERS: list[Handler] = []


def register_handler(handler: Handler) -> None:
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)


def request_followup(followup: Followup) -> None:
    """Hand `followup` to every registered handler (in the caller's transaction)."""
    for handler in _HANDLERS:
        handler(followup)
