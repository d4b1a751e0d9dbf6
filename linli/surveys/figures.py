"""Surveys' headline figures (issue 14): the three wellbeing indices (获得感 / 幸福感 /
安全感, 0–100) of the latest quarterly survey up to the month, with their trend over eight
quarters, and the month's satisfaction from follow-up questionnaires per service line.
Live; two queries whatever the amount of data."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from linli.core.hooks import Figure, FigureGroup, FigureQuery, register_figures
from linli.surveys.choices import INDEX_DIMENSIONS, Dimension, service_line_label
from linli.surveys.permissions import FIGURES
from linli.surveys.selectors import followup_satisfaction, wellbeing_indices

INDEX_LABELS = {
    Dimension.GAIN: _("Sense of gain index (获得感)"),
    Dimension.HAPPINESS: _("Sense of happiness index (幸福感)"),
    Dimension.SECURITY: _("Sense of security index (安全感)"),
}


def quarter_label(period: object) -> str:
    return f"{period.year}Q{(period.month - 1) // 3 + 1}"  # type: ignore[attr-defined]


def survey_figures(q: FigureQuery) -> list[Figure]:
    points = wellbeing_indices(q.community_ids, until=q.month, grid_id=q.grid_id)
    url = reverse("surveys:wellbeing")
    figures = []
    for dim in INDEX_DIMENSIONS:
        series = [(quarter_label(p.period), p.value) for p in points if p.dimension == dim]
        figures.append(
            Figure(
                f"surveys.index.{dim}",
                INDEX_LABELS[dim],
                series[-1][1] if series else None,
                url=url,
                series=tuple(series),
            )
        )
    lines = followup_satisfaction(q.community_ids, q.month, grid_id=q.grid_id)
    rated = sum(s.rated for s in lines)
    satisfied = sum(s.satisfied for s in lines)
    figures.append(
        Figure(
            "surveys.followup_satisfaction",
            _("Satisfied after a service (follow-ups)"),
            (Decimal(100) * satisfied / rated).quantize(Decimal("0.1")) if rated else None,
            unit="%",
            series=tuple(
                (service_line_label(s.service_line), s.percent or Decimal(0)) for s in lines
            ),
        )
    )
    figures.append(Figure("surveys.followups_rated", _("Follow-ups answered this month"), rated))
    return figures


def register() -> None:
    register_figures(
        FigureGroup(
            domain="surveys",
            label=_("Residents' verdict"),
            perms=(FIGURES,),
            provider=survey_figures,
            order=5,
        )
    )
