"""Cockpit pages: the figures of one community (or one grid), the big screen, communities side
by side, and the monthly reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from linli.cockpit import selectors, services
from linli.cockpit.permissions import GENERATE_REPORT, VIEW
from linli.core.forms import submit
from linli.core.hooks import Figure
from linli.core.permissions import has_perm
from linli.core.web import actor_of, query_int, query_month, require_perm


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, str):
        return None
    return float(value) if isinstance(value, Decimal) else value


def charts_of(cockpit: selectors.Cockpit) -> list[dict[str, Any]]:
    """The chart of each figure that carries a series (a trend or a breakdown)."""
    charts = []
    for g in cockpit.groups:
        for f in g.figures:
            if not f.series:
                continue
            labels = [label for label, _v in f.series]
            trend = all(len(x) == 7 and x[4] == "-" for x in labels)
            charts.append(
                {
                    "id": "chart-" + f.key.replace(".", "-"),
                    "title": str(f.label),
                    "unit": str(f.unit),
                    "kind": "line" if trend else "bar",
                    "labels": labels,
                    "values": [_number(v) for _l, v in f.series],
                }
            )
    return charts


def _tiles(cockpit: selectors.Cockpit) -> list[tuple[str, list[Figure]]]:
    return [(g.label, [f for f in g.figures if f.value is not None]) for g in cockpit.groups]


def _cockpit(request: HttpRequest) -> selectors.Cockpit:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    return selectors.cockpit(
        actor,
        community_id=query_int(request.GET.get("community"), minimum=1),
        month=query_month(request.GET.get("month")),
        grid_id=query_int(request.GET.get("grid"), minimum=1),
        cached=True,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    cockpit = _cockpit(request)
    return render(
        request,
        "cockpit/index.html",
        {
            "c": cockpit,
            "tiles": _tiles(cockpit),
            "charts": charts_of(cockpit),
            "month_value": f"{cockpit.month:%Y-%m}",
        },
    )


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    """The service centre's wall (1920×1080, dark), refreshing itself every minute."""
    cockpit = _cockpit(request)
    return render(
        request,
        "cockpit/screen.html",
        {
            "c": cockpit,
            "tiles": _tiles(cockpit),
            "charts": charts_of(cockpit)[:6],
            "refresh_seconds": 60,
        },
    )


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    comparison = selectors.comparison(
        actor, month=query_month(request.GET.get("month")), cached=True
    )
    return render(
        request,
        "cockpit/compare.html",
        {"cmp": comparison, "month_value": f"{comparison.month:%Y-%m}"},
    )


class GenerateForm(forms.Form):
    community = forms.IntegerField(min_value=1)
    month = forms.CharField(max_length=7, label=_("Month"))

    def clean_month(self) -> dt.date:
        value = query_month(self.cleaned_data["month"])
        if value is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return value


@login_required
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    can_generate = has_perm(actor, GENERATE_REPORT)
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and can_generate:
        done = submit(
            request,
            form,
            lambda d: services.report_generate(
                actor=actor, community_id=d["community"], month=d["month"]
            ),
        )
        if done:
            return redirect("cockpit:reports")
    communities = list(selectors.cockpit_communities(actor))
    return render(
        request,
        "cockpit/reports.html",
        {
            "reports": selectors.report_list(actor)[:200],
            "communities": communities,
            "can_generate": can_generate,
            "form": form,
        },
    )


@login_required
def report_pdf(request: HttpRequest, report_id: int) -> FileResponse:
    actor = actor_of(request)
    report = selectors.report_get(actor, report_id)
    if not report.file:
        report = services.report_render(report)
    response = FileResponse(report.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="report-{report.community.code}-{report.month:%Y-%m}.pdf"'
    )
    return response
