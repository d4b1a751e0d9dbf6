"""A message that carries a secret (the self-service sign-in code): the code reaches the phone
by text message and nowhere else — no table row holds it, neither the inbox nor the record of
sends — and it goes out once even if the task runs twice, retried without ever being stored."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.utils import timezone

from linli.accounts import services as accounts
from linli.core.notify import Message, publish
from linli.notify import delivery
from linli.notify.channels import SendError
from linli.notify.models import Delivery, DeliveryStatus, Notification, SendAttempt

CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


def rows_holding(text: str) -> list[str]:
    """Every row of every table whose values contain `text` (or it without dashes)."""
    needles = {text, text.replace("-", "")}
    found = []
    for model in apps.get_models():
        for row in model._default_manager.values_list():
            flat = " ".join(str(v) for v in row)
            if any(n in flat for n in needles):
                found.append(f"{model._meta.db_table}: {flat[:120]}")
    return found


@pytest.fixture
def resident_with_password(resident_user):
    resident_user.set_password("Old-Password-2026!")
    resident_user.save()
    return resident_user


def test_the_sign_in_code_is_texted_and_stored_nowhere(
    resident_with_password, sms, django_capture_on_commit_callbacks, english
):
    with django_capture_on_commit_callbacks(execute=True):
        assert accounts.sign_in_code_request(phone="13800000001")
    ((phone, text),) = sms
    code = CODE.search(text).group(0)  # type: ignore[union-attr]
    assert phone == "13800000001"
    assert rows_holding(code) == []
    note = Notification.objects.get(kind="accounts.sign_in_code")
    assert note.title == "A sign-in code was sent to your phone"
    sent = Delivery.objects.get(notification=note)
    assert sent.channel == "sms" and sent.status == DeliveryStatus.SENT
    # The code works (it is checked against its keyed hash).
    user = accounts.resident_password_reset(
        code=code, phone="13800000001", password="New-Password-2026!"
    )
    assert user.check_password("New-Password-2026!")


def secret_message(user_id: int) -> Message:
    return Message(
        key="accounts.sign_in_code:1",
        kind="accounts.sign_in_code",
        user_ids=(user_id,),
        title="A sign-in code was sent to your phone",
        secret="Your code: ABCD-EFGH-JKLM",
        urgent=False,
    )


def test_a_secret_goes_out_once_at_night_even_if_the_task_runs_twice(resident_user, sms):
    publish(secret_message(resident_user.pk))
    sealed = delivery.seal("Your code: ABCD-EFGH-JKLM")
    night = dt.datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    for _run in range(2):
        delivery.deliver_secret("accounts.sign_in_code:1", (resident_user.pk,), sealed, now=night)
    assert sms == [("13800000001", "【邻里】Your code: ABCD-EFGH-JKLM")]
    assert rows_holding("ABCD-EFGH-JKLM") == []


def test_a_timed_out_secret_is_retried_by_its_task_never_by_the_retry_sweep(resident_user, sms):
    from linli.notify.channels import OutboxSmsBackend

    publish(secret_message(resident_user.pk))
    sealed = delivery.seal("Your code: ABCD-EFGH-JKLM")
    OutboxSmsBackend.fail_next.append(SendError("aliyun: ReadTimeout: ABCD-EFGH-JKLM"))
    sent, retry_in = delivery.deliver_secret("accounts.sign_in_code:1", (resident_user.pk,), sealed)
    assert (sent, retry_in) == (0, 20)
    failed = Delivery.objects.get()
    assert failed.status == DeliveryStatus.FAILED and failed.next_attempt_at is None
    # The sweep of due retries does not see it (it would text the title without the code).
    assert delivery.due_deliveries(timezone.now() + dt.timedelta(days=1)) == []
    assert rows_holding("ABCD-EFGH-JKLM") == []
    assert "withheld" in SendAttempt.objects.get().detail
    sent, retry_in = delivery.deliver_secret("accounts.sign_in_code:1", (resident_user.pk,), sealed)
    assert (sent, retry_in) == (1, None)
    assert sms == [("13800000001", "【邻里】Your code: ABCD-EFGH-JKLM")]


def test_a_secret_older_than_the_code_is_not_sent(resident_user, sms, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    publish(secret_message(resident_user.pk))
    sealed = delivery.seal("Your code: ABCD-EFGH-JKLM")
    time_machine.shift(delivery.SECRET_TTL + dt.timedelta(minutes=1))
    assert delivery.deliver_secret("accounts.sign_in_code:1", (resident_user.pk,), sealed) == (
        0,
        None,
    )
    assert sms == []
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED
