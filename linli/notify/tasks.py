"""Background work of notifications: deliver a message's other channels (queued by the sink
after the commit), retry due deliveries and take over lost ones every minute, fan out notices
whose start arrived."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from linli.notify import delivery, services


@db_task()
def deliver_message(key: str, user_ids: Iterable[int], wanted: Iterable[str]) -> int:
    """Idempotent: deliveries are unique per (message, channel) and claimed before sending."""
    return delivery.deliver_message(key, tuple(user_ids), tuple(wanted))


@db_task()
def deliver_secret(key: str, user_ids: Iterable[int], sealed: str) -> int:
    """A text carrying a one-time code: sent now; a passing failure is retried by queueing
    this task again (the sealed text lives only in the queue, never in a table), until the
    code would have expired."""
    sent, retry_in = delivery.deliver_secret(key, tuple(user_ids), sealed)
    if retry_in is not None:
        deliver_secret.schedule(args=(key, tuple(user_ids), sealed), delay=retry_in)
    return sent


@db_periodic_task(crontab(minute="*"))
def notify_retry() -> int:
    """Failed sends whose back-off is over, texts held back by the quiet hours, and messages
    whose queued delivery was lost; sends cut off half-way are shown to staff."""
    now = timezone.now()
    delivery.sends_cut_off(now)
    sent = delivery.attempt_all(delivery.due_deliveries(now))
    for key, user_ids, wanted in delivery.handovers_lost(now):
        sent += delivery.deliver_message(key, user_ids, wanted, now=now)
    return sent


@db_task()
def notice_fan_out(notice_id: int) -> int:
    return services.notice_fan_out(notice_id)


@db_periodic_task(crontab(minute="*/5"))
def notify_notices_due() -> int:
    """Notices published for later reach the inboxes when their start arrives."""
    return sum(services.notice_fan_out(pk) for pk in services.notices_due_ids(timezone.now()))
