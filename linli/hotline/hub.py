"""What Community 110 registers with the shared pages (`core.hooks`): the hub's tiles (ask for
help, my requests with a "please rate" badge), its waiting items (a resolved request to rate),
the staff search provider (requests by number or text) and the household page's panel (the
household's requests). Every callable runs a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import hooks
from linli.core.permissions import Actor, for_actor
from linli.hotline.choices import Status
from linli.hotline.models import Category, ServiceRequest
from linli.hotline.permissions import FILE, VIEW, VIEW_INTERNAL


def _household_id(actor: Actor) -> int | None:
    for grant in actor.grants:
        if grant.household_id:
            return grant.household_id
    return None


def _to_rate(actor: Actor) -> Any:
    household_id = _household_id(actor)
    if household_id is None:
        return ServiceRequest.objects.none()
    return for_actor(
        actor,
        FILE,
        ServiceRequest.objects.filter(household_id=household_id, status=Status.RESOLVED),
    )


def to_rate_count(actor: Actor) -> int:
    return int(_to_rate(actor).count())


def waiting_items(actor: Actor) -> list[hooks.WaitingItem]:
    rows = _to_rate(actor).select_related("category").order_by("-resolved_at")[:10]
    return [
        hooks.WaitingItem(
            kind="hotline.please_rate",
            title=_("Please rate request %(number)s (%(category)s)")
            % {"number": r.number, "category": r.category.name},
            url=reverse("hotline:request", args=[r.public_id]),
            when=r.resolved_at,
            urgent=False,
        )
        for r in rows
    ]


def search_requests(actor: Actor, text: str, limit: int) -> list[hooks.SearchHit]:
    """A request number (digits, with or without #) or words of the description."""
    q = text.strip().lstrip("#")
    qs = for_actor(actor, VIEW_INTERNAL, ServiceRequest.objects.all())
    if q.isdigit():
        qs = qs.filter(pk=int(q))
    else:
        # The words are matched by one plain scan of the table (no index helps a substring)
        # and the scoped, date-ordered walk then only tests ids: it never reads a row that
        # does not match (the walk alone read all 4,219 of the demo for each query).
        matching = ServiceRequest.objects.filter(
            Q(description__contains=q)
            | Q(category_id__in=Category.objects.filter(name__contains=q).values("pk"))
        ).values("pk")
        qs = qs.filter(pk__in=matching)
    rows = qs.select_related("category", "household__building", "household__unit").order_by(
        "-submitted_at"
    )[:limit]
    return [
        hooks.SearchHit(
            kind=_("Request"),
            label=f"#{r.number} {r.category.name}",
            url=reverse("hotline:request", args=[r.public_id]),
            detail=f"{r.get_status_display()} · {r.description[:60]}",
        )
        for r in rows
    ]


def household_requests(actor: Actor, household_id: int) -> dict[str, Any] | None:
    rows = list(
        for_actor(actor, VIEW, ServiceRequest.objects.filter(household_id=household_id))
        .select_related("category")
        .order_by("-submitted_at")[:10]
    )
    return {"requests": rows}


def register() -> None:
    hooks.register_tile(
        hooks.Tile(
            key="hotline.file",
            label=gettext_lazy("Ask for help"),
            url_name="hotline:portal_new",
            perms=(FILE,),
            icon="ti-sos",
            order=10,
        )
    )
    hooks.register_tile(
        hooks.Tile(
            key="hotline.mine",
            label=gettext_lazy("My requests"),
            url_name="hotline:portal",
            perms=(FILE,),
            icon="ti-list-check",
            order=20,
            badge=to_rate_count,
        )
    )
    hooks.register_waiting(
        hooks.WaitingSource(domain="hotline", perms=(FILE,), items=waiting_items)
    )
    hooks.register_search(
        hooks.SearchProvider(
            domain="hotline",
            label=gettext_lazy("Community 110 requests"),
            perms=(VIEW_INTERNAL,),
            search=search_requests,
            order=30,
        )
    )
    hooks.register_household_panel(
        hooks.Panel(
            key="hotline.requests",
            title=gettext_lazy("Community 110 requests"),
            perms=(VIEW_INTERNAL,),
            template="hotline/_household_panel.html",
            context=household_requests,
            order=20,
        )
    )
