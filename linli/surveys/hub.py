"""Surveys on the resident hub (issue 15's pages, core.hooks): a tile with the number of
surveys and follow-ups waiting for the resident, and each of them in "waiting for me"."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from linli.core import hooks
from linli.core.permissions import Actor
from linli.surveys import selectors
from linli.surveys.permissions import ANSWER


def waiting_items(actor: Actor) -> list[hooks.WaitingItem]:
    """Open surveys aimed at him not yet answered, and his household's unanswered follow-ups
    (four queries)."""
    items = [
        hooks.WaitingItem(
            kind="surveys.survey",
            title=o.survey.title,
            url=reverse("surveys:answer", args=[o.survey.public_id]),
            when=o.survey.closes_on,
        )
        for o in selectors.surveys_for_resident(actor)
        if not o.answered
    ]
    items += [
        hooks.WaitingItem(
            kind="surveys.followup",
            title=f.label or str(gettext_lazy("How was it?")),
            url=reverse("surveys:followup", args=[f.pk]),
            when=f.sent_on,
        )
        for f in selectors.followups_for_resident(actor).filter(answered=False)[:10]
    ]
    return items


def register() -> None:
    hooks.register_tile(
        hooks.Tile(
            key="surveys.mine",
            label=gettext_lazy("My surveys"),
            url_name="surveys:mine",
            perms=(ANSWER,),
            icon="📝",
            order=60,
            badge_kinds=("surveys.survey", "surveys.followup"),
        )
    )
    hooks.register_waiting(
        hooks.WaitingSource(domain="surveys", perms=(ANSWER,), items=waiting_items)
    )
