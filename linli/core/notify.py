"""How a domain tells people something, without importing the notifications domain.

A service calls `publish(Message(...))` inside its own write transaction. The registered sink
(the `notify` domain registers one in its `ready()`) records the message in that same
transaction — so a rolled-back change never notifies anyone and a committed one is never
lost — and delivers it to its channels (in-app inbox, SMS, Web Push) in the background.
Without a sink (a project without the `notify` app) the message goes to the log after commit.

`key` makes delivery idempotent: one message per (key, user) is kept, so publishing the same
event twice (a task that runs twice) delivers it once. Use `"<domain>.<event>:<object id>"`,
e.g. `"hotline.resolved:4711"`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.functional import Promise

logger = logging.getLogger("linli.notify")


@dataclass(frozen=True)
class Message:
    key: str
    kind: str  # "<domain>.<event>", e.g. "hotline.please_rate"; users' preferences use it
    user_ids: tuple[int, ...]
    title: str | Promise
    body: str | Promise = ""
    url: str = ""
    urgent: bool = False  # urgent messages ignore quiet hours
    community_id: int | None = None
    # Which channels besides the in-app inbox may carry it ("sms", "push"); None = the notify
    # domain's default for the kind (`settings.NOTIFY_SMS_KINDS`; push for every kind).
    channels: tuple[str, ...] | None = None
    # A text message carrying a secret (a one-time sign-in code): sent by SMS only, right away
    # (as if urgent), and never stored — the inbox row and the send records keep `title` and
    # `body`, which must not contain the secret (say "a code was sent to your phone").
    secret: str | Promise = ""


Sink = Callable[[Message], None]

_SINKS: list[Sink] = []


def register_sink(sink: Sink) -> None:
    if sink not in _SINKS:
        _SINKS.append(sink)


def publish(message: Message) -> None:
    """Hand `message` to every registered sink (in the caller's transaction)."""
    if not message.user_ids:
        return
    if not _SINKS:
        transaction.on_commit(
            lambda: logger.info("%s → %s: %s", message.kind, message.user_ids, message.title)
        )
        return
    for sink in _SINKS:
        sink(message)
