"""Self-service sign-in help: a one-time code to the resident's own phone through the
notifier, rate-limited, expiring and single use."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from linli.accounts import services
from linli.accounts.models import Invitation
from linli.core.errors import DomainError
from linli.notify.channels import OutboxSmsBackend


@pytest.fixture
def with_password(resident_user, settings):
    settings.NOTIFY_SMS_BACKEND = "linli.notify.channels.OutboxSmsBackend"
    OutboxSmsBackend.outbox.clear()
    resident_user.set_password("Old-Password-2026!")
    resident_user.save()
    yield resident_user
    OutboxSmsBackend.outbox.clear()


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a code; the text goes out after the commit (huey runs at once in the tests)."""

    def ask(phone: str, **kwargs) -> bool:
        with django_capture_on_commit_callbacks(execute=True):
            return services.sign_in_code_request(phone=phone, **kwargs)

    return ask


def code_sent(user) -> str:
    """The code in the last text message (the only place it exists in clear)."""
    _phone, text = OutboxSmsBackend.outbox[-1]
    found = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", text)
    assert found, text
    return found.group(0)


def test_a_code_reaches_the_residents_phone_and_resets_the_password_once(
    with_password, ask, english
):
    assert ask("13800000001", client_address="10.0.0.1")
    code = code_sent(with_password)
    user = services.resident_password_reset(
        code=code, phone="13800000001", password="New-Password-2026!"
    )
    assert user.check_password("New-Password-2026!")
    with pytest.raises(DomainError):
        services.resident_password_reset(
            code=code, phone="13800000001", password="Other-Password-2026!"
        )


def test_an_expired_code_does_not_work(with_password, ask, english):
    ask("13800000001")
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError):
        services.resident_password_reset(
            code=code_sent(with_password), phone="13800000001", password="New-Password-2026!"
        )


def test_codes_are_rate_limited_and_unknown_phones_answer_the_same(with_password, ask):
    for _ in range(services.SELF_CODES_PER_HOUR):
        assert ask("13800000001")
    assert not ask("13800000001")
    assert not ask("13911112222")  # nobody's phone
    assert len(OutboxSmsBackend.outbox) == services.SELF_CODES_PER_HOUR
    # Only the newest code is open.
    assert Invitation.objects.filter(used_at=None, revoked_at=None).count() == 1


def test_the_page_never_says_whether_the_phone_has_an_account(client, with_password):
    known = client.post("/accounts/sign-in-code/", {"phone": "13800000001"})
    unknown = client.post("/accounts/sign-in-code/", {"phone": "13911112222"})
    assert known.status_code == unknown.status_code == 302
    assert client.post("/accounts/sign-in-code/", {"phone": "abc"}).status_code == 200
