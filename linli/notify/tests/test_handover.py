"""A text queued after the commit is never lost: when the queue is down (or the process dies
between the commit and the enqueue) the change still answers its caller, and the minute's
retry hands the message's channels over instead of the task that never ran."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.db.models import F

from linli.hotline.models import ServiceRequest
from linli.notify import delivery, tasks
from linli.notify.models import Delivery, DeliveryStatus, Notification, Preference
from linli.testing.outage import queue_down


def _file(client: Any) -> Any:
    return client.post(
        "/api/hotline/requests",
        {"category": "water", "description": "厨房漏水", "answers": {"extent": "本户"}},
        content_type="application/json",
    )


@pytest.fixture
def worker_texted(world: Any, worker_a: Any) -> Any:
    """Grid A's worker (whom a request in grid A is assigned to) with a work phone and no quiet
    hours, so that the text goes out whatever the hour the test runs at; the desk's default
    categories exist."""
    from linli.hotline import services as hotline

    hotline.categories_ensure_defaults(actor=hotline.SYSTEM, community_id=world.community.id)
    worker_a.work_phone = "13900000009"
    worker_a.save(update_fields=["work_phone"])
    Preference.objects.create(user=worker_a, quiet_start=dt.time(0), quiet_end=dt.time(0))
    return worker_a


def _assigned(key: str, user: Any, **extra: Any) -> None:
    """Publish an "assigned" message to `user` and commit it, as a filing does."""
    from django.db import transaction

    from linli.core.notify import Message, publish

    with transaction.atomic():
        publish(
            Message(key=key, kind="hotline.assigned", user_ids=(user.pk,), title="新诉求", **extra)
        )


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_filing_answers_201_and_the_text_goes_out_a_minute_later(
    world, resident_user, worker_texted, client_for, sms, monkeypatch, caplog
):
    queue_down(monkeypatch)
    with caplog.at_level(logging.ERROR):
        response = _file(client_for(resident_user))
    assert response.status_code == 201, response.content
    assert ServiceRequest.objects.filter(public_id=response.json()["id"]).exists()
    assert "Redis is down" in caplog.text  # logged for the operator, not shown to the resident
    note = Notification.objects.get(kind="hotline.assigned", user=worker_texted)
    assert note.channels_due == "push,sms"
    assert not Delivery.objects.exists() and sms == []

    monkeypatch.undo()  # the queue is back
    tasks.notify_retry.call_local()  # within the minute: the queue may still be on it
    assert sms == []
    Notification.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    tasks.notify_retry.call_local()
    assert [phone for phone, _text in sms] == ["13900000009"]
    assert Delivery.objects.get(channel="sms").status == DeliveryStatus.SENT
    note.refresh_from_db()
    assert note.channels_due == ""
    tasks.notify_retry.call_local()  # taken over once: nothing is sent twice
    assert len(sms) == 1


@pytest.mark.django_db(transaction=True)
def test_a_delivered_message_is_no_longer_due(world, resident_user, worker_texted, client_for, sms):
    assert _file(client_for(resident_user)).status_code == 201
    assert [phone for phone, _text in sms] == ["13900000009"]
    assert Notification.objects.get(kind="hotline.assigned").channels_due == ""
    later = Notification.objects.get().created_at + dt.timedelta(minutes=5)
    assert delivery.handovers_lost(later) == []


@pytest.mark.django_db
def test_a_run_that_died_before_its_end_is_taken_over_without_sending_twice(
    world, worker_texted, sms
):
    _assigned("k:1", worker_texted)
    note = Notification.objects.get()
    # The first run sent the text and died before marking the message handed over.
    delivery.deliver_message("k:1", (worker_texted.pk,), ("sms",))
    Notification.objects.filter(pk=note.pk).update(channels_due="push,sms")
    assert len(sms) == 1
    later = note.created_at + dt.timedelta(minutes=2)
    assert delivery.handovers_lost(later) == [("k:1", (worker_texted.pk,), ("push", "sms"))]
    for key, user_ids, wanted in delivery.handovers_lost(later):
        delivery.deliver_message(key, user_ids, wanted, now=later)
    assert len(sms) == 1
    assert Delivery.objects.get(channel="push").status == DeliveryStatus.SKIPPED  # no browser
    assert delivery.handovers_lost(later) == []


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_down_a_one_time_code_is_an_error_the_person_sees(
    world, worker_texted, monkeypatch
):
    """Nothing can send a one-time code later (it is never stored): the caller learns at once."""
    from django.db import transaction

    from linli.core.notify import Message, publish

    queue_down(monkeypatch)
    with pytest.raises(ConnectionError), transaction.atomic():
        publish(
            Message(
                key="code:1",
                kind="accounts.sign_in_code",
                user_ids=(worker_texted.pk,),
                title="登录验证码",
                secret="123456",
            )
        )
    assert Notification.objects.get(key="code:1").channels_due == ""


class Killed(BaseException):
    """The process stopping during the provider's call (kill -9, a restart): nothing after
    it in the process runs."""


@pytest.mark.django_db
def test_a_send_cut_off_half_way_is_shown_to_staff_and_not_sent_twice(
    world, worker_texted, admin, client_for, sms, monkeypatch
):
    from linli.notify.channels import OutboxSmsBackend

    _assigned("k:2", worker_texted, community_id=world.community.id)

    def die(self: Any, phone: str, text: str) -> str:
        raise Killed

    monkeypatch.setattr(OutboxSmsBackend, "send", die)
    with pytest.raises(Killed):
        delivery.deliver_message("k:2", (worker_texted.pk,), ("sms",))
    monkeypatch.undo()
    cut = Delivery.objects.get(channel="sms")
    assert cut.status == DeliveryStatus.PENDING and cut.claimed_at is not None
    # Within the grace the send may still be under way: left alone.
    assert delivery.sends_cut_off(cut.claimed_at + dt.timedelta(minutes=5)) == 0
    later = cut.claimed_at + delivery.SEND_GRACE + dt.timedelta(seconds=1)
    assert delivery.sends_cut_off(later) == 1
    cut.refresh_from_db()
    assert (cut.status, cut.claimed_at) == (DeliveryStatus.INTERRUPTED, None)
    assert [s.ok for s in cut.sends.all()] == [False]
    # Nothing sends it again: the minute's retry, the hand-over and a second sweep.
    Notification.objects.update(created_at=F("created_at") - dt.timedelta(hours=1))
    tasks.notify_retry.call_local()
    assert delivery.sends_cut_off(later + dt.timedelta(hours=1)) == 0
    assert sms == []
    # Staff see it with the failures, with what happened in their words.
    page = client_for(admin).get("/notify/failures/")
    assert page.status_code == 200
    rows = page.content.decode().split('data-testid="failure"')[1:]
    assert len(rows) == 1 and str(DeliveryStatus.INTERRUPTED.label) in rows[0]


@pytest.mark.django_db
def test_a_finished_send_leaves_nothing_claimed(world, worker_texted, sms):
    from linli.notify.channels import OutboxSmsBackend, SendError

    _assigned("k:3", worker_texted)
    OutboxSmsBackend.fail_next.append(SendError("provider busy"))
    delivery.deliver_message("k:3", (worker_texted.pk,), ("sms",))
    failed = Delivery.objects.get(channel="sms")
    assert (failed.status, failed.claimed_at) == (DeliveryStatus.FAILED, None)
    tasks.notify_retry.call_local()
    Delivery.objects.update(next_attempt_at=F("next_attempt_at") - dt.timedelta(hours=1))
    tasks.notify_retry.call_local()
    sent = Delivery.objects.get(channel="sms")
    assert (sent.status, sent.claimed_at, len(sms)) == (DeliveryStatus.SENT, None, 1)
