"""Checking a personal access token on an API request (`Authorization: Bearer linli_pat_...`).

`verify` is registered with `linli.core.api` (accounts sits above core) and runs before the
session authentication. A token is looked up by its id part (one indexed query, with its user),
compared by keyed hash in constant time, and refused when expired or revoked (401), when the
request's method or domain lies outside its scope (403), or when it is over its rate (429: a
fixed one-minute window counted in the cache — shared by every app server when Redis is
configured, per process otherwise). Its `last_used_at` moves at most once a minute, so reading
with a token writes nothing in between. The request then acts as the token's user: the actor
carries the token's id, and every audit row written for the request records it.
"""

from __future__ import annotations

import datetime as dt
import hmac
import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.errors import AccountsError
from linli.accounts.middleware import ACTOR_ATTRIBUTE
from linli.accounts.models import ApiToken
from linli.accounts.selectors import actor_for_user, api_token_by_key_id
from linli.accounts.services import TOKEN_PREFIX, Throttled, token_hash
from linli.core.api import Unauthenticated
from linli.core.errors import PermissionDenied
from linli.core.permissions import Actor

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
KEY_ID_LENGTH = 12
TOUCH_SECONDS = 60
RATE_WINDOW_SECONDS = 60


def _refused() -> Unauthenticated:
    return Unauthenticated(_("The API token is unknown, expired or revoked."))


def _row(token: str) -> ApiToken | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    rest = token[len(TOKEN_PREFIX) :]
    key_id, sep, secret = rest[:KEY_ID_LENGTH], rest[KEY_ID_LENGTH:][:1], rest[KEY_ID_LENGTH + 1 :]
    if sep != "_" or not secret or len(token) > 200:
        return None
    return api_token_by_key_id(key_id)


def _rate_check(row: ApiToken) -> None:
    window = int(time.time()) // RATE_WINDOW_SECONDS
    key = f"accounts:api-token-rate:{row.pk}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS + 5)
        count = 1
    if count > row.rate_per_minute:
        wait = RATE_WINDOW_SECONDS - int(time.time()) % RATE_WINDOW_SECONDS
        raise Throttled(
            _(
                "Too many requests with this API token (at most %(rate)d a minute); "
                "try again in %(seconds)d seconds."
            )
            % {"rate": row.rate_per_minute, "seconds": wait}
        )


def _touch(row: ApiToken, now: dt.datetime) -> None:
    if row.last_used_at is None or now - row.last_used_at >= dt.timedelta(seconds=TOUCH_SECONDS):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)


def verify(request: HttpRequest, token: str, domain: str) -> Actor | None:
    """The actor of a request made with `token` on the API `domain`, or None for a token that
    is not a personal access token (another verifier's)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = _row(token)
    now = timezone.now()
    if (
        row is None
        or not hmac.compare_digest(row.token_hash, token_hash(token))
        or row.revoked_at is not None
        or row.expires_at <= now
        or not row.user.is_active
    ):
        raise _refused()
    if domain not in row.domains:
        raise PermissionDenied(
            _("This API token is not scoped to %(domain)s.") % {"domain": domain or "/"},
            code=AccountsError.TOKEN_SCOPE,
        )
    if request.method not in SAFE_METHODS and row.access != ApiToken.Access.WRITE:
        raise PermissionDenied(_("This API token is read-only."), code=AccountsError.TOKEN_SCOPE)
    _rate_check(row)
    _touch(row, now)
    base = actor_for_user(row.user)
    actor = Actor(
        user_id=base.user_id,
        label=base.label,
        grants=base.grants,
        is_superuser=base.is_superuser,
        token_id=row.pk,
    )
    # The request acts as the token's user everywhere (views read `request.actor`).
    request.user = row.user
    setattr(request, ACTOR_ATTRIBUTE, actor)
    return actor
