"""What the Party app registers with the shared pages: the staff search provider (Party
members by name) and the household page's panel (its central household and Party contact,
its warm service card). Constant queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import hooks
from linli.core.permissions import Actor, for_actor
from linli.party.models import CentralHousehold, HouseholdLink, Member
from linli.party.permissions import PRINT_CARDS, VIEW


def search_members(actor: Actor, text: str, limit: int) -> list[hooks.SearchHit]:
    q = text.strip()
    qs = for_actor(actor, VIEW, Member.objects.all()).filter(
        Q(resident__name__contains=q) | Q(name__contains=q)
    )
    if q.isascii() and q.isalpha():
        letters = q.lower()
        qs = for_actor(actor, VIEW, Member.objects.all()).filter(
            Q(resident__name_initials__startswith=letters)
            | Q(resident__name_pinyin__startswith=letters)
        )
    rows = qs.select_related("resident", "organisation").order_by("id")[:limit]
    return [
        hooks.SearchHit(
            kind=_("Party member"),
            label=m.display_name,
            url=reverse("party:member", args=[m.public_id]),
            detail=str(m.organisation),
        )
        for m in rows
    ]


def household_party(actor: Actor, household_id: int) -> dict[str, Any] | None:
    """The central household this household is (or is linked to), with its host member."""
    central = (
        for_actor(actor, VIEW, CentralHousehold.objects.filter(ended_on__isnull=True))
        .filter(
            Q(household_id=household_id)
            | Q(
                pk__in=HouseholdLink.objects.filter(
                    household_id=household_id, ended_on__isnull=True
                ).values("central_id")
            )
        )
        .select_related("host__resident", "household__building", "household__unit")
        .first()
    )
    return {
        "central": central,
        "is_central": bool(central and central.household_id == household_id),
    }


def household_card(actor: Actor, household_id: int) -> dict[str, Any] | None:
    """A link to the household's printable card (the page checks the scope again)."""
    return {"household_id": household_id}


def register() -> None:
    hooks.register_search(
        hooks.SearchProvider(
            domain="party",
            label=gettext_lazy("Party members"),
            perms=(VIEW,),
            search=search_members,
            order=50,
        )
    )
    hooks.register_household_panel(
        hooks.Panel(
            key="party.central",
            title=gettext_lazy("Central household and Party contact"),
            perms=(VIEW,),
            template="party/_household_panel.html",
            context=household_party,
            order=30,
        )
    )
    hooks.register_household_panel(
        hooks.Panel(
            key="party.card",
            title=gettext_lazy("Warm service card"),
            perms=(PRINT_CARDS,),
            template="party/_household_card_panel.html",
            context=household_card,
            order=40,
        )
    )
