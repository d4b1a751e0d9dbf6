"""What a process may remember between requests: rows that change rarely and are read on hot
paths (a community's request categories, its duty roster, a signed-in person's session and
roles), valid while a shared **token** is unchanged and for at most a few seconds.

A `Token` says "something changed" to every process of every app server: 8 bytes in a file of
`LOCAL_DIR` when the app servers share one machine (one `pread` to read it), a Redis key when
`REDIS_URL` is set (`MEMO_TOKENS = "redis"`, `MEMO_REDIS_URL`), read with a plain GET on the
thread's own connection (`redis_get`): every signed-in request reads one, and Django's cache,
or even redis-py's client with its pool, would add as much CPU again as the GET itself.
Whatever writes the rows a token covers calls `token.changed()` inside its transaction: the
token is written then and again after the commit, so that a process that re-read the old rows
in between drops them again. An entry keeps the token read *before* its rows were read, so a
change that lands while they are read makes it stale at once. The age limit (`MEMO_SECONDS`,
10 by default; 0 switches every memo off) bounds what a change made any other way (SQL by
hand) can leave behind.

`Memo` is the memory itself: values by key, each loaded by the caller's function on a miss.
Callers give out what they get as read-only, or copy it (a shared model instance must not be
changed by one request under another).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import transaction

V = TypeVar("V")

logger = logging.getLogger("linli.memo")

# The most entries one memo keeps; past it, it forgets them all and starts again.
MAX_ENTRIES = 20_000


def seconds() -> int:
    """How long an entry may be used (0: memos are switched off)."""
    return int(getattr(settings, "MEMO_SECONDS", 0))


_redis_client: Any = None


def redis_client() -> Any:
    """This process's Redis client for the tokens (`MEMO_REDIS_URL`), made at first use. A
    Redis that does not answer within a second counts as down."""
    global _redis_client
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(
            settings.MEMO_REDIS_URL, socket_timeout=1, socket_connect_timeout=1
        )
    return _redis_client


_reader = threading.local()


def redis_get(key: str) -> Any:
    """GET `key` on this thread's own connection to `MEMO_REDIS_URL` (the client's settings,
    without its pool): a token is read on every signed-in request, and a GET through the
    client's pool and retry wrappers costs twice the CPU of one sent straight on a connection
    (~60 against ~32 µs). Any failure closes the connection (the next call opens a new one)
    and is raised."""
    conn = getattr(_reader, "conn", None)
    if conn is None or _reader.pid != os.getpid():  # a forked worker opens its own
        pool = redis_client().connection_pool
        conn = pool.connection_class(**pool.connection_kwargs)
        _reader.conn, _reader.pid = conn, os.getpid()
    try:
        conn.send_command("GET", key)
        return conn.read_response()
    except BaseException:
        conn.disconnect()
        raise


class Token:
    """A shared mark that changes whenever the rows it covers change."""

    def __init__(self, name: str, *, enabled: Callable[[], bool] | None = None) -> None:
        self.name = name
        self._enabled = enabled or (lambda: seconds() > 0)
        self._fd: int | None = None
        self._fd_pid = 0
        self._forgetters: list[Callable[[], None]] = []

    def key(self) -> str:
        """The token's file name in LOCAL_DIR, or its key in Redis."""
        return f"{getattr(settings, 'MEMO_TOKEN_PREFIX', 'memo-')}{self.name}"

    def _on_redis(self) -> bool:
        return getattr(settings, "MEMO_TOKENS", "file") == "redis"

    def _file(self) -> int:
        if self._fd is None or self._fd_pid != os.getpid():
            path = settings.LOCAL_DIR / self.key()
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            self._fd_pid = os.getpid()
        return self._fd

    def read(self) -> bytes:
        """The current mark (empty when switched off). When Redis cannot be reached, a mark
        nobody has: nothing remembered is used, and every read goes to the database."""
        if not self._enabled():
            return b""
        if self._on_redis():
            try:
                value = redis_get(self.key())
            except Exception:  # any failure of Redis means "do not trust it"
                logger.warning("memo token %s unreadable; reading from the database", self.name)
                return os.urandom(8)
            return value if isinstance(value, bytes) else b""
        return os.pread(self._file(), 8, 0)

    def write(self) -> None:
        """A new mark, now, outside any transaction (what another server's change does). When
        Redis cannot be reached the change itself still stands: the other servers then see it
        after at most `MEMO_SECONDS`, and the failure is logged as an error."""
        fresh = os.urandom(8)
        if self._on_redis():
            try:
                redis_client().set(self.key(), fresh)
            except Exception:  # the database change must not fail for it
                logger.error(
                    "memo token %s not written: other servers see the change within %s s",
                    self.name,
                    seconds(),
                )
        else:
            os.pwrite(self._file(), fresh, 0)

    def on_change(self, forget: Callable[[], None]) -> None:
        """Call `forget` in this process whenever this process changes the token."""
        self._forgetters.append(forget)

    def _write_and_forget(self) -> None:
        self.write()
        for forget in self._forgetters:
            forget()

    def changed(self) -> None:
        """The rows this token covers changed: every process reads them again. Call it where
        the change is written, inside its transaction."""
        if not self._enabled():
            return
        self._write_and_forget()
        transaction.on_commit(self._write_and_forget, robust=True)


_forgetters: list[Callable[[], None]] = []


class Memo(Generic[V]):
    """Values by key, each valid for `MEMO_SECONDS` while every one of `tokens` is unchanged."""

    def __init__(self, *tokens: Token) -> None:
        self.tokens = tokens
        self._entries: dict[Hashable, tuple[tuple[bytes, ...], float, V]] = {}
        self._lock = threading.Lock()
        for token in tokens:
            token.on_change(self.forget_all)
        _forgetters.append(self.forget_all)

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        """The remembered value of `key`, or `load()`'s, remembered."""
        limit = seconds()
        if limit <= 0:
            return load()
        marks = tuple(token.read() for token in self.tokens)
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] == marks and entry[1] > now:
            return entry[2]
        value = load()
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (marks, now + limit, value)
        return value

    def forget_all(self) -> None:
        with self._lock:
            self._entries.clear()


def remembers(forget: Callable[[], None]) -> None:
    """Register a memory kept outside `Memo` (the sign-in cache) with `forget_all`."""
    _forgetters.append(forget)


def forget_all() -> None:
    """Empty every memory of this process (tests that count a request's queries, and the start
    of every test: a rolled-back test's rows must not be remembered into the next)."""
    for forget in _forgetters:
        forget()
