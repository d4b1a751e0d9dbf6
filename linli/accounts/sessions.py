"""Sessions that end after `SESSION_COOKIE_AGE` seconds without a request, without writing on
every request.

Django's `SESSION_SAVE_EVERY_REQUEST` moves the idle expiry by saving the session on every
response: an UPDATE per request of every signed-in person, which on SQLite queues every reader
behind the one write lock. `IdleSessionMiddleware` saves a session only when something in it
changed, or when its idle mark (`_seen`, epoch seconds) is older than `TOUCH_SECONDS`: the
expiry then moves at most once a minute, and a session ends between `SESSION_COOKIE_AGE` and
`SESSION_COOKIE_AGE + TOUCH_SECONDS` seconds after the last request. A GET of a signed-in
person writes nothing to the database in between (linli/accounts/tests/test_sessions.py).

Where sessions live: the database (`SESSION_ENGINE = "linli.accounts.sessions"`, this module's
`SessionStore`), shared by every app server. Each process remembers the sessions it read
(`linli.accounts.signin_cache`), so a request of a signed-in person reads none while nothing
about sign-ins changed; every save or deletion of a session says that something did.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

from linli.accounts import signin_cache

# How stale the idle mark may grow before a request moves it.
TOUCH_SECONDS = 60
SEEN_KEY = "_seen"
# Where `SessionStore.load` leaves the remembered entry it used or made (`SignInMiddleware`
# keeps the request's user on it).
ENTRY_ATTRIBUTE = "_linli_entry"
# Set by `IdleSessionMiddleware` when the only change of a session is its idle mark.
TOUCH_ONLY_ATTRIBUTE = "_linli_touch_only"


class SessionStore(db.SessionStore):
    """Django's database sessions, read through this process's memory of them."""

    def load(self) -> dict[str, Any]:
        entry = signin_cache.lookup(self.session_key)
        if entry is not None:
            setattr(self, ENTRY_ATTRIBUTE, entry)
            return entry.session_copy()
        read_token = signin_cache.token()
        row = self._get_session_from_db()  # type: ignore[attr-defined]
        if row is None:
            return {}
        data: dict[str, Any] = self.decode(row.session_data)
        if data and self.session_key:
            fresh = signin_cache.remember(self.session_key, read_token, data, row.expire_date)
            setattr(self, ENTRY_ATTRIBUTE, fresh)
        return data

    def save(self, must_create: bool = False) -> None:
        super().save(must_create)
        entry = getattr(self, ENTRY_ATTRIBUTE, None)
        if getattr(self, TOUCH_ONLY_ATTRIBUTE, False) and not must_create and entry is not None:
            # Only the idle mark moved: this process remembers the new mark and expiry; the
            # others keep an older mark and expiry, which makes them read the session again
            # or move the mark themselves, sooner, never later. Nobody else need forget it.
            entry.refresh(dict(self.items()), self.get_expiry_date())
            return
        signin_cache.changed()

    def delete(self, session_key: str | None = None) -> None:
        super().delete(session_key)
        signin_cache.changed()


class IdleSessionMiddleware(SessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            seen = session.get(SEEN_KEY)
            if session.modified or not isinstance(seen, int) or now - seen >= TOUCH_SECONDS:
                if not session.modified:
                    setattr(session, TOUCH_ONLY_ATTRIBUTE, True)
                session[SEEN_KEY] = now  # marks it modified: the parent saves it
        return super().process_response(request, response)
