"""A signed-in request reads its session and user from the process's memory while nothing about
sign-ins changed (linli.accounts.signin_cache), and stops the moment something did: on this
server or on another one (the shared token), or after the age limit."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linli.accounts import services, sessions, signin_cache
from linli.accounts.models import RoleAssignment, User
from linli.testing.outage import redis_down

pytestmark = pytest.mark.django_db

URL = "/registry/grids/"
SIGN_IN_TABLES = ('"django_session"', '"accounts_user"', '"accounts_roleassignment"')


def _sign_in_reads(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in SIGN_IN_TABLES)]


def _signed_in(client) -> None:
    """Two requests, as a browser makes them after signing in: the first one reads the
    session and sets its idle mark, the second one finds both in memory."""
    for _ in range(2):
        assert client.get(URL).status_code == 200


def _another_server_changes_something() -> None:
    """What `signin_cache.changed()` does on another app server: a new token, while this
    process's own memory stays as it was."""
    signin_cache.TOKEN.write()


def test_a_second_request_reads_neither_session_nor_user(world, worker_a, client_for):
    client = client_for(worker_a)
    _signed_in(client)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    assert worker_a.display_name in response.content.decode()
    assert _sign_in_reads(ctx) == []


def test_moving_the_idle_mark_keeps_the_memory(world, worker_a, client_for, monkeypatch):
    client = client_for(worker_a)
    _signed_in(client)
    later = time.time() + 61
    monkeypatch.setattr(sessions.time, "time", lambda: later)
    token = signin_cache.token()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200  # moves the mark: one UPDATE, no reads
    assert signin_cache.token() == token
    assert _sign_in_reads(ctx) == [next(q for q in _sign_in_reads(ctx) if "UPDATE" in q)]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    assert _sign_in_reads(ctx) == []


def test_signing_out_on_another_server_signs_out_here_at_once(world, worker_a, client_for):
    client = client_for(worker_a)
    _signed_in(client)
    key = client.session.session_key
    # The other server deletes the session row and writes a new token.
    Session.objects.filter(session_key=key).delete()
    _another_server_changes_something()
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_role_taken_away_counts_at_the_next_request(world, worker_a, admin, client_for, actor_of):
    client = client_for(worker_a)
    _signed_in(client)
    assert client.get("/api/hotline/requests").status_code == 200
    for row in RoleAssignment.objects.filter(user=worker_a):
        services.role_assignment_delete(actor=actor_of(admin), assignment=row)
    assert client.get("/api/hotline/requests").status_code in (403, 404)


def test_what_changed_by_hand_counts_after_the_age_limit(world, worker_a, client_for, monkeypatch):
    client = client_for(worker_a)
    _signed_in(client)
    # Deactivated by SQL, which says nothing to the servers: remembered until the age limit.
    User.objects.filter(pk=worker_a.pk).update(is_active=False)
    assert client.get(URL).status_code == 200
    later = time.monotonic() + settings.SIGNIN_CACHE_SECONDS + 1
    monkeypatch.setattr(signin_cache.time, "monotonic", lambda: later)
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_request_changing_its_session_leaves_the_remembered_one_alone():
    entry = signin_cache.Entry(token=b"t", until=0.0, data={"a": 1, "list": [1]}, expire_date=None)
    copy = entry.session_copy()
    copy["a"] = 2
    copy["list"].append(2)
    assert entry.data == {"a": 1, "list": [1]}


def test_switched_off_every_request_reads_its_sign_in(world, worker_a, client_for, settings):
    settings.SIGNIN_CACHE_SECONDS = 0
    client = client_for(worker_a)
    _signed_in(client)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    assert len(_sign_in_reads(ctx)) >= 2


def test_with_redis_down_a_signed_in_request_reads_its_sign_in(
    world, worker_a, client_for, settings, monkeypatch
):
    client = client_for(worker_a)
    _signed_in(client)
    redis_down(settings, monkeypatch)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    assert any("django_session" in q["sql"] for q in ctx.captured_queries)
