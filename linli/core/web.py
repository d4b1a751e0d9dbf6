"""Small helpers every app's page views share."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from linli.core.permissions import Actor, communities_for, has_perm


def request_actor(request: HttpRequest) -> Actor:
    """The actor `ActorMiddleware` attached to the request."""
    return request.actor  # type: ignore[attr-defined, no-any-return]


def require_perm(actor: Actor, *perms: str) -> None:
    """A page the actor may not use at all is a 404, like anything outside the scope."""
    if not any(has_perm(actor, p) for p in perms):
        raise Http404


def acting_community(actor: Actor, perm: str) -> int:
    """The community the actor works in for `perm` (the first, for a subdistrict viewer)."""
    ids = list(communities_for(actor, perm))
    if not ids:
        raise Http404
    return ids[0]
