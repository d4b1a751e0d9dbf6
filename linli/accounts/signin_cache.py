"""Signed-in requests without a query: each process remembers, per session key, the session's
data and its user with his role assignments, for at most `SIGNIN_CACHE_SECONDS` (default 10)
and only while nothing about any sign-in has changed since it read them.

Whether something changed is a token that every request reads once: 8 bytes of a file in
`LOCAL_DIR` when the app servers share one machine (one `pread`), a Redis key when `REDIS_URL`
is set (several servers). Whatever changes a sign-in writes a new token (`changed`): a session
saved or deleted (sign-in, sign-out, a new key; not the idle mark moving once a minute, which
only the process that moved it needs to know), a role granted, changed or taken
away, a password set, a user edited or deleted in the admin. The token is written when the
change is made and again after its transaction commits, so that a process that re-read the old
rows in between drops them again. Entries remember the token read *before* their rows were read,
so a change that lands while they are read makes them stale at once. The age limit bounds what
a change made any other way (SQL by hand) can leave behind.

Without this, a signed-in request reads its session and its user with his roles (2 queries,
about 3 ms of ORM work on SQLite) before the view does anything: four times the cost of an
anonymous request to the same endpoint (bench/bench_platform.py).
"""

from __future__ import annotations

import copy
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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
_fd: int | None = None
_fd_pid = 0


def enabled() -> bool:
    return int(getattr(settings, "SIGNIN_CACHE_SECONDS", 0)) > 0


def _token_fd() -> int:
    global _fd, _fd_pid
    if _fd is None or _fd_pid != os.getpid():
        path = settings.LOCAL_DIR / token_name()
        path.parent.mkdir(parents=True, exist_ok=True)
        _fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        _fd_pid = os.getpid()
    return _fd


def token_name() -> str:
    """The token's file name in LOCAL_DIR, or its key in Redis."""
    return str(getattr(settings, "SIGNIN_TOKEN_NAME", "signin-token"))


def _on_redis() -> bool:
    return getattr(settings, "SIGNIN_TOKEN", "file") == "redis"


def token() -> bytes:
    """The current token (read on every signed-in request; empty when switched off)."""
    if not enabled():
        return b""
    if _on_redis():
        from django.core.cache import cache

        value = cache.get(token_name())
        return value.encode() if isinstance(value, str) else b""
    return os.pread(_token_fd(), 8, 0)


def _write_token() -> None:
    fresh = os.urandom(8)
    if _on_redis():
        from django.core.cache import cache

        cache.set(token_name(), fresh.hex(), timeout=None)
    else:
        os.pwrite(_token_fd(), fresh, 0)
    forget_all()


def changed() -> None:
    """Something about a sign-in changed: every process reads its sessions and users again.
    Call it where the change is written, inside its transaction."""
    if not enabled():
        return
    _write_token()
    transaction.on_commit(_write_token, robust=True)


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
    """Empty this process's memory (tests that count a request's queries)."""
    with _lock:
        _entries.clear()
