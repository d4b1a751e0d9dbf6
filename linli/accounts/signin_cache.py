"""Signed-in requests without a query: each process remembers, per session key, the session's
data and its user with his role assignments, for at most `SIGNIN_CACHE_SECONDS` (default 10)
and only while nothing about any sign-in has changed since it read them.

Whether something changed is `linli.core.memo`'s token "signin", which every signed-in
request reads once (a `pread`, or a Redis GET with several servers). Whatever changes a sign-in
writes a new token (`changed`): a session saved or deleted (sign-in, sign-out, a new key; not
the idle mark moving once a minute, which only the process that moved it needs to know), a role
granted, changed or taken away, a password set, a user edited or deleted in the admin. The
token is written when the change is made and again after its transaction commits, so that a
process that re-read the old rows in between drops them again. Entries remember the token read
*before* their rows were read, so a change that lands while they are read makes them stale at
once. The age limit bounds what a change made any other way (SQL by hand) can leave behind.

Without this, a signed-in request reads its session and its user with his roles (2 queries,
about 3 ms of ORM work on SQLite) before the view does anything: four times the cost of an
anonymous request to the same endpoint (bench/bench_platform.py).
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from linli.core import memo

# The most sessions one process remembers; past it, it forgets them all and starts again.
MAX_ENTRIES = 20_000
_SCALARS = (str, int, float, bool, type(None))


@dataclass
class Entry:
    """What one process remembers of one session."""

    token: bytes
    until: float  # time.monotonic() after which the entry is read again
    data: dict[str, Any]
    expire_date: Any  # the session row's expiry (aware datetime)
    user: Any = None  # the signed-in user with his assignments, once resolved

    def session_copy(self) -> dict[str, Any]:
        """The session data for one request to read and change without touching the entry."""
        return _copied(self.data)

    def refresh(self, data: dict[str, Any], expire_date: Any) -> None:
        """This process saved the session: remember what it saved."""
        self.data, self.expire_date = _copied(data), expire_date


def _copied(data: dict[str, Any]) -> dict[str, Any]:
    if all(isinstance(v, _SCALARS) for v in data.values()):
        return dict(data)
    return copy.deepcopy(data)


_entries: dict[str, Entry] = {}
_lock = threading.Lock()


def enabled() -> bool:
    return int(getattr(settings, "SIGNIN_CACHE_SECONDS", 0)) > 0


# Sessions, users and role assignments: `linli.core.memo`'s token "signin". Memos of what roles
# decide (who a grid's requests go to) depend on it too, so it counts while either is on.
TOKEN = memo.Token("signin", enabled=lambda: enabled() or memo.seconds() > 0)


def token() -> bytes:
    """The current token (read on every signed-in request; empty when switched off)."""
    return TOKEN.read()


def changed() -> None:
    """Something about a sign-in changed: every process reads its sessions and users again.
    Call it where the change is written, inside its transaction."""
    TOKEN.changed()


def lookup(session_key: str | None) -> Entry | None:
    """The remembered session `session_key`, if it is still good."""
    if not session_key or not enabled():
        return None
    entry = _entries.get(session_key)
    if entry is None:
        return None
    if entry.until < time.monotonic() or entry.expire_date <= timezone.now():
        _entries.pop(session_key, None)
        return None
    if entry.token != token():
        forget_all()
        return None
    return entry


def remember(
    session_key: str, read_token: bytes, data: dict[str, Any], expire_date: Any
) -> Entry | None:
    """Keep a session read from the database under the token read before reading it."""
    if not enabled():
        return None
    entry = Entry(
        token=read_token,
        until=time.monotonic() + int(settings.SIGNIN_CACHE_SECONDS),
        data=_copied(data),
        expire_date=expire_date,
    )
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[session_key] = entry
    return entry


def forget_all() -> None:
    """Empty this process's memory of sign-ins."""
    with _lock:
        _entries.clear()


TOKEN.on_change(forget_all)
memo.remembers(forget_all)
