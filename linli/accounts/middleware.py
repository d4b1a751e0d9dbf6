"""Attaches the request's user (from the process's memory of sign-ins when it can) and its
`Actor` (resolved once, lazily) for views and the API."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY, get_user
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.db.models.base import ModelState
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from linli.accounts.selectors import actor_for_user
from linli.accounts.sessions import ENTRY_ATTRIBUTE

# The attribute `linli.core.web.actor_of` reads (set here for every request, and replaced by
# `linli.accounts.tokens.verify` for an API request made with a token).
ACTOR_ATTRIBUTE = "actor"


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        setattr(request, ACTOR_ATTRIBUTE, SimpleLazyObject(lambda: actor_for_user(request.user)))
        return self.get_response(request)


def _user(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    """The signed-in user: the one remembered with the request's session while that memory
    holds (a copy, so that nothing a request does to it outlives the request), else
    Django's `get_user` (the session's user, checked against his password hash), which is then
    remembered with the session."""
    session = request.session
    session.get(SESSION_KEY)  # loads the session (from memory when it can)
    entry = getattr(session, ENTRY_ATTRIBUTE, None)
    if entry is not None and entry.user is not None:
        return _own_copy(entry.user)
    user = get_user(request)
    if entry is not None and user.is_authenticated and not session.modified:
        entry.user = _own_copy(user)
    return user


def _own_copy(user: AbstractBaseUser) -> AbstractBaseUser:
    """The same user as another instance with its own model state (no related rows cached):
    what one request sets on it or loads through it stays with that request."""
    clone = user.__class__.__new__(user.__class__)
    clone.__dict__.update(user.__dict__)
    state = ModelState()
    state.db, state.adding = user._state.db, False
    clone._state = state
    return clone


class SignInMiddleware(AuthenticationMiddleware):
    """Django's `AuthenticationMiddleware`, with `request.user` read through
    `linli.accounts.signin_cache`."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))  # type: ignore[assignment]
