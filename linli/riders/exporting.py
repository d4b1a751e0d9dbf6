"""Excel (.xlsx) exports of the workers' station: its workers (phones masked) and the month's
canteen meals, built, audited and answered the one way (`linli.core.exporting`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.errors import NotFound
from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor, communities_for
from linli.riders import selectors
from linli.riders.permissions import EXPORT


def _export(actor: Actor, community_id: int, what: str, sheet: Sheet) -> Export:
    filename = f"{what}.xlsx"
    content, rows = build_workbook([sheet])
    record_export(
        actor=actor,
        what=f"riders.{what}",
        filename=filename,
        rows=rows,
        community_id=community_id,
    )
    return Export(content, filename, rows)


def _check(actor: Actor, community_id: int) -> None:
    if community_id not in communities_for(actor, EXPORT):
        raise NotFound(_("Not found."))


@transaction.atomic
def export_workers(*, actor: Actor, community_id: int) -> Export:
    """The community's registered workers; phones leave masked."""
    _check(actor, community_id)
    rows = (
        (
            w.name,
            w.get_kind_display(),
            w.platform,
            w.work_station,
            w.shown_phone,
            _("Yes") if w.resident_id else _("No"),
            w.registered_on,
        )
        for w in selectors.worker_list(actor).filter(community_id=community_id)
    )
    headers = [
        _("Name"),
        _("Works as"),
        _("Platform"),
        _("Work station"),
        _("Phone"),
        _("Resident"),
        _("Registered on"),
    ]
    return _export(actor, community_id, "workers", Sheet(_("Workers"), headers, rows))


@transaction.atomic
def export_meals(*, actor: Actor, community_id: int) -> Export:
    """This month's canteen meals, day by day."""
    _check(actor, community_id)
    today = dates.local_today()
    rows = (
        (m.day, m.get_meal_display(), m.worker.name, m.get_payment_display(), float(m.price))
        for m in selectors.meals_between(actor, community_id, today.replace(day=1), today)
    )
    headers = [_("Date"), _("Meal"), _("Name"), _("Payment"), _("Price (yuan)")]
    return _export(actor, community_id, "meals", Sheet(_("Canteen meals"), headers, rows))
