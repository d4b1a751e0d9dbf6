"""Reading writes nothing: a signed-in GET runs no INSERT/UPDATE/DELETE; the idle expiry
moves at most once a minute (linli.accounts.sessions)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.accounts import sessions
from linli.conftest import PASSWORD

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_sessions_end_after_thirty_idle_minutes_without_a_save_per_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert sessions.TOUCH_SECONDS == 60


def test_a_signed_in_get_writes_nothing(world, worker_a, client):
    assert (
        client.post("/accounts/login/", {"username": "worker_a", "password": PASSWORD}).status_code
        == 302
    )
    client.get("/")
    for url in ("/", "/registry/grids/", "/api/hotline/categories"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert _writes(ctx) == [], url


def test_the_idle_mark_moves_once_a_minute(world, worker_a, client, monkeypatch):
    client.post("/accounts/login/", {"username": "worker_a", "password": PASSWORD})
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    now = time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + 30)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/registry/grids/")
    assert _writes(ctx) == []
    monkeypatch.setattr(sessions.time, "time", lambda: now + 61)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/registry/grids/")
    assert len(_writes(ctx)) == 1
    assert Session.objects.get(session_key=key).expire_date > first
    # the signed-in person is still signed in and the next minute writes nothing again
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/registry/grids/").status_code == 200
    assert _writes(ctx) == []
