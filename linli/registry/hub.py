"""What the registry registers with the shared pages: the hub's "my household" tile and the
staff search providers (residents by name, pinyin initials, full phone or ID number — the
registry's own audited lookups — and households by room code 12-2-301)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import hooks
from linli.core.permissions import Actor
from linli.registry import selectors
from linli.registry.permissions import VIEW_HOUSEHOLD, VIEW_PLACES


def search_residents(actor: Actor, text: str, limit: int) -> list[hooks.SearchHit]:
    rows = selectors.resident_list(actor, selectors.ResidentFilters(q=text))[:limit]
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
