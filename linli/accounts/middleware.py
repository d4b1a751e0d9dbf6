"""Attaches the request's `Actor` (resolved once, lazily) for views and the API."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from linli.accounts.selectors import actor_for_user

# The attribute `linli.core.web.actor_of` reads (set here for every request, and replaced by
# `linli.accounts.tokens.verify` for an API request made with a token).
ACTOR_ATTRIBUTE = "actor"


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        setattr(request, ACTOR_ATTRIBUTE, SimpleLazyObject(lambda: actor_for_user(request.user)))
        return self.get_response(request)
