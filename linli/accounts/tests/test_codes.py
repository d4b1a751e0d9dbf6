"""Issue 8 items 3 and 11: one-time codes (activation and password reset) cannot take an
account over: bound to one member, single use, expiring, at most one open, 60+ bits, the
endpoints throttled and CSRF-protected."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from linli.accounts import services
from linli.accounts.errors import AccountsError
from linli.accounts.models import Invitation, LoginFailure, RoleAssignment, User
from linli.accounts.services import CODE_ALPHABET, CODE_LENGTH, Throttled
from linli.conftest import PASSWORD
from linli.core.errors import DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.roles import Role

NEW = "Wenchang-2026!"
RESET = Invitation.Purpose.PASSWORD_RESET


def _issue(actor_of, staff, resident, purpose=Invitation.Purpose.ACTIVATION, reason=""):
    return services.invitation_issue(
        actor=actor_of(staff),
        resident_public_id=resident.public_id,
        purpose=purpose,
        reason=reason,
    )


def _login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


# ---------------------------------------------------------------- item 3: no takeover


def test_a_code_never_resets_an_existing_account_password(world, worker_a, resident_user, actor_of):
    # The takeover: a code issued for the household, used with the phone of a member who
    # already has an account. Codes are bound to one member now: the child's code does not
    # accept the father's phone, and his password stays.
    code = _issue(actor_of, worker_a, world.resident_a1_child)
    with pytest.raises(DomainError) as exc:
        services.resident_account_activate(code=code, phone="13800000001", password=NEW)
    assert exc.value.code == AccountsError.BAD_CODE
    resident_user.refresh_from_db()
    assert resident_user.check_password(PASSWORD)
    assert not resident_user.check_password(NEW)


def test_no_activation_code_for_a_member_who_has_a_password(
    world, worker_a, resident_user, actor_of
):
    with pytest.raises(DomainError) as exc:
        _issue(actor_of, worker_a, world.resident_a1)
    assert exc.value.code == "account_exists"
    assert not Invitation.objects.exists()


def test_an_activation_code_refuses_an_account_that_got_a_password_meanwhile(
    world, worker_a, actor_of
):
    code = _issue(actor_of, worker_a, world.resident_a1_child)
    User.objects.create_user(username="child", password=PASSWORD, resident=world.resident_a1_child)
    with pytest.raises(DomainError) as exc:
        services.resident_account_activate(code=code, phone="13800000002", password=NEW)
    assert exc.value.code == "account_exists"
    assert User.objects.get(username="child").check_password(PASSWORD)


def test_a_member_without_usable_password_activates_his_existing_account(world, worker_a, actor_of):
    user = User.objects.create_user(username="child", resident=world.resident_a1_child)
    assert not user.has_usable_password()
    code = _issue(actor_of, worker_a, world.resident_a1_child)
    activated = services.resident_account_activate(code=code, phone="13800000002", password=NEW)
    assert activated.pk == user.pk
    assert activated.check_password(NEW)


def test_resident_activates_with_his_code_and_signs_in_with_phone(
    world, worker_a, actor_of, client
):
    code = _issue(actor_of, worker_a, world.resident_a1_child)
    assert AuditEvent.objects.filter(action="invite").count() == 1
    response = client.post(
        "/accounts/activate/", {"code": code, "phone": "138 0000 0002", "password": NEW}
    )
    assert response.status_code == 302
    user = User.objects.get(resident=world.resident_a1_child)
    assert user.role_assignments.get().household_id == world.household_a1.id
    assert AuditEvent.objects.filter(action="activate").count() == 1
    assert AuditEvent.objects.filter(action="role", object_id=str(user.role_assignments.get().pk))
    anonymous = Client()
    assert _login(anonymous, "13800000002", NEW).status_code == 302
    page = anonymous.get(f"/registry/residents/{world.resident_a1_child.public_id}/")
    assert "13800000002" in page.content.decode()
    assert anonymous.get(f"/registry/households/{world.household_b1.public_id}/").status_code == 404


def test_a_code_works_once_and_records_who_used_it(world, worker_a, actor_of):
    code = _issue(actor_of, worker_a, world.resident_a1_child)
    user = services.resident_account_activate(code=code, phone="13800000002", password=NEW)
    invitation = Invitation.objects.get()
    assert invitation.used_by_id == user.pk and invitation.used_at is not None
    user.set_unusable_password()  # even an account without password cannot reuse the code
    user.save()
    with pytest.raises(DomainError) as exc:
        services.resident_account_activate(code=code, phone="13800000002", password=NEW)
    assert exc.value.code == AccountsError.BAD_CODE


def test_a_code_expires_after_fourteen_days(world, worker_a, actor_of):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        code = _issue(actor_of, worker_a, world.resident_a1_child)
    with time_machine.travel(dt.datetime(2026, 3, 15, 9, 1, tzinfo=dt.UTC), tick=False):
        with pytest.raises(DomainError) as exc:
            services.resident_account_activate(code=code, phone="13800000002", password=NEW)
    assert exc.value.code == AccountsError.BAD_CODE


def test_a_code_dies_when_its_member_moves_out(world, worker_a, admin, actor_of):
    from linli.registry.services import resident_move_out

    code = _issue(actor_of, worker_a, world.resident_a1_child)
    resident_move_out(
        actor=actor_of(admin),
        resident_public_id=world.resident_a1_child.public_id,
        date=timezone.localdate(),
        reason="other",
    )
    assert Invitation.objects.get().revoked_at is not None
    with pytest.raises(DomainError):
        services.resident_account_activate(code=code, phone="13800000002", password=NEW)


def test_a_grid_worker_cannot_issue_codes_outside_her_grid(world, worker_a, actor_of, client_for):
    with pytest.raises(NotFound):
        _issue(actor_of, worker_a, world.resident_b1)
    response = client_for(worker_a).post(f"/accounts/invite/{world.household_b1.public_id}/")
    assert response.status_code == 404
    response = client_for(worker_a).post(
        f"/accounts/invite/{world.household_a1.public_id}/",
        {"resident": str(world.resident_b1.public_id), "purpose": "activation"},
    )
    assert 'data-testid="invitation-code"' not in response.content.decode()
    assert not Invitation.objects.exists()


# ---------------------------------------------------------------- item 11: strength, one open


def test_codes_carry_at_least_sixty_bits_in_an_unambiguous_typeable_form(world, worker_a, actor_of):
    assert CODE_LENGTH * math.log2(len(set(CODE_ALPHABET))) >= 60
    assert not set("0O1I") & set(CODE_ALPHABET)
    code = _issue(actor_of, worker_a, world.resident_a1_child)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    typed = code.lower().replace("-", " ")
    assert services.resident_account_activate(code=typed, phone="13800000002", password=NEW)


def test_a_new_code_revokes_the_members_open_one(world, worker_a, actor_of):
    first = _issue(actor_of, worker_a, world.resident_a1_child)
    second = _issue(actor_of, worker_a, world.resident_a1_child)
    assert Invitation.objects.filter(used_at=None, revoked_at=None).count() == 1
    with pytest.raises(DomainError):
        services.resident_account_activate(code=first, phone="13800000002", password=NEW)
    assert services.resident_account_activate(code=second, phone="13800000002", password=NEW)


def test_the_database_holds_at_most_one_open_code_per_member(world, worker_a, actor_of):
    _issue(actor_of, worker_a, world.resident_a1_child)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            household=world.household_a1,
            resident=world.resident_a1_child,
            code_hash="x" * 64,
            issued_by=worker_a,
            expires_at=timezone.now() + dt.timedelta(days=1),
        )


def test_activation_is_throttled_per_address(world, worker_a, actor_of):
    code = _issue(actor_of, worker_a, world.resident_a1_child)
    for i in range(5):
        with pytest.raises(DomainError):
            services.resident_account_activate(
                code=f"AAAA-BBBB-CCC{i + 2}",
                phone="13800000002",
                password=NEW,
                client_address="203.0.113.9",
            )
    assert LoginFailure.objects.filter(purpose="code").count() == 5
    with pytest.raises(Throttled):  # even the right code waits now
        services.resident_account_activate(
            code=code, phone="13800000002", password=NEW, client_address="203.0.113.9"
        )
    assert services.resident_account_activate(
        code=code, phone="13800000002", password=NEW, client_address="198.51.100.7"
    )


def test_the_activation_api_answers_429_when_throttled(world, worker_a, actor_of):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        response = client.post(
            "/api/accounts/activate",
            {"code": "AAAA-BBBB-CCCC", "phone": "13800000002", "password": NEW},
            content_type="application/json",
        )
        assert response.status_code == 400
    response = client.post(
        "/api/accounts/activate",
        {"code": "AAAA-BBBB-CCCC", "phone": "13800000002", "password": NEW},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"


def test_activation_needs_the_csrf_token_on_the_page_and_the_api(world, worker_a, actor_of):
    code = _issue(actor_of, worker_a, world.resident_a1_child)
    data = {"code": code, "phone": "13800000002", "password": NEW}
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post("/api/accounts/activate", data, content_type="application/json").status_code
        == 403
    )
    assert client.post("/accounts/activate/", data).status_code == 403
    assert not User.objects.filter(resident=world.resident_a1_child).exists()
    client.get("/accounts/activate/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/accounts/activate", data, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201
    assert response.json()["grants"][0]["household_id"] == world.household_a1.id


# ---------------------------------------------------------------- the recovery flow


def test_password_reset_with_a_staff_issued_code(world, worker_a, resident_user, actor_of, client):
    with pytest.raises(DomainError) as exc:
        _issue(actor_of, worker_a, world.resident_a1, RESET)
    assert exc.value.field == "reason"
    code = _issue(actor_of, worker_a, world.resident_a1, RESET, reason="came in with his ID card")
    issued = AuditEvent.objects.get(action="invite")
    assert issued.reason == "came in with his ID card"
    assert issued.after["purpose"] == "password_reset"
    # A reset code does not activate, and an activation code does not reset.
    with pytest.raises(DomainError):
        services.resident_account_activate(code=code, phone="13800000001", password=NEW)
    response = client.post(
        "/accounts/password-reset/", {"code": code, "phone": "13800000001", "password": NEW}
    )
    assert response.status_code == 302
    assert _login(Client(), "13800000001", NEW).status_code == 302
    assert _login(Client(), "13800000001", PASSWORD).status_code == 200
    audit = AuditEvent.objects.get(action="update", field="password")
    assert audit.actor_id == resident_user.pk
    assert Invitation.objects.get().used_by_id == resident_user.pk


def test_a_reset_code_needs_an_account(world, worker_a, actor_of):
    with pytest.raises(DomainError) as exc:
        _issue(actor_of, worker_a, world.resident_a1_child, RESET, reason="in person")
    assert exc.value.code == "no_account"


def test_the_reset_api_is_csrf_protected_and_throttled(world, worker_a, resident_user, actor_of):
    code = _issue(actor_of, worker_a, world.resident_a1, RESET, reason="in person")
    data = {"code": code, "phone": "13800000001", "password": NEW}
    strict = Client(enforce_csrf_checks=True)
    assert (
        strict.post(
            "/api/accounts/password-reset", data, content_type="application/json"
        ).status_code
        == 403
    )
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        attacker.post(
            "/api/accounts/password-reset",
            {**data, "code": "AAAA-BBBB-CCCC"},
            content_type="application/json",
        )
    assert (
        attacker.post(
            "/api/accounts/password-reset", data, content_type="application/json"
        ).status_code
        == 429
    )
    response = Client().post("/api/accounts/password-reset", data, content_type="application/json")
    assert response.status_code == 200
    resident_user.refresh_from_db()
    assert resident_user.check_password(NEW)


# ---------------------------------------------------------------- the staff panel


def test_the_household_panel_offers_each_member_the_code_that_fits(
    world, worker_a, resident_user, client_for
):
    client = client_for(worker_a)
    url = f"/accounts/invite/{world.household_a1.public_id}/"
    panel = client.post(url).content.decode()
    assert "张晓" in panel and "张小明" in panel
    assert panel.count('value="password_reset"') == 1  # the head has an account
    assert panel.count('value="activation"') == 1  # the child does not
    response = client.post(
        url, {"resident": str(world.resident_a1_child.public_id), "purpose": "activation"}
    )
    assert 'data-testid="invitation-code"' in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.resident_id == world.resident_a1_child.pk
    # A reset code without the reason is refused on the panel with the message.
    response = client.post(
        url, {"resident": str(world.resident_a1.public_id), "purpose": "password_reset"}
    )
    assert 'data-testid="invitation-code"' not in response.content.decode()
    assert Invitation.objects.count() == 1


def test_the_api_issues_a_code_to_one_member(world, worker_a, client_for):
    response = client_for(worker_a).post(
        "/api/accounts/invitations",
        {"resident_id": str(world.resident_a1_child.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["purpose"] == "activation"
    assert Invitation.objects.get().resident_id == world.resident_a1_child.pk
    response = client_for(worker_a).post(
        "/api/accounts/invitations",
        {"resident_id": str(world.resident_b1.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_legacy_household_codes_stop_working(world, worker_a, actor_of):
    # A code issued before codes were bound to a member (no resident) is refused.
    Invitation.objects.create(
        household=world.household_a1,
        code_hash=services._code_hash("ABCD-EFGH-JKLM"),
        issued_by=worker_a,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    with pytest.raises(DomainError):
        services.resident_account_activate(code="ABCD-EFGH-JKLM", phone="13800000002", password=NEW)
    assert not RoleAssignment.objects.filter(role=Role.RESIDENT).exists()
