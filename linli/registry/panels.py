"""The registry's boxes on a resident's page (issue 14, B1): the household he lives in with its
members, and his residency history. Registered from `RegistryConfig.ready()`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.hooks import Panel, register_panel
from linli.core.permissions import Actor, for_actor
from linli.registry.choices import ResidentStatus
from linli.registry.models import Residency, Resident
from linli.registry.permissions import VIEW_RESIDENT
from linli.registry.selectors import with_disclosure


def _resident(actor: Actor, resident_id: int) -> Resident | None:
    return (
        with_disclosure(
            actor, for_actor(actor, VIEW_RESIDENT, Resident.objects.filter(pk=resident_id))
        )
        .select_related("household__building", "household__unit")
        .first()
    )


def household_context(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    """The household and its other members, and the residency history (three queries)."""
    resident = _resident(actor, resident_id)
    if resident is None:
        return None
    members = list(
        with_disclosure(
            actor,
            for_actor(
                actor,
                VIEW_RESIDENT,
                Resident.objects.filter(
                    household_id=resident.household_id, status=ResidentStatus.ACTIVE
                ).exclude(pk=resident.pk),
            ),
        ).order_by("id")
    )
    history = list(
        for_actor(actor, VIEW_RESIDENT, Residency.objects.filter(resident_id=resident.pk))
        .select_related("household__building", "household__unit")
        .order_by("moved_in", "id")
    )
    return {
        "household": resident.household,
        "members": members,
        "history": history,
        # Move-in dates of children born here are birth dates: month only unless full.
        "day_format": "Y-m-d" if resident.disclosure_full else "Y-m",
    }


def household_export(actor: Actor, resident_id: int) -> list[dict[str, Any]]:
    ctx = household_context(actor, resident_id)
    if ctx is None:
        return []
    rows: list[dict[str, Any]] = [
        {
            "room": h.household.address,
            "moved_in": h.moved_in.isoformat(),
            "move_in_reason": str(h.get_move_in_reason_display()),
            "moved_out": h.moved_out.isoformat() if h.moved_out else "",
            "move_out_reason": str(h.get_move_out_reason_display()) if h.moved_out else "",
        }
        for h in ctx["history"]
    ]
    return rows


def register() -> None:
    register_panel(
        Panel(
            key="registry.household",
            title=_("Household and residency history"),
            perms=(VIEW_RESIDENT,),
            template="registry/panels/household.html",
            context=household_context,
            order=10,
            export=household_export,
        )
    )
