"""Community 110's box on a resident's page (issue 14, B1): the requests filed for his
household, newest first, with how many there are and how many he rated. Registered from
`HotlineConfig.ready()`; reads through the engine with `hotline.view` (a grid worker sees her
grids', a resident his household's)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, Subquery
from django.utils.translation import gettext_lazy as _

from linli.core.hooks import Panel, register_panel
from linli.core.permissions import Actor, for_actor
from linli.hotline.models import ServiceRequest
from linli.hotline.permissions import VIEW
from linli.registry.models import Resident

SHOWN = 5


def _requests(actor: Actor, resident_id: int) -> Any:
    household = Subquery(Resident.objects.filter(pk=resident_id).values("household_id")[:1])
    return for_actor(actor, VIEW, ServiceRequest.objects.filter(household_id=household))


def requests_context(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    """The household's latest requests and their counts (two queries)."""
    qs = _requests(actor, resident_id)
    counts = qs.aggregate(total=Count("id"), rated=Count("id", filter=Q(rating__isnull=False)))
    if not counts["total"]:
        return None
    latest = list(qs.select_related("category").order_by("-submitted_at")[:SHOWN])
    return {"total": counts["total"], "rated": counts["rated"], "latest": latest}


def requests_export(actor: Actor, resident_id: int) -> list[dict[str, Any]]:
    return [
        {
            "number": r.number,
            "category": r.category.name,
            "status": str(r.get_status_display()),
            "submitted_at": r.submitted_at.isoformat(),
            "description": r.description,
            "rating": r.rating,
        }
        for r in _requests(actor, resident_id).select_related("category").order_by("submitted_at")
    ]


def register() -> None:
    register_panel(
        Panel(
            key="hotline.requests",
            title=_("Community 110 requests"),
            perms=(VIEW,),
            template="hotline/panels/requests.html",
            context=requests_context,
            order=30,
            export=requests_export,
        )
    )
