"""How the desk tells people that a request needs them: pluggable, like Django's e-mail
backends. `settings.HOTLINE_NOTIFIER` names the class (dotted path); the default writes to the
log, which is what a laptop demo needs.

An SMS backend implements `SmsGateway.send_sms(phone, text)` for its provider and is plugged
in through `SmsNotifier`, e.g. in settings::

    HOTLINE_NOTIFIER = "myproject.sms.AliyunSmsNotifier"

where `AliyunSmsNotifier(SmsNotifier)` sets `gateway` to the provider's client. The notifier is
called after the transaction commits, so a rolled-back change never notifies anyone; a failing
gateway is logged and never undoes the change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, Protocol, cast

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("linli.hotline.notify")

DEFAULT_NOTIFIER = "linli.hotline.notifiers.LoggingNotifier"


@dataclass(frozen=True)
class Notification:
    """One message about one request to one person (`user_id` when they have an account,
    `phone` a work phone when known)."""

    kind: str
    request_number: str
    request_public_id: str
    text: str
    recipient_name: str = ""
    user_id: int | None = None
    phone: str = ""


class Notifier(Protocol):
    def send(self, notification: Notification) -> None: ...


class LoggingNotifier:
    """Writes each notification to the `linli.hotline.notify` log (the default)."""

    def send(self, notification: Notification) -> None:
        logger.info(
            "hotline %s #%s → %s: %s",
            notification.kind,
            notification.request_number,
            notification.recipient_name or notification.user_id or "-",
            notification.text,
        )


class OutboxNotifier:
    """Keeps notifications in memory (`OutboxNotifier.outbox`), for tests and local checks."""

    outbox: ClassVar[list[Notification]] = []

    def send(self, notification: Notification) -> None:
        self.outbox.append(notification)


class SmsGateway(Protocol):
    """What an SMS provider's client must offer."""

    def send_sms(self, phone: str, text: str) -> None: ...


class SmsNotifier:
    """Sends a text to the recipient's work phone through `gateway`; notifications without a
    phone go to the log. Subclass and set `gateway` for a provider."""

    gateway: SmsGateway | None = None

    def send(self, notification: Notification) -> None:
        if self.gateway is None or not notification.phone:
            LoggingNotifier().send(notification)
            return
        self.gateway.send_sms(notification.phone, notification.text)


@lru_cache(maxsize=4)
def _notifier_class(path: str) -> type[Notifier]:
    return cast("type[Notifier]", import_string(path))


def get_notifier() -> Notifier:
    path = getattr(settings, "HOTLINE_NOTIFIER", DEFAULT_NOTIFIER)
    return _notifier_class(path)()


def notify(notification: Notification) -> None:
    """Send through the configured notifier; a failure is logged, never raised."""
    try:
        get_notifier().send(notification)
    except Exception:
        logger.exception("notifying about request #%s failed", notification.request_number)
