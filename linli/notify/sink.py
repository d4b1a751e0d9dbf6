"""The sink of `core.notify.publish`: one inbox row per (key, user) in the caller's
transaction, deliveries over the other channels queued after the commit. A message with a
`secret` (a one-time code) goes by SMS only and its secret is never stored."""

from __future__ import annotations

from django.db import transaction

from linli.core.notify import Message
from linli.notify.models import Notification


def rows_for(message: Message) -> list[Notification]:
    title, body = str(message.title)[:200], str(message.body)
    return [
        Notification(
            key=message.key[:200],
            kind=message.kind[:60],
            user_id=user_id,
            title=title,
            body=body,
            url=message.url[:300],
            urgent=message.urgent,
            community_id=message.community_id,
        )
        for user_id in dict.fromkeys(message.user_ids)
    ]


def record(message: Message) -> None:
    """Write the inbox rows now (a repeated key is ignored by the unique constraint), and
    queue the other channels once the caller's transaction commits."""
    Notification.objects.bulk_create(rows_for(message), ignore_conflicts=True)
    from linli.notify import channels, delivery, tasks

    key, user_ids = message.key[:200], tuple(message.user_ids)
    if message.secret:
        # The secret travels to the task sealed (the queue is on disk or in Redis) and is
        # never written to a table: see `delivery.deliver_secret`.
        sealed = delivery.seal(str(message.secret))
        transaction.on_commit(lambda: tasks.deliver_secret(key, user_ids, sealed))
        return
    wanted = channels.channels_for(message)
    if not wanted:
        return
    transaction.on_commit(lambda: tasks.deliver_message(key, user_ids, wanted))
