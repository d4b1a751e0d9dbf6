import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from linli.accounts import services
from linli.accounts.models import User
from linli.conftest import PASSWORD
from linli.core.errors import DomainError
from linli.core.models import AuditEvent


def _login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_staff_sign_in_with_username(world, worker_a, client):
    response = _login(client, "worker_a", PASSWORD)
    assert response.status_code == 302
    assert client.get("/registry/grids/").status_code == 200


def test_login_throttle_locks_after_five_failures(world, worker_a, client):
    for _ in range(5):
        response = _login(client, "worker_a", "wrong")
        assert response.status_code == 200
    # Even the right password is refused now, with a clear message.
    response = _login(client, "worker_a", PASSWORD)
    assert response.status_code == 200
    assert "locked" in response.content.decode() or "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_lock_lifts_after_thirty_minutes(world, worker_a, client):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            _login(client, "worker_a", "wrong")
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 31, tzinfo=dt.UTC), tick=False):
        assert _login(client, "worker_a", PASSWORD).status_code == 302


def test_failures_of_one_username_do_not_lock_another(world, worker_a, worker_b, client):
    for _ in range(5):
        _login(client, "worker_a", "wrong")
    assert _login(client, "worker_b", PASSWORD).status_code == 302


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_resident_activates_with_invitation_and_signs_in_with_phone(
    world, worker_a, actor_of, client
):
    code = services.invitation_issue(
        actor=actor_of(worker_a), household_public_id=str(world.household_a1.public_id)
    )
    assert AuditEvent.objects.filter(action="invite").count() == 1
    response = client.post(
        "/accounts/activate/",
        {"code": code, "phone": "138 0000 0002", "password": "Wenchang-2026!"},
    )
    assert response.status_code == 302
    user = User.objects.get(resident=world.resident_a1_child)
    anonymous = Client()
    assert _login(anonymous, "13800000002", "Wenchang-2026!").status_code == 302
    # He sees his household, and his own phone in full, but not other households.
    page = anonymous.get(
        f"/registry/residents/{world.resident_a1_child.public_id}/"
    ).content.decode()
    assert "13800000002" in page
    assert anonymous.get(f"/registry/households/{world.household_b1.public_id}/").status_code == 404
    # A code works once.
    with pytest.raises(DomainError):
        services.resident_account_activate(
            code=code, phone="13800000001", password="Wenchang-2026!"
        )
    assert user.role_assignments.get().household_id == world.household_a1.id


def test_invitation_needs_a_phone_registered_in_that_household(world, worker_a, actor_of):
    code = services.invitation_issue(
        actor=actor_of(worker_a), household_public_id=str(world.household_a1.public_id)
    )
    with pytest.raises(DomainError) as exc:
        services.resident_account_activate(
            code=code, phone="13900000001", password="Wenchang-2026!"
        )
    assert exc.value.code == "phone_not_in_household"
    assert not User.objects.filter(resident=world.resident_b1).exists()


def test_grid_worker_cannot_invite_outside_her_grid(world, worker_a, client_for):
    response = client_for(worker_a).post(f"/accounts/invite/{world.household_b1.public_id}/")
    assert response.status_code == 404


def test_logout_ends_the_session(world, worker_a, client):
    _login(client, "worker_a", PASSWORD)
    client.post("/accounts/logout/")
    assert client.get("/registry/grids/").status_code == 302
