"""What elderly care adds to the shared pages (`core.hooks`): the care summary on a resident's
page (only for those who may read the register), cockpit figures, the hub tile "My elderly
care" and the waiting items "a visit to rate". Every callable reads through scoped selectors
and runs a constant number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.care import selectors
from linli.care.choices import ElderStatus, VisitStatus
from linli.care.models import Elder, Visit
from linli.care.permissions import PORTAL, VIEW_BOARD, VIEW_RECORDS, VIEW_REGISTER
from linli.core.hooks import (
    Figure,
    FigureGroup,
    FigureQuery,
    Panel,
    Tile,
    WaitingItem,
    WaitingSource,
    register_figures,
    register_panel,
    register_tile,
    register_waiting,
)
from linli.core.permissions import Actor, for_actor, has_perm


def panel_context(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    elder = (
        for_actor(actor, VIEW_REGISTER, Elder.objects.all())
        .select_related("resident", "grid", "household__building", "household__unit")
        .filter(resident_id=resident_id, status=ElderStatus.ACTIVE)
        .first()
    )
    if elder is None:
        return None
    page = selectors.elder_page(actor, elder)
    return {"page": page, "elder": elder, "records": has_perm(actor, VIEW_RECORDS)}


def figures(query: FigureQuery) -> list[Figure]:
    f = selectors.figures(query.community_ids, query.month, query.grid_id)
    return [
        Figure("care.elders", _("Elders in the register"), f["elders"], url="/care/"),
        Figure("care.served", _("Elders served in the last 12 months"), f["served"]),
        Figure("care.visits", _("Care visits this month"), f["visits"]),
        Figure("care.on_time", _("Care visits on time"), f["on_time"], unit="%"),
        Figure(
            "care.open_tasks", _("Open proactive visit tasks"), f["open_tasks"], url="/care/tasks/"
        ),
        Figure("care.found_solved", _("Problems found on visits (未诉先办)"), f["found_solved"]),
    ]


def badge(actor: Actor) -> int:
    return for_actor(actor, PORTAL, Visit.objects.filter(status=VisitStatus.DONE)).count()


def waiting(actor: Actor) -> list[WaitingItem]:
    visits = (
        for_actor(actor, PORTAL, Visit.objects.filter(status=VisitStatus.DONE))
        .select_related("service")
        .order_by("-checked_out_at")[:5]
    )
    return [
        WaitingItem(
            kind="care.please_rate",
            title=_("Rate the care visit: %(service)s") % {"service": v.service.name},
            url=reverse("care:rate", args=[v.public_id]),
            when=v.checked_out_at,
        )
        for v in visits
    ]


def register() -> None:
    register_panel(
        Panel(
            key="care",
            title=_("Elderly care"),
            perms=(VIEW_REGISTER,),
            template="care/_panel.html",
            context=panel_context,
            order=40,
        )
    )
    register_figures(
        FigureGroup(
            domain="care", label=_("Elderly care"), perms=(VIEW_BOARD,), provider=figures, order=40
        )
    )
    register_tile(
        Tile(
            key="care",
            label=_("My elderly care"),
            url_name="care:me",
            perms=(PORTAL,),
            icon="ti-heart-handshake",
            order=40,
            badge=badge,
        )
    )
    register_waiting(WaitingSource(domain="care", perms=(PORTAL,), items=waiting))
