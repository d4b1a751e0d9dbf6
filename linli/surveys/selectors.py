"""Reads of surveys: lists, what a resident may answer, results with cross-tabs, and the
wellbeing indices and follow-up satisfaction (also behind the cockpit's figures)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from linli.core import dates
from linli.core.permissions import Actor, access, communities_for, for_actor
from linli.registry.models import Grid, Resident
from linli.surveys.choices import (
    CHOICE_KINDS,
    INDEX_DIMENSIONS,
    RATING_KINDS,
    AgeBand,
    Dimension,
    QuestionKind,
    SurveyKind,
)
from linli.surveys.models import Answer, FollowUp, Question, ReceiptSet, Response, Survey
from linli.surveys.permissions import ANSWER, VIEW
from linli.surveys.rules import answerable_get as _answerable_get
from linli.surveys.rules import eligible_q, has_answered

MIN_CELL = 5  # cross-tab cells with fewer answers are not shown (they could name someone)
QUARTERS_SHOWN = 8
SATISFIED_SCORE = Decimal(75)  # 4 or 5 of 5


def survey_list(actor: Actor, *, kind: str = "") -> QuerySet[Survey]:
    qs = for_actor(actor, VIEW, Survey.objects.select_related("community", "receipts"))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-opens_on", "-id")


def survey_get(actor: Actor, public_id: Any) -> Survey:
    return access(
        actor,
        VIEW,
        Survey.objects.select_related("community", "grid", "building"),
        public_id=public_id,
    )


def questions(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("order", "id"))


@dataclass(frozen=True)
class OpenSurvey:
    survey: Survey
    answered: bool


def surveys_for_resident(actor: Actor) -> list[OpenSurvey]:
    """The published surveys open today that are aimed at the signed-in resident, with whether
    he (or his household) has answered (three queries)."""
    if not actor.resident_id:
        return []
    today = dates.local_today()
    candidates = list(
        Survey.objects.filter(
            community_id__in=list(communities_for(actor, ANSWER)),
            published=True,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .exclude(kind=SurveyKind.FOLLOWUP)
        .order_by("closes_on", "id")
    )
    if not candidates:
        return []
    me = Resident.objects.filter(pk=actor.resident_id).select_related("household").first()
    if me is None:
        return []
    receipts = dict(
        ReceiptSet.objects.filter(survey__in=candidates).values_list("survey_id", "hashes")
    )
    # Targeting: whether he is among each survey's targets, all in one query.
    hits = Resident.objects.filter(pk=me.pk).aggregate(
        **{f"s{s.pk}": Count("id", filter=eligible_q(s, today)) for s in candidates}
    )
    eligible_ids = {s.pk for s in candidates if hits[f"s{s.pk}"]}
    return [
        OpenSurvey(s, has_answered(s, me, receipts.get(s.pk, "")))
        for s in candidates
        if s.pk in eligible_ids
    ]


def answerable_get(actor: Actor, public_id: Any) -> Survey:
    return _answerable_get(actor, public_id)


def followups_for_resident(actor: Actor) -> QuerySet[FollowUp]:
    return for_actor(actor, ANSWER, FollowUp.objects.select_related("survey")).order_by(
        "answered", "-sent_on", "-id"
    )


def responses_of_resident(actor: Actor, resident_id: int) -> QuerySet[Response]:
    """A resident's non-anonymous answers (an anonymous answer has no resident to find)."""
    return for_actor(
        actor,
        VIEW if actor.resident_id != resident_id else ANSWER,
        Response.objects.filter(resident_id=resident_id, anonymous=False),
    ).select_related("survey")


# --- results ----------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)  # choice or rating → count
    mean: Decimal | None = None
    texts: list[str] = field(default_factory=list)
    by_grid: list[tuple[str, int, Decimal | None]] = field(default_factory=list)
    by_age: list[tuple[str, int, Decimal | None]] = field(default_factory=list)


@dataclass(frozen=True)
class Results:
    survey: Survey
    responses: int
    paper: int
    questions: list[QuestionResult]


def _cell(n: int, mean: Decimal | None) -> tuple[int, Decimal | None]:
    return (n, mean) if n >= MIN_CELL else (n, None)


def results(actor: Actor, survey: Survey, *, texts: int = 50) -> Results:
    """Counts per answer, means of ratings and cross-tabs by grid and age band (cells under
    `MIN_CELL` answers hide their mean). Four queries whatever the number of answers."""
    qs = questions(survey)
    totals = Response.objects.filter(survey=survey).aggregate(
        n=Count("id"), paper=Count("id", filter=Q(channel="paper"))
    )
    answers = Answer.objects.filter(response__survey=survey).values(
        "question_id",
        "number",
        "score",
        "values",
        "text",
        "response__grid_id",
        "response__age_band",
    )
    grids = dict(Grid.objects.filter(community_id=survey.community_id).values_list("id", "name"))
    by_q: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in answers:
        by_q[a["question_id"]].append(dict(a))
    out = []
    for q in qs:
        rows = by_q.get(q.pk, [])
        r = QuestionResult(q, answered=len(rows))
        if q.kind in CHOICE_KINDS:
            c: Counter[str] = Counter(v for row in rows for v in row["values"])
            r.counts = [(choice, c.get(choice, 0)) for choice in q.choices]
        elif q.kind in RATING_KINDS:
            low, high = (1, 5) if q.kind == QuestionKind.RATING5 else (0, 10)
            c2: Counter[int] = Counter(row["number"] for row in rows)
            r.counts = [(str(i), c2.get(i, 0)) for i in range(low, high + 1)]
            if rows:
                r.mean = (Decimal(sum(row["number"] for row in rows)) / len(rows)).quantize(
                    Decimal("0.01")
                )
            tabs: tuple[tuple[str, Callable[[Any], str], list[Any]], ...] = (
                ("response__grid_id", lambda k: grids.get(k, "—"), r.by_grid),
                ("response__age_band", lambda k: str(AgeBand(k).label), r.by_age),
            )
            for key, label_of, target in tabs:
                groups: dict[Any, list[int]] = defaultdict(list)
                for row in rows:
                    groups[row[key]].append(row["number"])
                for k in sorted(groups, key=lambda x: (x is None, str(x))):
                    nums = groups[k]
                    n, mean = _cell(
                        len(nums),
                        (Decimal(sum(nums)) / len(nums)).quantize(Decimal("0.01")),
                    )
                    target.append((str(label_of(k)), n, mean))
        else:
            r.texts = [row["text"] for row in rows if row["text"]][:texts]
        out.append(r)
    return Results(survey=survey, responses=totals["n"], paper=totals["paper"], questions=out)


# --- the wellbeing indices and follow-up satisfaction ----------------------------------------


@dataclass(frozen=True)
class IndexPoint:
    period: dt.date
    dimension: str
    value: Decimal
    responses: int


def index_value(avg_score: Any) -> Decimal:
    """An index is the mean of the 0–100 scores of its questions' answers, one decimal."""
    return Decimal(str(avg_score)).quantize(Decimal("0.1"))


def wellbeing_indices(
    community_ids: Iterable[int],
    *,
    until: dt.date,
    grid_id: int | None = None,
    quarters: int = QUARTERS_SHOWN,
) -> list[IndexPoint]:
    """The three indices (获得感, 幸福感, 安全感) of every wellbeing survey whose period falls
    in the `quarters` quarters up to `until`, by period and dimension (one query)."""
    since = dates.add_months(until.replace(day=1), -3 * quarters + 1)
    # Through the question (a small table) to the survey: no join of the responses unless a
    # grid is asked for.
    qs = Answer.objects.filter(
        question__survey__community_id__in=list(community_ids),
        question__survey__kind=SurveyKind.WELLBEING,
        question__survey__period__gte=since,
        question__survey__period__lte=until,
        question__dimension__in=INDEX_DIMENSIONS,
        score__isnull=False,
    )
    if grid_id:
        qs = qs.filter(response__grid_id=grid_id)
    rows = (
        qs.order_by()
        .values("question__survey__period", "question__dimension")
        .annotate(avg=Avg("score"), n=Count("response_id", distinct=True))
        .order_by("question__survey__period")
    )
    return [
        IndexPoint(
            period=row["question__survey__period"] or until,
            dimension=row["question__dimension"],
            value=index_value(row["avg"]),
            responses=row["n"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Satisfaction:
    service_line: str
    rated: int
    satisfied: int

    @property
    def percent(self) -> Decimal | None:
        if not self.rated:
            return None
        return (Decimal(100) * self.satisfied / self.rated).quantize(Decimal("0.1"))


def followup_satisfaction(
    community_ids: Iterable[int], month: dt.date, *, grid_id: int | None = None
) -> list[Satisfaction]:
    """Per service line: follow-up answers of the month rated 4–5 of 5, of those rated (one
    query)."""
    qs = Answer.objects.filter(
        response__survey__community_id__in=list(community_ids),
        response__survey__kind=SurveyKind.FOLLOWUP,
        response__day__gte=month,
        response__day__lt=dates.next_month(month),
        question__dimension=Dimension.SATISFACTION,
        score__isnull=False,
    )
    if grid_id:
        qs = qs.filter(response__grid_id=grid_id)
    rows = (
        qs.order_by()
        .values("response__survey__service_line")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(score__gte=SATISFIED_SCORE)))
        .order_by("response__survey__service_line")
    )
    return [Satisfaction(r["response__survey__service_line"], r["n"], r["ok"]) for r in rows]
