"""What the hub shows: the actor's tiles with their badges, the things waiting for him (every
registered source), and search hits across every registered provider."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language

from linli.core import hooks
from linli.core.errors import DomainError
from linli.core.permissions import Actor
from linli.core.roles import Role

logger = logging.getLogger("linli.hub")

MIN_QUERY = 2
HITS_PER_PROVIDER = 8


# The tile's round badge: one character standing for the service (there is no icon font on
# the phones this targets, and emoji render as boxes on many). Unknown icons, and languages
# other than Chinese, use the label's first letter.
ICON_GLYPHS = {
    "ti-sos": "助",
    "ti-list-check": "诉",
    "ti-run": "活",
    "ti-calendar-event": "约",
    "ti-needle-thread": "工",
    "ti-baby-carriage": "托",
    "ti-gift": "兑",
    "ti-motorbike": "骑",
    "ti-speakerphone": "告",
    "ti-home": "家",
    "ti-building-community": "馆",
    "ti-checkbox": "投",
    "ti-clipboard-list": "问",
    "ti-heart-handshake": "服",
}


@dataclass(frozen=True)
class ShownTile:
    key: str
    label: str
    url: str
    icon: str
    badge: int

    @property
    def glyph(self) -> str:
        if get_language() == "zh-hans" and self.icon in ICON_GLYPHS:
            return ICON_GLYPHS[self.icon]
        return self.label[:1].upper()


def is_resident_only(actor: Actor) -> bool:
    """A resident without any staff role: his home page is the hub."""
    return actor.roles == {Role.RESIDENT}


def tiles(
    actor: Actor, *, badges: bool = True, items: list[hooks.WaitingItem] | None = None
) -> list[ShownTile]:
    """The actor's tiles with their badges (`badges=False`: none, no query). `items`: his
    waiting items when the caller has them already; tiles with `badge_kinds` count those."""
    shown = []
    for tile in hooks.tiles_for(actor):
        try:
            url = reverse(tile.url_name)
        except NoReverseMatch:
            continue
        badge = 0
        if badges and tile.badge_kinds:
            if items is None:
                items = waiting(actor)
            badge = sum(1 for item in items if item.kind in tile.badge_kinds)
        elif badges and tile.badge:
            badge = tile.badge(actor)
        shown.append(
            ShownTile(key=tile.key, label=str(tile.label), url=url, icon=tile.icon, badge=badge)
        )
    return shown


def _sort_key(item: hooks.WaitingItem) -> tuple[int, float]:
    when = item.when
    if isinstance(when, dt.datetime):
        stamp = when.timestamp()
    elif isinstance(when, dt.date):
        stamp = dt.datetime.combine(
            when, dt.time(), tzinfo=timezone.get_current_timezone()
        ).timestamp()
    else:
        stamp = 0.0
    return (0 if item.urgent else 1, -stamp)


def waiting(actor: Actor) -> list[hooks.WaitingItem]:
    items: list[hooks.WaitingItem] = []
    for source in hooks.waiting_sources_for(actor):
        items.extend(source.items(actor))
    return sorted(items, key=_sort_key)


@dataclass(frozen=True)
class SearchGroup:
    domain: str
    label: str
    hits: list[hooks.SearchHit]
    error: str = ""


def search(actor: Actor, text: str, limit: int = HITS_PER_PROVIDER) -> list[SearchGroup]:
    """Every provider the actor may use, asked for `limit` hits; a query shorter than
    `MIN_QUERY` asks nobody. A provider's domain error (too many lookups) is shown in its
    group, never a 500."""
    q = " ".join(text.split())[:100]
    if len(q) < MIN_QUERY:
        return []
    groups = []
    for provider in hooks.search_providers_for(actor):
        try:
            hits = provider.search(actor, q, limit)
            error = ""
        except DomainError as exc:
            hits, error = [], str(exc.message)
        if hits or error:
            groups.append(
                SearchGroup(
                    domain=provider.domain, label=str(provider.label), hits=hits, error=error
                )
            )
    return groups


def can_search(actor: Actor) -> bool:
    return bool(hooks.search_providers_for(actor))
