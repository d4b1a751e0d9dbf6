"""What the doorstep jobs add to shared pages (core.hooks): the worker's months on a
resident's page, the cockpit's figures (people employed this month, average monthly income),
the worker's hub tile and waiting item."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.core import dates
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
from linli.jobs import selectors
from linli.jobs.models import Statement, Worker
from linli.jobs.permissions import FIGURES, PORTAL, VIEW


def panel_context(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    """The worker's last twelve statements (staff; or the worker himself)."""
    if has_perm(actor, VIEW):
        perm = VIEW
    elif has_perm(actor, PORTAL) and actor.resident_id == resident_id:
        perm = PORTAL
    else:
        return None
    worker = for_actor(actor, perm, Worker.objects.all()).filter(resident_id=resident_id).first()
    if worker is None:
        return None
    months = list(Statement.objects.filter(worker=worker).order_by("-month")[:12])
    return {"worker": worker, "months": months}


def figures(query: FigureQuery) -> list[Figure]:
    employed, average = selectors.month_figures(query.community_ids, query.month)
    return [
        Figure(
            key="jobs.employed",
            label=_("People in doorstep jobs"),
            value=employed,
            url=reverse("jobs:stats"),
        ),
        Figure(
            key="jobs.average_income", label=_("Average monthly income"), value=average, unit="¥"
        ),
    ]


def waiting(actor: Actor) -> list[WaitingItem]:
    worker = selectors.own_worker(actor)
    if worker is None:
        return []
    month = selectors.worker_month(worker, dates.this_month())
    return [
        WaitingItem(
            kind="jobs.month",
            title=_("My jobs this month: %(pieces)s pieces, ¥%(amount)s")
            % {"pieces": month.pieces, "amount": month.amount},
            url=reverse("jobs:me"),
        )
    ]


def register() -> None:
    register_panel(
        Panel(
            key="jobs.worker",
            title=_("Doorstep jobs"),
            perms=(VIEW, PORTAL),
            template="jobs/_panel.html",
            context=panel_context,
            order=70,
        )
    )
    register_figures(
        FigureGroup(
            domain="jobs",
            label=_("Doorstep jobs"),
            perms=(FIGURES, VIEW),
            provider=figures,
            order=70,
        )
    )
    register_tile(
        Tile(
            key="jobs.me",
            label=_("My jobs"),
            url_name="jobs:me",
            perms=(PORTAL,),
            icon="ti-needle-thread",
            order=70,
        )
    )
    register_waiting(WaitingSource(domain="jobs", perms=(PORTAL,), items=waiting))
