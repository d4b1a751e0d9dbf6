"""Community 110's headline figures (issue 14): the month's requests and the three rates
(response in time, resolution and satisfaction, by the resident's own verdict), their trend
over twelve months and the rates by grid. Counted exactly as the rates page counts them
(`selectors.counted_q`, `_rate_aggregates`). Live; three queries whatever the amount of data."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core import dates
from linli.core.hooks import Figure, FigureGroup, FigureQuery, register_figures
from linli.hotline.models import ServiceRequest
from linli.hotline.permissions import FIGURES
from linli.hotline.selectors import Rates, _rate_aggregates, _rates_from, counted_q

MONTHS = 12
RATES = (
    ("response_rate", _("Responded in time")),
    ("resolution_rate", _("Resolved, says the resident")),
    ("satisfaction_rate", _("Satisfied")),
)


def _pct(value: float | None) -> Decimal | None:
    return None if value is None else (Decimal(str(value)) * 100).quantize(Decimal("0.1"))


def hotline_figures(q: FigureQuery) -> list[Figure]:
    now = timezone.now()
    first = dates.add_months(q.month, 1 - MONTHS)
    end = dates.next_month(q.month)
    base = ServiceRequest.objects.filter(counted_q(), community_id__in=q.community_ids)
    if q.grid_id:
        base = base.filter(grid_id=q.grid_id)
    period = base.filter(
        Q(period_month__gte=first, period_month__lt=end),
    )
    by_month: dict[object, Rates] = {
        row["period_month"]: _rates_from(dict(row), row["period_month"])
        for row in period.order_by()
        .values("period_month")
        .annotate(**_rate_aggregates(now))
        .order_by("period_month")
    }
    month_rates = by_month.get(q.month) or Rates()
    by_grid = [
        (row["grid__number"], row["grid__name"], _rates_from(dict(row)))
        for row in base.filter(period_month=q.month)
        .order_by()
        .values("grid__number", "grid__name")
        .annotate(**_rate_aggregates(now))
        .order_by("grid__number")
    ]
    months = []
    cursor = first
    while cursor <= q.month:
        months.append((cursor, by_month.get(cursor) or Rates()))
        cursor = dates.next_month(cursor)
    url = reverse("hotline:rates") + f"?month={q.month:%Y-%m}"
    figures = [
        Figure(
            "hotline.requests",
            _("Requests this month"),
            month_rates.requests,
            url=url,
            series=tuple((f"{m:%Y-%m}", r.requests) for m, r in months),
        ),
    ]
    for attr, label in RATES:
        figures.append(
            Figure(
                f"hotline.{attr}",
                label,
                _pct(getattr(month_rates, attr)),
                unit="%",
                url=url,
                series=tuple(
                    (f"{m:%Y-%m}", v)
                    for m, r in months
                    if (v := _pct(getattr(r, attr))) is not None
                ),
            )
        )
    for attr, label in RATES:
        figures.append(
            Figure(
                f"hotline.{attr}.by_grid",
                label,
                None,
                unit="%",
                url=url,
                series=tuple(
                    (str(name or "—"), v)
                    for _n, name, r in by_grid
                    if (v := _pct(getattr(r, attr))) is not None
                ),
            )
        )
    figures.append(
        Figure(
            "hotline.overdue",
            _("Requests that went overdue"),
            month_rates.overdue,
            url=url,
        )
    )
    return figures


def register() -> None:
    register_figures(
        FigureGroup(
            domain="hotline",
            label=_("Community 110"),
            perms=(FIGURES,),
            provider=hotline_figures,
            order=30,
        )
    )
