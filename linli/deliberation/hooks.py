"""What deliberation plugs into the shared pages (called once from `AppConfig.ready()`): its API
router, menu and tabs, demo builder, cockpit figures, the hub tile "议事投票" with the waiting
item "a vote is open for me", and the resident's ballots on his profile page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core import hooks
from linli.core.permissions import Actor


def _figures(query: hooks.FigureQuery) -> list[hooks.Figure]:
    from linli.core.dates import month_bounds
    from linli.deliberation.choices import MeetingStatus, Stage
    from linli.deliberation.models import ElevatorProject, Matter, Meeting

    ids = sorted(query.community_ids)
    meetings = Meeting.objects.filter(community_id__in=ids, status=MeetingStatus.HELD)
    matters = Matter.objects.filter(community_id__in=ids)
    projects = ElevatorProject.objects.filter(community_id__in=ids)
    if query.grid_id:
        meetings = meetings.filter(grid_id=query.grid_id)
        matters = matters.filter(grid_id=query.grid_id)
        projects = projects.filter(grid_id=query.grid_id)
    start, end = month_bounds(query.month)
    m = meetings.aggregate(
        total=Count("id"), month=Count("id", filter=Q(starts_at__gte=start, starts_at__lt=end))
    )
    signed = (Stage.CONSENT, Stage.NOTICE, Stage.FILED, Stage.CONSTRUCTION, Stage.IN_SERVICE)
    p = projects.aggregate(
        signed=Count("id", filter=Q(stage__in=signed)),
        service=Count("id", filter=Q(stage=Stage.IN_SERVICE)),
    )
    url = reverse("deliberation:home")
    return [
        hooks.Figure(
            "deliberation.meetings_held", _("Residents' meetings held"), m["total"], url=url
        ),
        hooks.Figure("deliberation.meetings_month", _("Meetings this month"), m["month"], url=url),
        hooks.Figure(
            "deliberation.matters",
            _("Matters deliberated"),
            matters.count(),
            url=reverse("deliberation:matters"),
        ),
        hooks.Figure(
            "deliberation.elevators_signed",
            _("Elevators signed"),
            p["signed"],
            url=reverse("deliberation:projects"),
        ),
        hooks.Figure(
            "deliberation.elevators_in_service",
            _("Elevators in service"),
            p["service"],
            url=reverse("deliberation:projects"),
        ),
    ]


def _waiting(actor: Actor) -> list[hooks.WaitingItem]:
    from linli.deliberation import selectors

    return [
        hooks.WaitingItem(
            kind="deliberation.vote",
            title=_("A vote is open for you: %(title)s") % {"title": v.title},
            url=reverse("deliberation:my_vote", args=[v.public_id]),
            when=v.closes_on,
        )
        for v in selectors.open_votes_without_ballot(actor)
    ]


def _panel(actor: Actor, resident_id: int) -> Mapping[str, Any] | None:
    """The ballots cast for the flat the resident owns (scoped: staff in scope, or himself)."""
    from linli.core.permissions import for_actor
    from linli.deliberation.models import Ballot, Property
    from linli.deliberation.permissions import VIEW

    prop = (
        Property.objects.filter(owner_resident_id=resident_id)
        .values_list("owner_key", "community_id")
        .first()
    )
    if prop is None:
        return None
    qs = Ballot.objects.filter(
        elector__owner_key=prop[0], vote__community_id=prop[1]
    ).select_related("vote")
    if actor.resident_id != resident_id:
        qs = for_actor(actor, VIEW, qs)
    rows = list(qs.order_by("-recorded_at")[:20])
    return {"ballots": rows} if rows else None


def _panel_export(actor: Actor, resident_id: int) -> list[dict[str, Any]]:
    ctx = _panel(actor, resident_id) or {"ballots": []}
    return [
        {
            "vote": b.vote.title,
            "choice": b.choice,
            "channel": b.channel,
            "recorded_at": b.recorded_at.isoformat(),
        }
        for b in ctx["ballots"]
    ]


def register() -> None:
    from linli.core.api import register_router
    from linli.core.demo_hooks import register_demo
    from linli.core.navigation import register_nav, register_subnav
    from linli.deliberation import permissions as p
    from linli.deliberation.api import router
    from linli.deliberation.demo import build_demo

    register_router("/deliberation/", router)
    register_nav(_("Deliberation"), "deliberation:home", p.VIEW, order=60)
    register_nav(_("Votes and notices"), "deliberation:portal", p.PARTICIPATE, order=61)
    for key, label, url_name in (
        ("home", _("Overview"), "deliberation:home"),
        ("matters", _("Matters"), "deliberation:matters"),
        ("meetings", _("Meetings"), "deliberation:meetings"),
        ("notices", pgettext_lazy("deliberation", "Notices"), "deliberation:notices"),
        ("votes", _("Votes"), "deliberation:votes"),
        ("projects", _("Elevators"), "deliberation:projects"),
    ):
        register_subnav("deliberation", key, label, url_name, p.VIEW, group_label=_("Deliberation"))
    register_demo("deliberation", build_demo, order=70)
    hooks.register_figures(
        hooks.FigureGroup("deliberation", _("Deliberation"), (p.VIEW,), _figures, order=70)
    )
    hooks.register_tile(
        hooks.Tile(
            "deliberation",
            _("Deliberation and votes"),
            "deliberation:portal",
            (p.PARTICIPATE,),
            icon="ti-checkbox",
            order=70,
            badge_kinds=("deliberation.vote",),
        )
    )
    hooks.register_waiting(hooks.WaitingSource("deliberation", (p.PARTICIPATE,), _waiting))
    hooks.register_panel(
        hooks.Panel(
            "deliberation.ballots",
            _("Ballots and consents"),
            (p.VIEW, p.PARTICIPATE),
            "deliberation/_panel.html",
            _panel,
            order=70,
            export=_panel_export,
        )
    )
