"""What the day-care adds to shared pages (core.hooks): the resident's profile panel (details
for the day-care staff, the admin and the child's guardians; for the grid worker only "a child
of this household is enrolled"), the cockpit figures, the guardian's hub tile and waiting item."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
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
from linli.nursery import selectors
from linli.nursery.choices import ChildStatus
from linli.nursery.models import Child
from linli.nursery.permissions import ENROLLED_FLAG, GUARDIAN, VIEW, VIEW_CHILDREN
from linli.registry.models import Resident


def panel_context(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    household_id = (
        Resident.objects.filter(pk=resident_id).values_list("household_id", flat=True).first()
    )
    if household_id is None:
        return None
    for perm in (VIEW_CHILDREN, GUARDIAN):
        if has_perm(actor, perm):
            details = list(
                for_actor(actor, perm, Child.objects.exclude(status=ChildStatus.LEFT))
                .filter(household_id=household_id)
                .select_related("resident", "nursery_class")
            )
            if details:
                return {"details": details}
    if selectors.household_has_child(actor, household_id):
        return {"details": [], "enrolled": True}
    return None


def figures(query: FigureQuery) -> list[Figure]:
    start = query.month
    end = dates.next_month(start)
    present, total = selectors.attendance_rate(query.community_ids, start, end)
    rate = (
        (Decimal(present) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if total
        else None
    )
    return [
        Figure(
            key="nursery.enrolled",
            label=_("Children at the day-care"),
            value=selectors.enrolled_count(query.community_ids),
            url=reverse("nursery:home"),
        ),
        Figure(key="nursery.attendance_rate", label=_("Day-care attendance"), value=rate, unit="%"),
    ]


def waiting(actor: Actor) -> list[WaitingItem]:
    kids = selectors.children_for_resident(actor)
    enrolled = [k for k in kids if k.status == ChildStatus.ENROLLED]
    if not enrolled:
        return []
    today = dates.local_today()
    rows = selectors.today_for_children(enrolled, today)
    url = reverse("nursery:mine")
    items = []
    for k in enrolled:
        row = rows.get(k.id)
        if row is None:
            title = _("%(name)s: not checked in yet today") % {"name": k.resident.name}
        elif row.picked_up_at:
            title = _("%(name)s: collected today") % {"name": k.resident.name}
        elif row.presence == "present":
            title = _("%(name)s: at the day-care today") % {"name": k.resident.name}
        else:
            title = _("%(name)s: absent today") % {"name": k.resident.name}
        items.append(WaitingItem(kind="nursery.today", title=title, url=url, when=today))
    return items


def register() -> None:
    register_panel(
        Panel(
            key="nursery.child",
            title=_("Day-care"),
            perms=(ENROLLED_FLAG, VIEW_CHILDREN, GUARDIAN),
            template="nursery/_panel.html",
            context=panel_context,
            order=60,
        )
    )
    register_figures(
        FigureGroup(
            domain="nursery", label=_("Infant day-care"), perms=(VIEW,), provider=figures, order=60
        )
    )
    register_tile(
        Tile(
            key="nursery.mine",
            label=_("Day-care"),
            url_name="nursery:mine",
            perms=(GUARDIAN,),
            icon="ti-baby-carriage",
            order=60,
        )
    )
    register_waiting(WaitingSource(domain="nursery", perms=(GUARDIAN,), items=waiting))
