"""The Party's box on a resident's page (issue 14, B1): his membership (organisation, standing,
offices) and the central household (三带) his household and he are linked to. Registered from
`PartyConfig.ready()`; reads through the engine with `party.view`, so a grid worker sees only
her grids' members and residents see nothing of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _

from linli.core.hooks import Panel, register_panel
from linli.core.permissions import Actor, for_actor
from linli.party.models import HouseholdLink, Member, MemberLink, Office
from linli.party.permissions import VIEW
from linli.registry.models import Resident


def party_context(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    """Membership, offices held, and central-household links (four queries)."""
    member = (
        for_actor(actor, VIEW, Member.objects.filter(resident_id=resident_id))
        .select_related("organisation")
        .order_by("-id")
        .first()
    )
    household_link = (
        for_actor(
            actor,
            VIEW,
            HouseholdLink.objects.filter(
                ended_on__isnull=True,
                household_id=Subquery(
                    Resident.objects.filter(pk=resident_id).values("household_id")[:1]
                ),
            ),
        )
        .select_related("central__household__building", "central__household__unit", "central__host")
        .first()
    )
    offices: list[Office] = []
    member_link = None
    if member is not None:
        offices = list(
            for_actor(actor, VIEW, Office.objects.filter(member=member, ended_on__isnull=True))
            .select_related("organisation")
            .order_by("started_on")
        )
        member_link = (
            for_actor(actor, VIEW, MemberLink.objects.filter(member=member, ended_on__isnull=True))
            .select_related("central__household__building", "central__household__unit")
            .first()
        )
    if member is None and household_link is None:
        return None
    return {
        "member": member,
        "offices": offices,
        "member_link": member_link,
        "household_link": household_link,
    }


def party_export(actor: Actor, resident_id: int) -> list[dict[str, Any]]:
    ctx = party_context(actor, resident_id)
    if ctx is None or ctx["member"] is None:
        return []
    m: Member = ctx["member"]
    return [
        {
            "organisation": m.organisation.name,
            "joined_on": m.joined_on.isoformat(),
            "standing": str(m.get_standing_display()),
            "relation": str(m.get_relation_display()),
        }
    ]


def register() -> None:
    register_panel(
        Panel(
            key="party.membership",
            title=_("Party membership and central household"),
            perms=(VIEW,),
            template="party/panels/membership.html",
            context=party_context,
            order=20,
            export=party_export,
        )
    )
