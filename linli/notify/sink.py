"""The sink of `core.notify.publish`: one inbox row per (key, user) in the caller's
transaction, deliveries over the other channels queued after the commit. A message with a
`secret` (a one-time code) goes by SMS only and its secret is never stored.

Queueing after the commit can fail (Redis down) or never happen (the process killed in
between): the change stands and answers its caller all the same, and the inbox rows carry the
channels still due (`Notification.channels_due`), which the minute's retry hands over when the
queued task did not (`delivery.handovers_lost`)."""

from __future__ import annotations

from django.db import transaction

from linli.core.db import insert
from linli.core.notify import Message
from linli.notify.models import Notification


def rows_for(message: Message, channels_due: tuple[str, ...] = ()) -> list[Notification]:
    title, body = str(message.title)[:200], str(message.body)
    due = ",".join(channels_due)
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
            channels_due=due,
        )
        for user_id in dict.fromkeys(message.user_ids)
    ]


def record(message: Message) -> None:
    """Write the inbox rows now (a repeated key is ignored by the unique constraint), and
    queue the other channels once the caller's transaction commits: a queue that fails is
    logged and never fails the committed change, whose rows say what is still due. A one-time
    code is the exception: nothing can send it later, so the person is told at once."""
    from linli.notify import channels, delivery, tasks

    key, user_ids = message.key[:200], tuple(message.user_ids)
    wanted = () if message.secret else channels.channels_for(message)
    rows = rows_for(message, wanted)
    if len(rows) == 1:  # most messages (a filing's, say) reach one person: one short insert
        insert(rows[0], ignore_conflicts=True)
    else:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if message.secret:
        # The secret travels to the task sealed (the queue is on disk or in Redis) and is
        # never written to a table: see `delivery.deliver_secret`. Not robust: with the
        # queue down the code is never sent, and the person had better see an error and ask
        # again than wait for a text that will not come.
        sealed = delivery.seal(str(message.secret))
        transaction.on_commit(lambda: tasks.deliver_secret(key, user_ids, sealed))
        return
    if wanted:
        transaction.on_commit(lambda: tasks.deliver_message(key, user_ids, wanted), robust=True)
