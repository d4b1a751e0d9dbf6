"""Sessions that end after `SESSION_COOKIE_AGE` seconds without a request, without writing on
every request.

Django's `SESSION_SAVE_EVERY_REQUEST` moves the idle expiry by saving the session on every
response: an UPDATE per request of every signed-in person, which on SQLite queues every reader
behind the one write lock. `IdleSessionMiddleware` saves a session only when something in it
changed, or when its idle mark (`_seen`, epoch seconds) is older than `TOUCH_SECONDS`: the
expiry then moves at most once a minute, and a session ends between `SESSION_COOKIE_AGE` and
`SESSION_COOKIE_AGE + TOUCH_SECONDS` seconds after the last request. A GET of a signed-in
person writes nothing to the database in between (linli/accounts/tests/test_sessions.py).

Where sessions live: the database by default; with Redis (`REDIS_URL`) in the cache in front of
the database (`cached_db`), so that reading one costs no query and every app server shares it.
"""

from __future__ import annotations

import time

from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

# How stale the idle mark may grow before a request moves it.
TOUCH_SECONDS = 60
SEEN_KEY = "_seen"


class IdleSessionMiddleware(SessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            seen = session.get(SEEN_KEY)
            if session.modified or not isinstance(seen, int) or now - seen >= TOUCH_SECONDS:
                session[SEEN_KEY] = now  # marks it modified: the parent saves it
        return super().process_response(request, response)
