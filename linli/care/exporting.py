"""Exports of elderly care: services delivered by month, category and provider (what the
subdistrict asks for every month)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from linli.care import selectors
from linli.core import dates
from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor


@transaction.atomic
def export_delivered(*, actor: Actor, community_id: int, months: int = 12) -> Export:
    """The last `months` months: one row per month, category and provider (visits, units,
    value at catalogue price), then the totals by month and by category."""
    this = dates.this_month()
    month_list = [dates.add_months(this, -i) for i in range(months)]
    rows = selectors.services_delivered(actor, community_id, month_list)
    by_month: dict[str, list[float]] = {}
    by_category: dict[str, list[float]] = {}
    for r in rows:
        for key, table in ((r.month, by_month), (r.category, by_category)):
            acc = table.setdefault(key, [0, 0.0, 0.0])
            acc[0] += r.visits
            acc[1] += float(r.units)
            acc[2] += float(r.value)
    detail = [
        (r.month, r.category, r.provider, r.visits, float(r.units), float(r.value)) for r in rows
    ]
    headers = [_("Month"), _("Category"), _("Provider"), _("Visits"), _("Units"), _("Value (yuan)")]
    content, count = build_workbook(
        [
            Sheet(_("Delivered"), headers, detail),
            Sheet(
                _("By month"),
                [_("Month"), _("Visits"), _("Units"), _("Value (yuan)")],
                [(k, *v) for k, v in sorted(by_month.items())],
            ),
            Sheet(
                _("By category"),
                [_("Category"), _("Visits"), _("Units"), _("Value (yuan)")],
                [(k, *v) for k, v in sorted(by_category.items())],
            ),
        ]
    )
    filename = f"care-delivered-{this:%Y-%m}.xlsx"
    record_export(
        actor=actor, what="care.delivered", filename=filename, rows=count, community_id=community_id
    )
    return Export(content, filename, count)
