"""The sink and the channels: one inbox row per (key, user), in the caller's transaction;
texts and pushes once per channel, preferences, quiet hours, retries with back-off, the record
of every send, and the providers' SDKs mocked at their boundary."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from linli.core.notify import Message, publish
from linli.notify import channels, delivery
from linli.notify.channels import OutboxSmsBackend, SendError
from linli.notify.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    Preference,
    PushSubscription,
    SendAttempt,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = dt.datetime(2026, 11, 30, 12, 0, tzinfo=SHANGHAI)
NIGHT = dt.datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI)


def message(user_ids: tuple[int, ...], key: str = "t:1", **extra: Any) -> Message:
    extra.setdefault("kind", "hotline.please_rate")
    return Message(key=key, user_ids=user_ids, title="请评价", url="/hotline/portal/", **extra)


def test_publishing_twice_keeps_one_message_per_person(resident_user, worker_a):
    with transaction.atomic():
        publish(message((resident_user.pk, worker_a.pk, resident_user.pk)))
        publish(message((resident_user.pk,)))
    assert Notification.objects.filter(key="t:1").count() == 2


def test_a_rolled_back_change_notifies_nobody(resident_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(message((resident_user.pk,)))
        raise RuntimeError("the service failed")
    assert not Notification.objects.exists()


def test_a_text_goes_out_once_even_if_the_task_runs_twice(resident_user, sms):
    publish(message((resident_user.pk,)))
    for _run in range(2):
        delivery.deliver_message("t:1", (resident_user.pk,), ("sms", "push"), now=NOON)
    assert sms == [("13800000001", "【邻里】请评价")]
    sent = Delivery.objects.get(channel="sms")
    assert sent.status == DeliveryStatus.SENT and sent.attempts == 1
    assert SendAttempt.objects.filter(delivery=sent, ok=True).count() == 1
    # No browser subscribed: the push delivery is recorded as not sent, with the reason.
    assert Delivery.objects.get(channel="push").status == DeliveryStatus.SKIPPED


def test_the_default_channels_follow_the_kind(resident_user):
    assert channels.channels_for(message((1,))) == ("push", "sms")
    assert channels.channels_for(message((1,), kind="notify.notice")) == ("push",)
    assert channels.channels_for(message((1,), kind="x.y", urgent=True)) == ("push", "sms")
    assert channels.channels_for(message((1,), channels=("sms", "fax"))) == ("sms",)


def test_someone_who_opted_out_of_texts_gets_none_but_keeps_the_inbox(resident_user, sms):
    Preference.objects.create(user=resident_user, sms=False)
    publish(message((resident_user.pk,)))
    delivery.deliver_message("t:1", (resident_user.pk,), ("sms",), now=NOON)
    assert sms == []
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED
    assert Notification.objects.filter(user=resident_user).count() == 1


def test_quiet_hours_hold_texts_until_seven_unless_urgent(resident_user, sms):
    publish(message((resident_user.pk,)))
    delivery.deliver_message("t:1", (resident_user.pk,), ("sms",), now=NIGHT)
    held = Delivery.objects.get()
    assert sms == [] and held.status == DeliveryStatus.PENDING
    assert held.next_attempt_at == dt.datetime(2026, 12, 1, 7, 0, tzinfo=SHANGHAI)
    assert delivery.due_deliveries(NIGHT + dt.timedelta(hours=1)) == []
    morning = dt.datetime(2026, 12, 1, 7, 1, tzinfo=SHANGHAI)
    assert delivery.attempt_all(delivery.due_deliveries(morning), now=morning) == 1
    assert len(sms) == 1

    publish(message((resident_user.pk,), key="t:urgent", urgent=True))
    delivery.deliver_message("t:urgent", (resident_user.pk,), ("sms",), now=NIGHT)
    assert len(sms) == 2


def test_a_failing_gateway_is_retried_with_back_off_then_shown_to_staff(
    resident_user, sms, admin, client_for, world
):
    OutboxSmsBackend.fail_next.extend(SendError("timeout") for _ in range(4))
    publish(message((resident_user.pk,), community_id=world.community.id))
    delivery.deliver_message("t:1", (resident_user.pk,), ("sms",), now=NOON)
    failed = Delivery.objects.get()
    assert failed.status == DeliveryStatus.FAILED and failed.attempts == 1
    assert failed.next_attempt_at == NOON + delivery.BACKOFF[0]
    now = NOON
    for wait in delivery.BACKOFF:
        now += wait
        delivery.attempt_all(delivery.due_deliveries(now), now=now)
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.GAVE_UP and failed.attempts == delivery.MAX_ATTEMPTS
    assert SendAttempt.objects.filter(delivery=failed, ok=False).count() == 4
    page = client_for(admin).get("/notify/failures/")
    assert page.status_code == 200 and "请评价" in page.content.decode()
    assert sms == []


def test_a_permanent_failure_is_not_retried(resident_user):
    OutboxSmsBackend.fail_next.append(SendError("bad number", permanent=True))
    publish(message((resident_user.pk,)))
    delivery.deliver_message("t:1", (resident_user.pk,), ("sms",), now=NOON)
    assert Delivery.objects.get().status == DeliveryStatus.GAVE_UP


def test_a_push_subscription_the_service_calls_gone_is_removed(resident_user, settings):
    settings.NOTIFY_VAPID_PRIVATE_KEY = "test-key"
    PushSubscription.objects.create(
        user=resident_user, endpoint="https://push.example/gone", p256dh="k", auth="a"
    )
    PushSubscription.objects.create(
        user=resident_user, endpoint="https://push.example/alive", p256dh="k", auth="a"
    )
    from pywebpush import WebPushException

    def fake_webpush(subscription_info: dict[str, Any], **_: Any) -> None:
        if subscription_info["endpoint"].endswith("gone"):
            raise WebPushException("gone", response=SimpleNamespace(status_code=410))

    publish(message((resident_user.pk,)))
    with mock.patch("pywebpush.webpush", side_effect=fake_webpush) as webpush:
        delivery.deliver_message("t:1", (resident_user.pk,), ("push",), now=NOON)
    assert webpush.call_count == 2
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        "https://push.example/alive"
    ]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def aliyun_settings(settings: Any) -> None:
    settings.NOTIFY_ALIYUN_SMS = {
        "access_key_id": "id",
        "access_key_secret": "secret",
        "sign_name": "邻里",
        "template_code": "SMS_1",
    }


def test_the_aliyun_backend_sends_through_the_sdk_client(settings):
    aliyun_settings(settings)
    response = SimpleNamespace(
        body=SimpleNamespace(code="OK", message="OK", biz_id="biz-1", request_id="r")
    )
    with mock.patch("alibabacloud_dysmsapi20170525.client.Client") as client_class:
        client_class.return_value.send_sms.return_value = response
        assert channels.AliyunSmsBackend().send("13800000001", "请评价") == "biz-1"
    request = client_class.return_value.send_sms.call_args.args[0]
    assert request.phone_numbers == "13800000001"
    assert (request.sign_name, request.template_code) == ("邻里", "SMS_1")
    assert '"text": "请评价"' in request.template_param


def test_the_aliyun_backend_turns_provider_errors_into_send_errors(settings):
    aliyun_settings(settings)
    bad_number = SimpleNamespace(
        body=SimpleNamespace(code="isv.MOBILE_NUMBER_ILLEGAL", message="bad", biz_id=None)
    )
    throttled = SimpleNamespace(
        body=SimpleNamespace(code="isv.BUSINESS_LIMIT_CONTROL", message="limit", biz_id=None)
    )
    with mock.patch("alibabacloud_dysmsapi20170525.client.Client") as client_class:
        client_class.return_value.send_sms.side_effect = [bad_number, throttled, TimeoutError()]
        backend = channels.AliyunSmsBackend()
        with pytest.raises(SendError) as first:
            backend.send("1", "x")
        assert first.value.permanent
        with pytest.raises(SendError) as second:
            backend.send("1", "x")
        assert not second.value.permanent
        with pytest.raises(SendError) as third:
            backend.send("1", "x")
        assert not third.value.permanent and "TimeoutError" in third.value.detail


def test_a_gateway_timing_out_never_fails_the_request_and_the_text_is_retried(
    world, worker_a, resident_user, actor_of, django_capture_on_commit_callbacks
):
    from linli.hotline import services as hotline
    from linli.hotline.choices import Status

    hotline.categories_ensure_defaults(actor=hotline.SYSTEM, community_id=world.community.id)
    worker = actor_of(worker_a)
    req = hotline.request_file(
        actor=actor_of(resident_user),
        community_id=world.community.id,
        category_code="water",
        description="水管漏水",
        channel="portal",
        household_public_id=world.household_a1.public_id,
        answers={"extent": "本户"},
    )
    hotline.request_accept(actor=worker, public_id=req.public_id)
    OutboxSmsBackend.fail_next.extend(SendError("aliyun: TimeoutError") for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        req = hotline.request_resolve(actor=worker, public_id=req.public_id, note="修好了")
    assert req.status == Status.RESOLVED
    text = Delivery.objects.get(notification__kind="hotline.please_rate", channel="sms")
    assert text.status in (DeliveryStatus.FAILED, DeliveryStatus.PENDING)  # quiet hours: held
    assert Notification.objects.filter(kind="hotline.please_rate", user=resident_user).exists()
