"""Throttling of sign-in and one-time-code attempts (issue 8 items 7 and 11).

No hard lock: a hard lock on a login lets anyone lock the real admin out with five wrong
passwords. Instead every failed attempt is logged (`LoginFailure`, with the client address) and
three counts over the last `LOGIN_THROTTLE_WINDOW_SECONDS` each demand an exponential back-off
before the next attempt once past their free allowance:

- the pair (login, address): an attacker guessing one login from one address is slowed after
  `LOGIN_THROTTLE_FAILURES` failures, while the owner signing in from elsewhere is not;
- the address alone: one address spraying many logins is slowed after `ADDRESS_FREE`;
- the login alone, from any address: a guess spread over many addresses slows every *unknown*
  device after `ACCOUNT_FREE`; a browser that has signed in to that account before (a signed
  cookie) passes, so the owner still gets in.

While a back-off runs the password is not checked at all, so guessing gains nothing. Every
`ALERT_EVERY`-th failure on one login (or `ADDRESS_FREE`-th from one address) within the
window is reported on the `linli.security` logger and mailed to the operators (`ADMINS`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import math

from django.conf import settings
from django.core.mail import mail_admins
from django.core.signing import BadSignature
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from linli.accounts.models import LoginFailure

PAIR_FREE: int = settings.LOGIN_THROTTLE_FAILURES
ADDRESS_FREE = 20
ACCOUNT_FREE = 20
ALERT_EVERY = 10
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 30 * 60

KNOWN_DEVICE_COOKIE = "linli_device"
KNOWN_DEVICE_SALT = "linli.accounts.known-device"
KNOWN_DEVICE_MAX_AGE = 180 * 24 * 3600
KNOWN_DEVICE_MAX_USERS = 5

security_log = logging.getLogger("linli.security")


def client_address(request: HttpRequest | None) -> str | None:
    """The caller's IP address as the server sees it (`REMOTE_ADDR`; a reverse proxy in front
    must set it to the real client's address), or None when absent or malformed."""
    if request is None:
        return None
    raw = str(request.META.get("REMOTE_ADDR") or "")
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def _backoff(count: int, free: int, last: dt.datetime | None, now: dt.datetime) -> int:
    """Seconds still to wait: none below `free` failures, then 1, 2, 4… minutes (capped)
    counted from the last failure."""
    if count < free or last is None:
        return 0
    delay: int = min(BACKOFF_BASE_SECONDS * 2 ** min(count - free, 16), BACKOFF_MAX_SECONDS)
    return max(0, math.ceil(delay - (now - last).total_seconds()))


def wait_seconds(
    *,
    purpose: str,
    key: str,
    address: str | None,
    known_device: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """How long the next attempt on `key` from `address` must still wait (0: go ahead).
    One query."""
    now = now or timezone.now()
    same_key = Q(username_key=key)
    same_address = Q(client_address=address)
    counts = LoginFailure.objects.filter(purpose=purpose, at__gte=_window_start(now)).aggregate(
        pair=Count("id", filter=same_key & same_address),
        pair_last=Max("at", filter=same_key & same_address),
        address=Count("id", filter=same_address),
        address_last=Max("at", filter=same_address),
        account=Count("id", filter=same_key),
        account_last=Max("at", filter=same_key),
    )
    waits = [_backoff(counts["pair"], PAIR_FREE, counts["pair_last"], now)]
    if address is not None:
        waits.append(_backoff(counts["address"], ADDRESS_FREE, counts["address_last"], now))
    if not known_device:
        waits.append(_backoff(counts["account"], ACCOUNT_FREE, counts["account_last"], now))
    return max(waits)


def failure_record(*, purpose: str, key: str, address: str | None) -> None:
    """Log one failed attempt and alert the operators when it completes a burst. Callers
    record *after* their own transaction rolled back, so the failure is kept while the refused
    change is not."""
    LoginFailure.objects.create(username_key=key, client_address=address, purpose=purpose)
    since = _window_start(timezone.now())
    recent = LoginFailure.objects.filter(purpose=purpose, at__gte=since)
    on_key = recent.filter(username_key=key).count()
    if on_key % ALERT_EVERY == 0:
        _alert(
            "%(n)d failed %(purpose)s attempts on %(key)s within %(minutes)d minutes",
            {"n": on_key, "purpose": purpose, "key": key},
        )
    if address is not None:
        from_address = recent.filter(client_address=address).count()
        if from_address % ADDRESS_FREE == 0:
            _alert(
                "%(n)d failed %(purpose)s attempts from %(address)s within %(minutes)d minutes",
                {"n": from_address, "purpose": purpose, "address": address},
            )


def _alert(message: str, values: dict[str, object]) -> None:
    values = {**values, "minutes": settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60}
    text = message % values
    security_log.warning("Sign-in burst: %s", text, extra={"security_event": "login_burst"})
    mail_admins("Linli: sign-in burst", text, fail_silently=True)


def known_device_user_ids(request: HttpRequest | None) -> set[int]:
    """The accounts this browser has signed in to before (from the signed cookie)."""
    if request is None:
        return set()
    try:
        value = request.get_signed_cookie(
            KNOWN_DEVICE_COOKIE, default="", salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_MAX_AGE
        )
    except BadSignature:
        return set()
    return {int(part) for part in str(value).split(",") if part.isdigit()}


def remember_device(request: HttpRequest, response: HttpResponse, user_id: int) -> None:
    """After a successful sign-in, mark this browser as a known device of `user_id`."""
    ids = [i for i in known_device_user_ids(request) if i != user_id][
        -(KNOWN_DEVICE_MAX_USERS - 1) :
    ]
    response.set_signed_cookie(
        KNOWN_DEVICE_COOKIE,
        ",".join(str(i) for i in [*ids, user_id]),
        salt=KNOWN_DEVICE_SALT,
        max_age=KNOWN_DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
