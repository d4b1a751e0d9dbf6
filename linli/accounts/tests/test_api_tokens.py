"""Issue 16 item 7: personal access tokens for other systems — scope, expiry, revocation,
hashed storage, audit attribution, rate limit, who may see whose token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts import services
from linli.accounts.models import ApiToken, ServiceAccount
from linli.core.errors import DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.roles import Role


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _token(actor, *, access="read", domains=("registry",), days=30, owner_id=None):
    return services.api_token_create(
        actor=actor,
        name="12345 platform",
        access_level=access,
        domains=list(domains),
        days=days,
        owner_id=owner_id,
    )


def _bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_reads_its_domain_and_is_stored_only_as_a_keyed_hash(worker_a, actor_of):
    row, token = _token(actor_of(worker_a))
    assert token.startswith("linli_pat_" + row.key_id + "_")
    answer = _bearer(token).get("/api/registry/communities")
    assert answer.status_code == 200
    # no column of any token row holds the token or its secret part
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = " ".join(str(v) for r in cursor.fetchall() for v in r)
    # (the secret is URL-safe base64, which may itself contain "_")
    secret = token.removeprefix("linli_pat_" + row.key_id + "_")
    assert token not in stored and secret not in stored
    assert row.token_hash != token and len(row.token_hash) == 64
    # the user's own data: /me says who the token acts as
    me = _bearer(token).get("/api/registry/communities")
    assert me.status_code == 200


def test_a_read_only_token_cannot_post_and_a_hotline_token_cannot_read_registry(
    worker_a, actor_of, world
):
    _, read_only = _token(actor_of(worker_a), domains=("accounts",))
    refused = _bearer(read_only).post(
        "/api/accounts/invitations",
        {"resident_id": str(world.resident_a1.public_id)},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "token_scope"
    _, hotline = _token(actor_of(worker_a), domains=("hotline",), access="write")
    assert _bearer(hotline).get("/api/hotline/requests").status_code == 200
    other = _bearer(hotline).get("/api/registry/communities")
    assert other.status_code == 403 and other.json()["code"] == "token_scope"


def test_expired_revoked_and_unknown_tokens_are_refused(worker_a, actor_of):
    actor = actor_of(worker_a)
    row, token = _token(actor)
    assert _bearer(token).get("/api/registry/communities").status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = _bearer(token).get("/api/registry/communities")
    assert expired.status_code == 401 and expired.json()["code"] == "unauthenticated"

    row, token = _token(actor)
    services.api_token_revoke(actor=actor, token_id=row.pk)
    assert _bearer(token).get("/api/registry/communities").status_code == 401
    # a wrong secret with a real id, a malformed token, another scheme's token
    wrong = f"linli_pat_{row.key_id}_{'x' * 40}"
    for bad in (wrong, "linli_pat_", "linli_pat_short", "something-else"):
        assert _bearer(bad).get("/api/registry/communities").status_code == 401


def test_writes_with_a_token_are_audited_as_its_user_with_the_token(worker_a, actor_of, world):
    row, token = _token(actor_of(worker_a), access="write", domains=("accounts",))
    answer = _bearer(token).post(
        "/api/accounts/invitations",
        {"resident_id": str(world.resident_a1.public_id)},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    event = AuditEvent.objects.get(action=AuditEvent.Action.INVITE)
    assert event.actor_id == worker_a.pk and event.token_id == row.pk
    # the token's making was audited too (by the session actor, no token)
    made = AuditEvent.objects.get(object_type="accounts.apitoken", action="create")
    assert made.actor_id == worker_a.pk and made.token_id is None


def test_no_csrf_for_a_bearer_write_but_sessions_still_need_it(worker_a, actor_of, world):
    _, token = _token(actor_of(worker_a), access="write", domains=("accounts",))
    strict = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {"resident_id": str(world.resident_a1.public_id)}
    assert (
        strict.post("/api/accounts/invitations", body, content_type="application/json").status_code
        == 201
    )
    session = Client(enforce_csrf_checks=True)
    session.force_login(worker_a)
    assert (
        session.post("/api/accounts/invitations", body, content_type="application/json").status_code
        == 403
    )


def test_reading_with_a_token_writes_last_used_at_most_once_a_minute(worker_a, actor_of):
    row, token = _token(actor_of(worker_a))
    client = _bearer(token)
    client.get("/api/registry/communities")
    first = ApiToken.objects.get(pk=row.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/registry/communities")
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper()[:6] in ("UPDATE", "INSERT", "DELETE")
    ]
    assert writes == []
    assert ApiToken.objects.get(pk=row.pk).last_used_at == first


def test_a_token_over_its_rate_gets_429_with_a_clear_error(worker_a, actor_of):
    row, token = _token(actor_of(worker_a))
    ApiToken.objects.filter(pk=row.pk).update(rate_per_minute=3)
    client = _bearer(token)
    statuses = [client.get("/api/registry/communities").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    # unless the minute turned over in between, the fourth is refused
    if statuses[3] != 200:
        over = client.get("/api/registry/communities")
        assert over.status_code == 429
        # the message names the rate (3 a minute) and when to retry
        assert over.json()["code"] == "rate_limited" and "3" in over.json()["message"]


def test_tokens_are_managed_in_a_session_not_with_a_token(worker_a, actor_of):
    _, token = _token(actor_of(worker_a), access="write", domains=("accounts",))
    client = _bearer(token)
    made = client.post(
        "/api/accounts/tokens",
        {"name": "x", "access": "write", "domains": ["accounts"]},
        content_type="application/json",
    )
    assert made.status_code == 401
    assert client.get("/api/accounts/tokens").status_code == 401


def test_the_api_makes_lists_and_revokes_tokens_and_shows_the_token_once(worker_a, client_for):
    client = client_for(worker_a)
    made = client.post(
        "/api/accounts/tokens",
        {"name": "sync", "access": "read", "domains": ["hotline"], "days": 7},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    token, token_id = made.json()["token"], made.json()["id"]
    listed = client.get("/api/accounts/tokens").json()
    assert [t["id"] for t in listed] == [token_id]
    assert "token" not in listed[0] and token.startswith(listed[0]["prefix"])
    bad = client.post(
        "/api/accounts/tokens",
        {"name": "x", "domains": ["no-such-domain"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "domains"
    assert client.post(f"/api/accounts/tokens/{token_id}/revoke").status_code == 200
    assert _bearer(token).get("/api/hotline/requests").status_code == 401


def test_who_sees_whose_tokens(
    world, admin, other_admin, worker_a, worker_b, resident_user, actor_of
):
    own, _ = _token(actor_of(worker_a))
    account = services.service_account_create(
        actor=actor_of(admin),
        community_id=world.community.pk,
        name="District 12345",
        role=Role.SERVICE_STAFF,
    )
    service_row, service_token = _token(actor_of(admin), owner_id=account.user_id)
    # a colleague, another community's admin and a resident find neither token
    for persona in (worker_b, other_admin, resident_user):
        with pytest.raises(NotFound):
            services.api_token_revoke(actor=actor_of(persona), token_id=own.pk)
        with pytest.raises(NotFound):
            services.api_token_revoke(actor=actor_of(persona), token_id=service_row.pk)
    # the admin of the community manages the service account's token, not the worker's own
    with pytest.raises(NotFound):
        services.api_token_revoke(actor=actor_of(admin), token_id=own.pk)
    # another community's admin cannot make a token for this service account
    with pytest.raises(NotFound):
        _token(actor_of(other_admin), owner_id=account.user_id)
    # a resident has no tokens
    with pytest.raises(NotFound):
        _token(actor_of(resident_user))
    # the service account acts with its role, and cannot sign in with a password
    assert _bearer(service_token).get("/api/registry/communities").status_code == 200
    assert not account.user.has_usable_password()
    assert not Client().login(username=account.user.username, password="")
    services.api_token_revoke(actor=actor_of(admin), token_id=service_row.pk)
    assert _bearer(service_token).get("/api/registry/communities").status_code == 401


def test_the_pages_show_a_token_once_list_and_revoke_it(world, admin, worker_b, client_for):
    client = client_for(admin)
    assert client.get("/accounts/tokens/").status_code == 200
    made = client.post(
        "/accounts/service-accounts/new/",
        {"community_id": world.community.pk, "name": "Data centre", "role": Role.SERVICE_STAFF},
    )
    assert made.status_code == 302
    account = ServiceAccount.objects.get()
    shown = client.post(
        "/accounts/tokens/new/",
        {
            "owner": account.user_id,
            "name": "nightly export",
            "access_level": "read",
            "domains": ["registry", "hotline"],
            "days": 90,
        },
    )
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    row = ApiToken.objects.get()
    assert f"linli_pat_{row.key_id}_" in shown.content.decode()
    page = client.get("/accounts/tokens/").content.decode()
    assert "nightly export" in page and f"linli_pat_{row.key_id}_" not in page
    # another grid worker cannot revoke it (404), the admin can
    assert client_for(worker_b).post(f"/accounts/tokens/{row.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{row.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get().revoked_at is not None


def test_bad_scopes_are_refused(worker_a, actor_of):
    actor = actor_of(worker_a)
    for kwargs in (
        {"domains": ()},
        {"domains": ("nope",)},
        {"days": 0},
        {"days": 400},
        {"access": "all"},
    ):
        with pytest.raises(DomainError):
            _token(actor, **kwargs)


def test_the_openapi_document_declares_the_bearer_scheme(db):
    from linli.core.api import api

    schema = api.get_openapi_schema()
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["ActorBearerAuth"].items()
    hotline_list = schema["paths"]["/api/hotline/requests"]["get"]
    assert {"ActorBearerAuth": []} in hotline_list["security"]
    # token management is session only
    tokens = schema["paths"]["/api/accounts/tokens"]["get"]
    assert tokens["security"] == [{"ActorSessionAuth": []}]
