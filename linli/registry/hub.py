"""What the registry registers with the shared pages: the hub's "my household" tile and the
staff search providers (residents by name, pinyin initials, full phone or ID number — the
registry's own audited lookups — and households by room code 12-2-301)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import hooks
from linli.core.permissions import Actor
from linli.registry import lookups, selectors
from linli.registry.models import Resident
from linli.registry.permissions import VIEW_HOUSEHOLD, VIEW_PLACES


def _name_candidates(text: str) -> QuerySet[Resident, Any] | None:
    """The residents whose name could match, read from an index alone (pinyin by a range on
    the initials and pinyin indexes; a part of a name by scanning the small name index), so the
    scoped query looks up only those rows instead of reading the whole community. None when
    the query is a room code or a number (`selectors.search_q` handles those)."""
    q = text.strip()
    if selectors.ROOM_RE.match(q) or lookups.full_number(q):
        return None
    letters = q.replace(" ", "").lower()
    if q.isascii() and letters.isalpha():
        upper = letters[:-1] + chr(ord(letters[-1]) + 1)
        return Resident.objects.filter(
            Q(name_initials__gte=letters, name_initials__lt=upper)
            | Q(name_pinyin__gte=letters, name_pinyin__lt=upper)
        ).values("pk")
    return Resident.objects.filter(name__contains=q).values("pk")


def search_residents(actor: Actor, text: str, limit: int) -> list[hooks.SearchHit]:
    q = text.strip()
    if any(ch.isdigit() for ch in q) and not (selectors.ROOM_RE.match(q) or lookups.full_number(q)):
        return []  # a fragment of a number: names hold no digits, and numbers match only whole
    rows = selectors.resident_list(actor, selectors.ResidentFilters(q=q))
    candidates = _name_candidates(q)
    if candidates is not None:
        rows = rows.filter(pk__in=candidates).order_by("pk")
    rows = rows[:limit]
    return [
        hooks.SearchHit(
            kind=_("Resident"),
            label=r.name,
            url=reverse("registry:resident", args=[r.public_id]),
            detail=f"{r.household.address if r.household else ''} · {r.shown_phone or ''}".strip(
                " ·"
            ),
        )
        for r in rows
    ]


def search_households(actor: Actor, text: str, limit: int) -> list[hooks.SearchHit]:
    if not selectors.ROOM_RE.match(text):
        return []
    rows = selectors.household_list(actor, q=text)[:limit]
    return [
        hooks.SearchHit(
            kind=_("Household"),
            label=h.address,
            url=reverse("registry:household", args=[h.public_id]),
            detail=_("%(n)d members") % {"n": getattr(h, "member_count", 0)},
        )
        for h in rows
    ]


def register() -> None:
    hooks.register_tile(
        hooks.Tile(
            key="registry.household",
            label=gettext_lazy("My household"),
            url_name="hub:my_household",
            perms=(VIEW_HOUSEHOLD,),
            icon="ti-home",
            order=90,
        )
    )
    hooks.register_search(
        hooks.SearchProvider(
            domain="registry.households",
            label=gettext_lazy("Households"),
            perms=(VIEW_PLACES,),
            search=search_households,
            order=10,
        )
    )
    hooks.register_search(
        hooks.SearchProvider(
            domain="registry.residents",
            label=gettext_lazy("Residents"),
            perms=(VIEW_PLACES,),
            search=search_residents,
            order=20,
        )
    )
