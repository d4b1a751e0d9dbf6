"""Volunteering's box on a resident's page (issue 14, B1): his volunteer record (hours), his
points balance and his latest redemptions. Registered from `VolunteersConfig.ready()`.

Staff who may read volunteer records (`volunteers.view_volunteers`) see it for anyone in their
community; a resident (`volunteers.portal`, a household grant) sees it only on his own record,
as the portal does (a household grant would otherwise reach his family's ledger)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from linli.core.hooks import Panel, register_panel
from linli.core.permissions import Actor, for_actor, has_perm
from linli.volunteers.models import PointsAccount, Redemption, Volunteer
from linli.volunteers.permissions import PORTAL, VIEW_VOLUNTEERS

SHOWN = 5


def _perm(actor: Actor, resident_id: int) -> str | None:
    if has_perm(actor, VIEW_VOLUNTEERS):
        return VIEW_VOLUNTEERS
    if has_perm(actor, PORTAL) and actor.resident_id == resident_id:
        return PORTAL
    return None


def volunteering_context(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    """Volunteer record, points account and latest redemptions (three queries)."""
    perm = _perm(actor, resident_id)
    if perm is None:
        return None
    volunteer = (
        for_actor(actor, perm, Volunteer.objects.filter(resident_id=resident_id))
        .order_by("-id")
        .first()
    )
    account = (
        for_actor(actor, perm, PointsAccount.objects.filter(resident_id=resident_id))
        .order_by("-id")
        .first()
    )
    if volunteer is None and account is None:
        return None
    redemptions = list(
        for_actor(actor, perm, Redemption.objects.filter(account__resident_id=resident_id))
        .select_related("item")
        .order_by("-created_at")[:SHOWN]
    )
    return {
        "volunteer": volunteer,
        "account": account,
        "redemptions": redemptions,
        "staff": perm == VIEW_VOLUNTEERS,
    }


def volunteering_export(actor: Actor, resident_id: int) -> list[dict[str, Any]]:
    ctx = volunteering_context(actor, resident_id)
    if ctx is None:
        return []
    rows: list[dict[str, Any]] = []
    if ctx["volunteer"] is not None:
        v: Volunteer = ctx["volunteer"]
        rows.append(
            {
                "what": "volunteer",
                "number": v.number,
                "joined_on": v.joined_on.isoformat(),
                "hours": str(v.hours_total),
            }
        )
    if ctx["account"] is not None:
        rows.append({"what": "points", "balance": ctx["account"].balance})
    for r in ctx["redemptions"]:
        rows.append(
            {
                "what": "redemption",
                "item": r.item.name,
                "points": r.points,
                "status": str(r.get_status_display()),
                "on": r.created_at.date().isoformat(),
            }
        )
    return rows


def register() -> None:
    register_panel(
        Panel(
            key="volunteers.record",
            title=_("Volunteering and points"),
            perms=(VIEW_VOLUNTEERS, PORTAL),
            template="volunteers/panels/record.html",
            context=volunteering_context,
            order=40,
            export=volunteering_export,
        )
    )
