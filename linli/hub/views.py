"""The home page (the hub for residents, the figures page for staff), search across modules,
and the resident's shortcut to his household."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from linli.core.web import actor_of
from linli.hub import selectors
from linli.registry import selectors as registry
from linli.registry.views import home as staff_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not selectors.is_resident_only(actor):
        return staff_home(request)
    waiting = selectors.waiting(actor)
    return render(
        request,
        "hub/home.html",
        {
            "tiles": selectors.tiles(actor, items=waiting),
            "waiting": waiting,
            "household": registry.own_household(actor),
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not selectors.can_search(actor):
        raise Http404
    q = (request.GET.get("q") or "").strip()[:100]
    groups = selectors.search(actor, q)
    return render(
        request,
        "hub/search.html",
        {"q": q, "groups": groups, "too_short": 0 < len(q) < selectors.MIN_QUERY},
    )


@login_required
def my_household(request: HttpRequest) -> HttpResponse:
    household = registry.own_household(actor_of(request))
    if household is None:
        raise Http404
    return redirect("registry:household", household.public_id)
