"""Cockpit API (`/api/cockpit/`): the figures of a community or grid for a month, the
communities side by side, and the monthly reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from linli.cockpit import selectors, services
from linli.cockpit.models import MonthlyReport
from linli.cockpit.permissions import VIEW
from linli.core import dates
from linli.core.api import QueryParam
from linli.core.errors import CoreError, DomainError
from linli.core.web import actor_of, require_perm

router = Router(tags=["cockpit"])


class FigureOut(Schema):
    key: str
    label: str
    value: Any
    unit: str
    url: str
    freshness: str
    series: list[tuple[str, Any]]


class GroupOut(Schema):
    domain: str
    label: str
    figures: list[FigureOut]


class CockpitOut(Schema):
    community_id: int
    community: str
    month: str
    grid_id: int | None
    groups: list[GroupOut]


class CockpitReportOut(Schema):
    id: int
    community_id: int
    month: dt.date
    generated_at: dt.datetime
    size: int
    figures: dict[str, Any]
    url: str

    @staticmethod
    def resolve_url(obj: MonthlyReport) -> str:
        return reverse("cockpit:report_pdf", args=[obj.pk])


class CockpitReportIn(Schema):
    community_id: int
    month: str


def _month(value: str) -> dt.date | None:
    if not value:
        return None
    month = dates.parse_month(value)
    if month is None:
        raise DomainError("month: YYYY-MM", code=CoreError.INVALID_DATE, field="month")
    return month


def _groups(groups: list[selectors.GroupFigures]) -> list[dict[str, Any]]:
    return [
        {
            "domain": g.domain,
            "label": g.label,
            "figures": [
                {
                    "key": f.key,
                    "label": str(f.label),
                    "value": f.value,
                    "unit": str(f.unit),
                    "url": f.url,
                    "freshness": f.freshness,
                    "series": list(f.series),
                }
                for f in g.figures
            ],
        }
        for g in groups
    ]


@router.get("/figures", response=CockpitOut)
def figures(
    request: HttpRequest,
    community: int | None = QueryParam(None, ge=1, le=2**31 - 1),
    month: str = "",
    grid: int | None = QueryParam(None, ge=1, le=2**31 - 1),
) -> dict[str, Any]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    c = selectors.cockpit(actor, community_id=community, month=_month(month), grid_id=grid)
    return {
        "community_id": c.community.pk,
        "community": c.community.name,
        "month": f"{c.month:%Y-%m}",
        "grid_id": c.grid.pk if c.grid else None,
        "groups": _groups(c.groups),
    }


@router.get("/compare")
def compare(request: HttpRequest, month: str = "") -> dict[str, Any]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    cmp = selectors.comparison(actor, month=_month(month))
    return {
        "month": f"{cmp.month:%Y-%m}",
        "communities": [{"id": c.pk, "name": c.name} for c in cmp.communities],
        "groups": [
            {
                "label": label,
                "rows": [{"key": r.key, "label": r.label, "values": r.values} for r in rows],
            }
            for label, rows in cmp.groups
        ],
    }


@router.get("/reports", response=list[CockpitReportOut])
def reports(
    request: HttpRequest, community: int | None = QueryParam(None, ge=1, le=2**31 - 1)
) -> list[MonthlyReport]:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return list(selectors.report_list(actor, community)[:200])


@router.post("/reports", response={201: CockpitReportOut})
def report_generate(request: HttpRequest, data: CockpitReportIn) -> Status[MonthlyReport]:
    month = _month(data.month)
    if month is None:
        raise DomainError("month: YYYY-MM", code=CoreError.REQUIRED, field="month")
    return Status(
        201,
        services.report_generate(
            actor=actor_of(request), community_id=data.community_id, month=month
        ),
    )
