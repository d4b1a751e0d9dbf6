"""Issue 8 item 7: wrong passwords slow the guesser, never lock the owner out."""

from __future__ import annotations

import datetime as dt
import logging

import time_machine
from django.core import mail
from django.test import Client

from linli.accounts.models import LoginFailure
from linli.accounts.throttle import ACCOUNT_FREE, ADDRESS_FREE, ALERT_EVERY
from linli.conftest import PASSWORD

ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out(world, admin):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        assert _login(attacker, "admin", "wrong").status_code == 200
    owner = Client(REMOTE_ADDR=OWNER)
    assert _login(owner, "admin", PASSWORD).status_code == 302
    assert _signed_in(owner)


def test_the_guessing_address_is_slowed_even_with_the_right_password(world, admin):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            _login(attacker, "admin", "wrong")
        response = _login(attacker, "admin", PASSWORD)
    assert response.status_code == 200
    assert not _signed_in(attacker)
    [error] = response.context["form"].non_field_errors().as_data()
    assert error.code == "rate_limited"
    # Attempts during the back-off are refused without being checked or logged.
    assert LoginFailure.objects.count() == 5


def test_back_off_doubles_with_each_further_failure(world, admin):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            _login(attacker, "admin", "wrong")
    with time_machine.travel(T0 + dt.timedelta(seconds=61), tick=False):
        _login(attacker, "admin", "wrong")  # checked: the sixth failure, back-off now 2 min
    assert LoginFailure.objects.count() == 6
    with time_machine.travel(T0 + dt.timedelta(seconds=61 + 119), tick=False):
        _login(attacker, "admin", PASSWORD)
        assert not _signed_in(attacker)
    with time_machine.travel(T0 + dt.timedelta(seconds=61 + 121), tick=False):
        assert _login(attacker, "admin", PASSWORD).status_code == 302


def test_failures_are_logged_with_login_and_client_address(world, admin):
    _login(Client(REMOTE_ADDR=ATTACKER), "ADMIN", "wrong")
    failure = LoginFailure.objects.get()
    assert (failure.username_key, failure.client_address, failure.purpose) == (
        "user:admin",
        ATTACKER,
        "login",
    )


def test_the_back_off_ends_after_the_window(world, admin):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel(T0, tick=False):
        for _ in range(12):
            _login(attacker, "admin", "wrong")
    with time_machine.travel(T0 + dt.timedelta(minutes=31), tick=False):
        assert _login(attacker, "admin", PASSWORD).status_code == 302


def test_one_address_spraying_many_logins_is_slowed(world, admin, worker_b):
    sprayer = Client(REMOTE_ADDR=ATTACKER)
    for i in range(ADDRESS_FREE):
        _login(sprayer, f"guess{i}", "wrong")
    _login(sprayer, "worker_b", PASSWORD)
    assert not _signed_in(sprayer)
    assert _login(Client(REMOTE_ADDR=OWNER), "worker_b", PASSWORD).status_code == 302


def test_a_guess_spread_over_many_addresses_slows_new_devices_but_not_the_owners(world, admin):
    known = Client(REMOTE_ADDR=OWNER)
    assert _login(known, "admin", PASSWORD).status_code == 302
    known.post("/accounts/logout/")
    for i in range(ACCOUNT_FREE):
        _login(Client(REMOTE_ADDR=f"203.0.113.{i + 10}"), "admin", "wrong")
    stranger = Client(REMOTE_ADDR="192.0.2.1")
    _login(stranger, "admin", PASSWORD)
    assert not _signed_in(stranger)
    # The browser that signed in before still gets in (even from a new address).
    known.defaults["REMOTE_ADDR"] = "192.0.2.2"
    assert _login(known, "admin", PASSWORD).status_code == 302


def test_a_forged_known_device_cookie_is_ignored(world, admin):
    for i in range(ACCOUNT_FREE):
        _login(Client(REMOTE_ADDR=f"203.0.113.{i + 10}"), "admin", "wrong")
    forger = Client(REMOTE_ADDR="192.0.2.1")
    forger.cookies["linli_device"] = str(admin.pk)
    _login(forger, "admin", PASSWORD)
    assert not _signed_in(forger)


def test_a_burst_on_one_account_alerts_the_operators(world, admin, settings, caplog):
    settings.ADMINS = [("Ops", "ops@example.org")]
    with caplog.at_level(logging.WARNING, logger="linli.security"):
        for i in range(ALERT_EVERY):
            _login(Client(REMOTE_ADDR=f"203.0.113.{i + 10}"), "admin", "wrong")
    alerts = [r for r in caplog.records if r.name == "linli.security"]
    assert len(alerts) == 1
    assert "user:admin" in alerts[0].getMessage()
    assert len(mail.outbox) == 1
    assert "user:admin" in mail.outbox[0].body


def test_the_admin_sign_in_page_is_throttled_the_same_way(world, admin):
    admin.is_staff = True
    admin.save()
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        attacker.post("/admin/login/", {"username": "admin", "password": "wrong"})
    attacker.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert not _signed_in(attacker)
    owner = Client(REMOTE_ADDR=OWNER)
    owner.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert _signed_in(owner)


def test_failures_of_one_login_do_not_slow_another(world, worker_a, worker_b):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        _login(client, "worker_a", "wrong")
    assert _login(client, "worker_b", PASSWORD).status_code == 302
