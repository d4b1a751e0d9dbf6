"""Writes of surveys: design, answers online and on paper, follow-ups after a service.

Every write is one transaction. A second answer is refused by the survey's receipt set (one
row per survey, locked for the write: the database settles two answers at once). An anonymous
answer is written without any link to the person (docs/surveys.md)."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from linli.accounts.selectors import household_user_ids
from linli.core import dates
from linli.core.audit import audit_record
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.followups import Followup
from linli.core.notify import Message, publish
from linli.core.permissions import Actor, access
from linli.core.states import update_if
from linli.registry.choices import ResidentStatus
from linli.registry.models import Community, Resident
from linli.surveys.choices import (
    CHOICE_KINDS,
    AgeBand,
    Channel,
    Dimension,
    QuestionKind,
    SurveyKind,
    Unit,
    age_band,
    service_line_label,
)
from linli.surveys.errors import SurveysError
from linli.surveys.models import Answer, FollowUp, Question, ReceiptSet, Response, Survey
from linli.surveys.permissions import ANSWER, ENTER_PAPER, MANAGE
from linli.surveys.rules import answerable_get, eligible_q, receipt_hash

MAX_TEXT = 2000
PAPER_GRACE_DAYS = 7  # paper questionnaires collected on the last day may be entered later
# What looks like a mainland mobile number or a citizen ID number in a free-text answer.
IDENTITY_RE = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


# --- questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    text: str
    choices: tuple[str, ...] = ()
    required: bool = True
    dimension: str = ""
    show_if_key: str = ""
    show_if_values: tuple[str, ...] = ()


LINE_RE = re.compile(r"^\[(?P<kind>[a-z0-9]+)(?P<req>\*?)(?::(?P<dim>[a-z]+))?\]\s*(?P<rest>.+)$")


def parse_questions(text: str) -> list[QuestionSpec]:
    """Read the designer's compact question list, one question per line:

    `[rating10*:gain] 您对社区服务的获得感如何？` · `[single*] 您是否独居？ | 是 | 否` ·
    `[multiple] 您需要哪些服务？ | 助餐 | 助浴 | 助医 ?if q2=是` · `[text] 其他建议`

    `*` makes a question required; `:gain`, `:happiness`, `:security`, `:satisfaction` say what
    a rating measures; `?if qN=a,b` shows it only when question N (1-based) had answer a or b."""
    specs: list[QuestionSpec] = []
    for n, raw in enumerate(line.strip() for line in text.splitlines()):
        if not raw:
            continue
        m = LINE_RE.match(raw)
        if not m or m["kind"] not in QuestionKind.values:
            raise DomainError(
                _("Line %(n)d: start with [single], [multiple], [rating5], [rating10] or [text].")
                % {"n": n + 1},
                code=SurveysError.BAD_QUESTIONS,
                field="questions",
            )
        rest, show_key = m["rest"], ""
        show_values: tuple[str, ...] = ()
        cond = re.search(r"\s\?if\s+q(\d+)=(.+)$", rest)
        if cond:
            rest = rest[: cond.start()]
            index = int(cond[1]) - 1
            if not 0 <= index < len(specs) or specs[index].kind not in CHOICE_KINDS:
                raise DomainError(
                    _("Line %(n)d: ?if must name an earlier choice question.") % {"n": n + 1},
                    code=SurveysError.BAD_QUESTIONS,
                    field="questions",
                )
            show_key = specs[index].key
            show_values = tuple(v.strip() for v in cond[2].split(",") if v.strip())
        parts = [p.strip() for p in rest.split("|")]
        kind = m["kind"]
        choices = tuple(p for p in parts[1:] if p)
        if kind in CHOICE_KINDS and len(choices) < 2:
            raise DomainError(
                _("Line %(n)d: a choice question needs at least two choices after |.")
                % {"n": n + 1},
                code=SurveysError.BAD_QUESTIONS,
                field="questions",
            )
        dim = m["dim"] or ""
        if dim and (
            dim not in Dimension.values or kind not in (QuestionKind.RATING5, QuestionKind.RATING10)
        ):
            raise DomainError(
                _(
                    "Line %(n)d: only a rating can measure gain, happiness, security or "
                    "satisfaction."
                )
                % {"n": n + 1},
                code=SurveysError.BAD_QUESTIONS,
                field="questions",
            )
        if not parts[0] or len(parts[0]) > 300:
            raise DomainError(
                _("Line %(n)d: the question's text is empty or too long.") % {"n": n + 1},
                code=SurveysError.BAD_QUESTIONS,
                field="questions",
            )
        specs.append(
            QuestionSpec(
                key=f"q{len(specs) + 1}",
                kind=kind,
                text=parts[0],
                choices=choices if kind in CHOICE_KINDS else (),
                required=bool(m["req"]),
                dimension=dim,
                show_if_key=show_key,
                show_if_values=show_values,
            )
        )
    if not specs:
        raise DomainError(
            _("Add at least one question."), code=CoreError.REQUIRED, field="questions"
        )
    return specs


def questions_text(questions: Iterable[Question]) -> str:
    """The compact form of existing questions (to show them again in the designer)."""
    keys: dict[str, int] = {}
    lines = []
    for i, q in enumerate(questions, start=1):
        keys[q.key] = i
        head = f"[{q.kind}{'*' if q.required else ''}{':' + q.dimension if q.dimension else ''}]"
        body = " | ".join([q.text, *q.choices])
        cond = ""
        if q.show_if_key and q.show_if_key in keys:
            cond = f" ?if q{keys[q.show_if_key]}={','.join(q.show_if_values)}"
        lines.append(f"{head} {body}{cond}")
    return "\n".join(lines)


# --- designing a survey ----------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyInput:
    title: str
    opens_on: dt.date
    closes_on: dt.date
    questions: Sequence[QuestionSpec]
    description: str = ""
    kind: str = SurveyKind.GENERAL
    unit: str = Unit.RESIDENT
    anonymous: bool = False
    grid_id: int | None = None
    building_id: int | None = None
    tag: str = ""
    period: dt.date | None = None
    service_line: str = ""


def _create(community: Community, data: SurveyInput, by: str) -> Survey:
    if data.closes_on < data.opens_on:
        raise DomainError(
            _("The survey must close on or after the day it opens."),
            code=CoreError.INVALID_DATE,
            field="closes_on",
        )
    if not data.title.strip():
        raise DomainError(_("Give the survey a title."), code=CoreError.REQUIRED, field="title")
    survey = Survey.objects.create(
        community=community,
        kind=data.kind,
        title=data.title.strip()[:200],
        description=data.description,
        grid_id=data.grid_id,
        building_id=data.building_id,
        tag=data.tag,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        unit=data.unit,
        anonymous=data.anonymous,
        period=data.period or data.opens_on.replace(day=1),
        service_line=data.service_line,
        created_by=by[:150],
    )
    Question.objects.bulk_create(
        Question(
            survey=survey,
            key=s.key,
            order=i,
            kind=s.kind,
            text=s.text,
            choices=list(s.choices),
            required=s.required,
            dimension=s.dimension,
            show_if_key=s.show_if_key,
            show_if_values=list(s.show_if_values),
        )
        for i, s in enumerate(data.questions)
    )
    ReceiptSet.objects.create(survey=survey)
    return survey


@transaction.atomic
def survey_create(*, actor: Actor, community_id: int, data: SurveyInput) -> Survey:
    community = access(actor, MANAGE, Community.objects.all(), pk=community_id)
    if data.grid_id and not community.grids.filter(pk=data.grid_id).exists():
        raise NotFound(_("Not found."))
    if (
        data.building_id
        and not Community.objects.filter(pk=community.pk, buildings__pk=data.building_id).exists()
    ):
        raise NotFound(_("Not found."))
    survey = _create(community, data, actor.label)
    audit_record(actor=actor, action="create", obj=survey, community_id=community.pk)
    return survey


# --- answering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanAnswer:
    question: Question
    number: int | None = None
    score: Decimal | None = None
    values: tuple[str, ...] = ()
    text: str = ""


def _score(kind: str, number: int) -> Decimal:
    if kind == QuestionKind.RATING10:
        return Decimal(number * 10)
    return Decimal((number - 1) * 25)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def clean_answers(
    questions: Sequence[Question], raw: Mapping[str, Any], *, anonymous: bool
) -> list[CleanAnswer]:
    """Check every answer against its question (type, range, choices, required) following
    the skip logic; an answer to a question that the skip logic hides is dropped."""
    out: list[CleanAnswer] = []
    chosen: dict[str, list[str]] = {}
    for q in questions:
        if q.show_if_key and not set(chosen.get(q.show_if_key, ())) & set(q.show_if_values):
            continue
        value = raw.get(q.key)
        if isinstance(value, list):
            value = [v for v in value if str(v).strip()]
        if value is None or value == "" or value == []:
            if q.required:
                raise DomainError(
                    _("Answer this question: %(q)s") % {"q": q.text},
                    code=CoreError.REQUIRED,
                    field=q.key,
                )
            continue
        if q.kind in (QuestionKind.RATING5, QuestionKind.RATING10):
            low, high = (1, 5) if q.kind == QuestionKind.RATING5 else (0, 10)
            try:
                number = int(str(value if not isinstance(value, list) else value[0]))
            except ValueError:
                number = -1
            if not low <= number <= high:
                raise DomainError(
                    _("Choose a rating from %(low)d to %(high)d.") % {"low": low, "high": high},
                    code=CoreError.INVALID_NUMBER,
                    field=q.key,
                )
            out.append(CleanAnswer(q, number=number, score=_score(q.kind, number)))
        elif q.kind in CHOICE_KINDS:
            values = _as_list(value)
            if (q.kind == QuestionKind.SINGLE and len(values) != 1) or any(
                v not in q.choices for v in values
            ):
                raise DomainError(
                    _("Choose among the answers offered."),
                    code=CoreError.INVALID_CHOICE,
                    field=q.key,
                )
            values = sorted(set(values), key=q.choices.index)
            chosen[q.key] = values
            out.append(CleanAnswer(q, values=tuple(values)))
        else:
            text = str(value if not isinstance(value, list) else " ".join(value)).strip()
            if len(text) > MAX_TEXT:
                raise DomainError(
                    _("Keep the answer under %(n)d characters.") % {"n": MAX_TEXT},
                    code=CoreError.TOO_LONG,
                    field=q.key,
                )
            if anonymous and IDENTITY_RE.search(text):
                raise DomainError(
                    _(
                        "This survey is anonymous: leave phone numbers and ID numbers out of "
                        "your answer."
                    ),
                    code=SurveysError.ANONYMOUS_IDENTITY,
                    field=q.key,
                )
            out.append(CleanAnswer(q, text=text))
    return out


def _take_receipt(survey: Survey, digest: str) -> None:
    """Add `digest` to the survey's sorted receipt set, or refuse a second answer. The first
    statement is an UPDATE so that the row is write-locked before it is read (PostgreSQL's
    row lock, SQLite's database lock): two answers at once are settled one after the other."""
    ReceiptSet.objects.filter(survey_id=survey.pk).update(count=F("count"))
    row = ReceiptSet.objects.select_for_update().get(survey_id=survey.pk)
    hashes = row.hashes.split("\n") if row.hashes else []
    at = bisect.bisect_left(hashes, digest)
    if at < len(hashes) and hashes[at] == digest:
        raise DomainError(
            _("You have answered this survey already; thank you.")
            if survey.unit == Unit.RESIDENT
            else _("Your household has answered this survey already; thank you."),
            code=SurveysError.ALREADY_ANSWERED,
        )
    hashes.insert(at, digest)
    row.hashes = "\n".join(hashes)
    row.count = len(hashes)
    row.save(update_fields=["hashes", "count"])


def _window_check(survey: Survey, today: dt.date, *, grace: int = 0) -> None:
    if not survey.published or not (
        survey.opens_on <= today <= survey.closes_on + dt.timedelta(days=grace)
    ):
        raise DomainError(
            _("This survey is open from %(a)s to %(b)s.")
            % {"a": survey.opens_on.isoformat(), "b": survey.closes_on.isoformat()},
            code=SurveysError.NOT_OPEN,
        )


def _write(
    survey: Survey,
    answers: list[CleanAnswer],
    *,
    resident: Resident | None,
    grid_id: int | None,
    band: str,
    channel: str,
    day: dt.date,
    followup: FollowUp | None = None,
) -> Response:
    linked = not survey.anonymous
    response = Response.objects.create(
        survey=survey,
        anonymous=survey.anonymous,
        resident=resident if linked else None,
        household_id=resident.household_id if linked and resident else None,
        day=day if linked else None,
        grid_id=grid_id,
        age_band=band,
        channel=channel,
        followup=followup,
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=a.question,
            number=a.number,
            score=a.score,
            values=list(a.values),
            text=a.text,
        )
        for a in answers
    )
    return response


def _me(actor: Actor) -> Resident:
    resident = (
        Resident.objects.select_related("household__building")
        .filter(pk=actor.resident_id, status=ResidentStatus.ACTIVE)
        .first()
        if actor.resident_id
        else None
    )
    if resident is None:
        raise NotFound(_("Not found."))
    return resident


@transaction.atomic
def response_submit(
    *, actor: Actor, survey_public_id: Any, answers: Mapping[str, Any], identity: str = ""
) -> Response:
    """A resident answers a survey online. `identity` is whatever the client sent to say who
    answers: an anonymous survey refuses it (the signed-in resident is the respondent)."""
    survey = answerable_get(actor, survey_public_id)
    if survey.anonymous and identity:
        raise DomainError(
            _("This survey is anonymous: an answer may not say who gave it."),
            code=SurveysError.ANONYMOUS_IDENTITY,
            field="respondent",
        )
    today = dates.local_today()
    _window_check(survey, today)
    me = _me(actor)
    if not Resident.objects.filter(eligible_q(survey, today), pk=me.pk).exists():
        raise DomainError(_("This survey is not aimed at you."), code=SurveysError.NOT_TARGETED)
    questions = list(survey.questions.order_by("order", "id"))
    cleaned = clean_answers(questions, answers, anonymous=survey.anonymous)
    _take_receipt(survey, receipt_hash(survey, me))
    return _write(
        survey,
        cleaned,
        resident=me,
        grid_id=me.household.building.grid_id,
        band=age_band(me.age),
        channel=Channel.ONLINE,
        day=today,
    )


@transaction.atomic
def paper_enter(
    *,
    actor: Actor,
    survey_public_id: Any,
    answers: Mapping[str, Any],
    resident_public_id: Any = None,
    grid_id: int | None = None,
    band: str = "",
) -> Response:
    """Staff enter a paper questionnaire (marked `paper`). For a named survey the respondent
    is picked (and a second answer refused); for an anonymous one nobody is named, and only the
    grid and age band written on the sheet are kept."""
    survey = access(
        actor,
        ENTER_PAPER,
        Survey.objects.exclude(kind=SurveyKind.FOLLOWUP),
        public_id=survey_public_id,
    )
    today = dates.local_today()
    _window_check(survey, today, grace=PAPER_GRACE_DAYS)
    if survey.anonymous and resident_public_id:
        raise DomainError(
            _("This survey is anonymous: do not name the respondent."),
            code=SurveysError.ANONYMOUS_IDENTITY,
            field="resident",
        )
    resident = None
    if not survey.anonymous:
        if not resident_public_id:
            raise DomainError(
                _("Pick the resident who filled in the questionnaire."),
                code=CoreError.REQUIRED,
                field="resident",
            )
        try:
            resident = (
                Resident.objects.select_related("household__building")
                .filter(eligible_q(survey, today))
                .get(public_id=resident_public_id)
            )
        except (Resident.DoesNotExist, ValueError, ValidationError) as exc:
            raise DomainError(
                _("This survey is not aimed at that resident."),
                code=SurveysError.NOT_TARGETED,
                field="resident",
            ) from exc
        grid_id = resident.household.building.grid_id
        band = age_band(resident.age)
    elif grid_id is not None and not survey.community.grids.filter(pk=grid_id).exists():
        raise NotFound(_("Not found."))
    if band not in AgeBand.values:
        raise DomainError(_("Choose an age band."), code=CoreError.INVALID_CHOICE, field="age_band")
    questions = list(survey.questions.order_by("order", "id"))
    cleaned = clean_answers(questions, answers, anonymous=survey.anonymous)
    if resident is not None:
        _take_receipt(survey, receipt_hash(survey, resident))
    response = _write(
        survey,
        cleaned,
        resident=resident,
        grid_id=grid_id,
        band=band,
        channel=Channel.PAPER,
        day=today,
    )
    # The audit row names the survey, never the response (nor, for an anonymous survey, anyone).
    audit_record(
        actor=actor,
        action="create",
        object_type="surveys.paper_questionnaire",
        object_id=str(survey.public_id),
        object_label=survey.title,
        community_id=survey.community_id,
    )
    return response


# --- follow-ups after a service -------------------------------------------------------------

FOLLOWUP_QUESTIONS = (
    QuestionSpec(
        "q1", QuestionKind.RATING5, "您对这次服务满意吗？", dimension=Dimension.SATISFACTION
    ),
    QuestionSpec(
        "q2", QuestionKind.SINGLE, "问题解决了吗？", choices=("解决了", "部分解决", "没有解决")
    ),
    QuestionSpec("q3", QuestionKind.TEXT, "还有什么想对我们说的？", required=False),
)
FOREVER = dt.date(2099, 12, 31)


def followup_survey(community_id: int, service_line: str) -> Survey:
    """The community's standing follow-up questionnaire for one service line (made on first
    use)."""
    survey = Survey.objects.filter(
        community_id=community_id, kind=SurveyKind.FOLLOWUP, service_line=service_line
    ).first()
    if survey is not None:
        return survey
    label = service_line_label(service_line)
    community = Community.objects.get(pk=community_id)
    return _create(
        community,
        SurveyInput(
            title=str(_("How was it? — %(line)s") % {"line": label}),
            opens_on=dt.date(2020, 1, 1),
            closes_on=FOREVER,
            questions=FOLLOWUP_QUESTIONS,
            kind=SurveyKind.FOLLOWUP,
            unit=Unit.HOUSEHOLD,
            service_line=service_line,
        ),
        "",
    )


@transaction.atomic
def followup_send(
    *,
    community_id: int,
    household_id: int,
    service_line: str,
    ref: str,
    label: str = "",
    url: str = "",
    on: dt.date | None = None,
) -> FollowUp | None:
    """Ask a household how a service went (the public function other domains call once a
    service is over: a request closed, a care visit done, a booking used). Idempotent per
    (service_line, ref): a second call returns None. Notifies the household's accounts
    through `core.notify` in the same transaction."""
    if FollowUp.objects.filter(service_line=service_line, ref=ref).exists():
        return None
    survey = followup_survey(community_id, service_line)
    followup = FollowUp.objects.create(
        survey=survey,
        community_id=community_id,
        household_id=household_id,
        service_line=service_line,
        ref=ref[:64],
        label=label[:200],
        url=url[:300],
        sent_on=on or dates.local_today(),
    )
    publish(
        Message(
            key=f"surveys.followup.{followup.pk}",
            kind="surveys.followup",
            user_ids=household_user_ids(household_id),
            title=_("How was it? Tell us in one minute."),
            body=label,
            url=reverse("surveys:followup", args=[followup.pk]),
            community_id=community_id,
        )
    )
    return followup


def followup_for(actor: Actor, followup_id: int) -> FollowUp:
    return access(actor, ANSWER, FollowUp.objects.select_related("survey"), pk=followup_id)


@transaction.atomic
def followup_answer(*, actor: Actor, followup_id: int, answers: Mapping[str, Any]) -> Response:
    """The household answers a follow-up (once: the first answer wins)."""
    followup = followup_for(actor, followup_id)
    me = _me(actor)
    questions = list(followup.survey.questions.order_by("order", "id"))
    cleaned = clean_answers(questions, answers, anonymous=False)
    if not update_if(FollowUp, pk=followup.pk, where={"answered": False}, answered=True):
        raise DomainError(
            _("Your household has answered this survey already; thank you."),
            code=SurveysError.ALREADY_ANSWERED,
        )
    return _write(
        followup.survey,
        cleaned,
        resident=me,
        grid_id=me.household.building.grid_id,
        band=age_band(me.age),
        channel=Channel.ONLINE,
        day=dates.local_today(),
        followup=followup,
    )


def followup_requested(followup: Followup) -> None:
    """The `core.followups` handler (registered in `apps.py`): any domain's
    `request_followup(Followup(...))` lands here, in that domain's transaction."""
    followup_send(
        community_id=followup.community_id,
        household_id=followup.household_id,
        service_line=followup.service_line,
        ref=followup.ref,
        label=followup.label,
        url=followup.url,
        on=followup.on,
    )
