"""A survey's responses to Excel: one row per response, one column per question. Rows come in
the order of their random ids; an anonymous survey's export carries neither the day nor the
grid and age band (which could single out someone in a small cell), a named one the day."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction

from linli.core import dates
from linli.core.exporting import Export, Sheet, build_workbook, record_export
from linli.core.permissions import Actor, access
from linli.registry.models import Grid
from linli.surveys.choices import AgeBand, Channel
from linli.surveys.models import Answer, Response, Survey
from linli.surveys.permissions import EXPORT


def export_responses(*, actor: Actor, survey_public_id: Any) -> Export:
    survey = access(actor, EXPORT, Survey.objects.all(), public_id=survey_public_id)
    questions = list(survey.questions.order_by("order", "id"))
    responses = list(Response.objects.filter(survey=survey).order_by("id"))
    answers: dict[Any, dict[int, Answer]] = defaultdict(dict)
    for a in Answer.objects.filter(response__survey=survey):
        answers[a.response_id][a.question_id] = a
    grids = dict(Grid.objects.filter(community_id=survey.community_id).values_list("id", "name"))
    named = not survey.anonymous
    headers = [
        "#",
        "渠道",
        *(["日期", "网格", "年龄段"] if named else []),
        *(q.text for q in questions),
    ]

    def cell(a: Answer | None) -> Any:
        if a is None:
            return ""
        if a.number is not None:
            return a.number
        return "、".join(a.values) if a.values else a.text

    rows = []
    for i, r in enumerate(responses, start=1):
        row: list[Any] = [i, str(Channel(r.channel).label)]
        if named:
            row += [
                r.day.isoformat() if r.day else "",
                grids.get(r.grid_id or 0, ""),
                str(AgeBand(r.age_band).label),
            ]
        row += [cell(answers[r.id].get(q.pk)) for q in questions]
        rows.append(row)
    content, count = build_workbook([Sheet(title="答卷", headers=headers, rows=rows)])
    filename = f"survey-{str(survey.public_id)[:8]}-{dates.local_today():%Y%m%d}.xlsx"
    with transaction.atomic():
        record_export(
            actor=actor,
            what="surveys.responses",
            filename=filename,
            rows=count,
            community_id=survey.community_id,
            survey=str(survey.public_id),
        )
    return Export(content=content, filename=filename, rows=count)
