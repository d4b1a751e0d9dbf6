"""Survey pages: the staff list, designer, results (charts, cross-tabs), paper entry and
export; the resident's open surveys, the questionnaire and follow-ups; the wellbeing indices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linli.core import dates
from linli.core.exporting import xlsx_response
from linli.core.forms import submit
from linli.core.permissions import communities_for, has_perm
from linli.core.web import actor_of, query_int, require_perm
from linli.registry import selectors as registry_selectors
from linli.surveys import exporting, selectors, services
from linli.surveys.choices import INDEX_DIMENSIONS, Dimension, SurveyKind
from linli.surveys.forms import AnswerForm, PaperForm, SurveyForm
from linli.surveys.permissions import ANSWER, ENTER_PAPER, EXPORT, MANAGE, VIEW


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not has_perm(actor, VIEW):
        if has_perm(actor, ANSWER):
            return redirect("surveys:mine")
        raise Http404
    kind = request.GET.get("kind", "")
    surveys = selectors.survey_list(actor, kind=kind if kind in SurveyKind.values else "")[:200]
    return render(
        request,
        "surveys/index.html",
        {
            "surveys": surveys,
            "can_manage": has_perm(actor, MANAGE),
            "kind": kind,
            "kinds": SurveyKind.choices,
        },
    )


def _grid_choices(actor: Any, community_id: int) -> list[tuple[int, str]]:
    return [(g.pk, g.name) for g in registry_selectors.grid_list(actor, community_id)]


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    community_id = next(iter(communities_for(actor, MANAGE)))
    today = dates.local_today()
    form = SurveyForm(
        request.POST or None,
        grids=_grid_choices(actor, community_id),
        initial={"opens_on": today, "closes_on": today + dt.timedelta(days=30)},
    )

    def create(d: dict[str, Any]) -> Any:
        return services.survey_create(
            actor=actor,
            community_id=community_id,
            data=services.SurveyInput(
                title=d["title"],
                description=d["description"],
                kind=d["kind"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                unit=d["unit"],
                anonymous=d["anonymous"],
                grid_id=d["grid"],
                tag=d["tag"],
                questions=services.parse_questions(d["questions"]),
                period=d["opens_on"].replace(month=(d["opens_on"].month - 1) // 3 * 3 + 1, day=1)
                if d["kind"] == SurveyKind.WELLBEING
                else None,
            ),
        )

    survey = submit(request, form, create)
    if survey is not None:
        messages.success(request, _("Survey published."))
        return redirect("surveys:survey", public_id=survey.public_id)
    return render(request, "surveys/survey_form.html", {"form": form})


def _chart_data(results: selectors.Results) -> list[dict[str, Any]]:
    return [
        {
            "id": f"chart-{r.question.key}",
            "labels": [label for label, _n in r.counts],
            "values": [n for _l, n in r.counts],
        }
        for r in results.questions
        if r.counts
    ]


@login_required
def survey_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    survey = selectors.survey_get(actor, public_id)
    results = selectors.results(actor, survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "results": results,
            "charts": _chart_data(results),
            "questions_text": services.questions_text(r.question for r in results.questions),
            "min_cell": selectors.MIN_CELL,
            "can_export": has_perm(actor, EXPORT),
            "can_paper": has_perm(actor, ENTER_PAPER) and survey.kind != SurveyKind.FOLLOWUP,
        },
    )


@login_required
def survey_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    return xlsx_response(exporting.export_responses(actor=actor, survey_public_id=public_id))


def _resident_public_id(actor: Any, community_id: int, text: str) -> UUID:
    found = registry_selectors.resident_pick(actor, text, community_id, limit=2)
    if len(found) != 1:
        raise forms.ValidationError(
            _("No single resident matches; give the full name or the room (e.g. 3-1-201).")
        )
    return found[0].public_id


@login_required
@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, ENTER_PAPER)
    survey = selectors.survey_get(actor, public_id)
    if survey.kind == SurveyKind.FOLLOWUP:
        raise Http404
    form = PaperForm(
        request.POST or None,
        questions=selectors.questions(survey),
        anonymous=survey.anonymous,
        grids=_grid_choices(actor, survey.community_id),
    )

    def enter(d: dict[str, Any]) -> Any:
        resident = None
        if not survey.anonymous:
            try:
                resident = _resident_public_id(actor, survey.community_id, d["resident"])
            except forms.ValidationError as exc:
                form.add_error("resident", exc)
                return None
        return services.paper_enter(
            actor=actor,
            survey_public_id=survey.public_id,
            answers=form.answers(),
            resident_public_id=resident,
            grid_id=d.get("grid"),
            band=d.get("age_band", "") or "",
        )

    if submit(request, form, enter) is not None:
        messages.success(request, _("Paper questionnaire entered."))
        return redirect("surveys:paper", public_id=survey.public_id)
    return render(request, "surveys/paper.html", {"survey": survey, "form": form})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, ANSWER)
    return render(
        request,
        "surveys/mine.html",
        {
            "open": selectors.surveys_for_resident(actor),
            "followups": selectors.followups_for_resident(actor)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, ANSWER)
    survey = selectors.answerable_get(actor, public_id)
    form = AnswerForm(request.POST or None, questions=selectors.questions(survey))
    done = submit(
        request,
        form,
        lambda _d: services.response_submit(
            actor=actor, survey_public_id=survey.public_id, answers=form.answers()
        ),
    )
    if done is not None:
        messages.success(request, _("Thank you: your answer is counted."))
        if survey.kind == SurveyKind.WELLBEING:
            return redirect("surveys:wellbeing")
        return redirect("surveys:mine")
    return render(request, "surveys/answer.html", {"survey": survey, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest, followup_id: int) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, ANSWER)
    item = services.followup_for(actor, followup_id)
    form = AnswerForm(request.POST or None, questions=selectors.questions(item.survey))
    done = submit(
        request,
        form,
        lambda _d: services.followup_answer(
            actor=actor, followup_id=item.pk, answers=form.answers()
        ),
    )
    if done is not None:
        messages.success(request, _("Thank you: your answer is counted."))
        return redirect("surveys:mine")
    return render(
        request, "surveys/answer.html", {"survey": item.survey, "form": form, "followup": item}
    )


@login_required
def wellbeing(request: HttpRequest) -> HttpResponse:
    """The three indices by quarter, for the community or one grid. Residents see their own
    community's (the figures residents' answers made)."""
    actor = actor_of(request)
    if has_perm(actor, VIEW):
        communities = list(communities_for(actor, VIEW))
    else:
        require_perm(actor, ANSWER)
        communities = list(communities_for(actor, ANSWER))
    community_id = query_int(request.GET.get("community"), minimum=1)
    if community_id not in communities:
        community_id = communities[0] if communities else None
    if community_id is None:
        raise Http404
    grids = _grid_choices(actor, community_id) if has_perm(actor, VIEW) else []
    grid_id = query_int(request.GET.get("grid"), minimum=1)
    if grid_id and grid_id not in {g for g, _n in grids}:
        grid_id = None
    points = selectors.wellbeing_indices([community_id], until=dates.this_month(), grid_id=grid_id)
    periods = sorted({p.period for p in points})
    table = [
        (
            f"{p.year}Q{(p.month - 1) // 3 + 1}",
            [
                next((x.value for x in points if x.period == p and x.dimension == d), None)
                for d in INDEX_DIMENSIONS
            ],
            max((x.responses for x in points if x.period == p), default=0),
        )
        for p in periods
    ]
    latest = table[-1][1] if table else [None, None, None]
    chart = {
        "labels": [row[0] for row in table],
        "series": [
            {
                "name": str(Dimension(d).label),
                "data": [
                    float(v) if isinstance(v, Decimal) else None for v in (r[1][i] for r in table)
                ],
            }
            for i, d in enumerate(INDEX_DIMENSIONS)
        ],
    }
    return render(
        request,
        "surveys/wellbeing.html",
        {
            "table": table,
            "latest": list(
                zip([Dimension(d).label for d in INDEX_DIMENSIONS], latest, strict=True)
            ),
            "chart": chart,
            "grids": grids,
            "grid_id": grid_id,
            "community_id": community_id,
        },
    )
