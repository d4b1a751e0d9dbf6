"""Surveys' box on a resident's page (issue 14, B1): his non-anonymous answers (an anonymous
answer has no link to him, so it can appear nowhere) and the follow-ups sent to his
household. Staff see it with `surveys.view`; a resident on his own record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _

from linli.core.hooks import Panel, register_panel
from linli.core.permissions import Actor, for_actor, has_perm
from linli.registry.models import Resident
from linli.surveys.models import Answer, FollowUp, Response
from linli.surveys.permissions import ANSWER, VIEW

SHOWN = 5


def _perm(actor: Actor, resident_id: int) -> str | None:
    if has_perm(actor, VIEW):
        return VIEW
    if has_perm(actor, ANSWER) and actor.resident_id == resident_id:
        return ANSWER
    return None


def surveys_context(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    """His latest named answers and his household's follow-ups (two queries)."""
    perm = _perm(actor, resident_id)
    if perm is None:
        return None
    responses = list(
        for_actor(actor, perm, Response.objects.filter(resident_id=resident_id, anonymous=False))
        .select_related("survey")
        .order_by("-day")[:SHOWN]
    )
    household = Subquery(Resident.objects.filter(pk=resident_id).values("household_id")[:1])
    followups = list(
        for_actor(actor, perm, FollowUp.objects.filter(household_id=household)).order_by(
            "-sent_on", "-id"
        )[:SHOWN]
    )
    if not responses and not followups:
        return None
    return {"responses": responses, "followups": followups, "own": actor.resident_id == resident_id}


def surveys_export(actor: Actor, resident_id: int) -> list[dict[str, Any]]:
    perm = _perm(actor, resident_id)
    if perm is None:
        return []
    answers = (
        for_actor(
            actor,
            perm,
            Answer.objects.filter(response__resident_id=resident_id, response__anonymous=False),
        )
        .select_related("response__survey", "question")
        .order_by("response__day", "question__order")
    )
    return [
        {
            "survey": a.response.survey.title,
            "answered_on": a.response.day.isoformat() if a.response.day else "",
            "question": a.question.text,
            "answer": a.number if a.number is not None else ("、".join(a.values) or a.text),
        }
        for a in answers
    ]


def register() -> None:
    register_panel(
        Panel(
            key="surveys.answers",
            title=_("Surveys and follow-ups"),
            perms=(VIEW, ANSWER),
            template="surveys/panels/answers.html",
            context=surveys_context,
            order=60,
            export=surveys_export,
        )
    )
