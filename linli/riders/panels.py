"""The riders' station's box on a resident's page (issue 14, B1): his record as a
new-employment worker (platform, station visits and meals counted) and his safety reports.
Registered from `RidersConfig.ready()`. Staff with `riders.view` see it for anyone in their
community; a resident (`riders.portal`) only on his own record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.hooks import Panel, register_panel
from linli.core.permissions import Actor, for_actor, has_perm
from linli.riders.models import SafetyReport, Worker
from linli.riders.permissions import PORTAL, VIEW

SHOWN = 5


def _perm(actor: Actor, resident_id: int) -> str | None:
    if has_perm(actor, VIEW):
        return VIEW
    if has_perm(actor, PORTAL) and actor.resident_id == resident_id:
        return PORTAL
    return None


def rider_context(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    """The worker record and his latest safety reports (two queries)."""
    perm = _perm(actor, resident_id)
    if perm is None:
        return None
    worker = (
        for_actor(actor, perm, Worker.objects.filter(resident_id=resident_id))
        .order_by("-id")
        .first()
    )
    if worker is None:
        return None
    reports = list(
        for_actor(actor, perm, SafetyReport.objects.filter(worker=worker)).order_by("-created_at")[
            :SHOWN
        ]
    )
    return {"worker": worker, "reports": reports, "staff": perm == VIEW}


def rider_export(actor: Actor, resident_id: int) -> list[dict[str, Any]]:
    ctx = rider_context(actor, resident_id)
    if ctx is None:
        return []
    w: Worker = ctx["worker"]
    rows: list[dict[str, Any]] = [
        {
            "what": "worker",
            "works_as": str(w.get_kind_display()),
            "platform": w.platform,
            "registered_on": w.registered_on.isoformat(),
        }
    ]
    rows += [
        {
            "what": "safety_report",
            "category": str(r.get_category_display()),
            "place": r.place,
            "status": str(r.get_status_display()),
            "points": r.points,
        }
        for r in ctx["reports"]
    ]
    return rows


def register() -> None:
    register_panel(
        Panel(
            key="riders.worker",
            title=_("New-employment worker"),
            perms=(VIEW, PORTAL),
            template="riders/panels/worker.html",
            context=rider_context,
            order=50,
            export=rider_export,
        )
    )
