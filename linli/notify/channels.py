"""The delivery channels behind one interface. The in-app inbox is always written (by the
sink); the others are chosen per message (`Message.channels`, else the kind's default) and
filtered per person (preferences, muted kinds, quiet hours, a phone or a subscription at all).

SMS goes through a pluggable backend (`settings.NOTIFY_SMS_BACKEND`, a dotted path):

- `LogSmsBackend` (default) writes the text to the log — a laptop demo;
- `OutboxSmsBackend` keeps texts in memory — tests;
- `AliyunSmsBackend` sends through Alibaba Cloud's SMS service with its official SDK
  (`alibabacloud-dysmsapi20170525`), configured by `NOTIFY_ALIYUN_SMS` (access key, sign name,
  template code; the template has one variable `${text}`).

Web Push uses `pywebpush` with the VAPID keys of `NOTIFY_VAPID_PRIVATE_KEY`,
`NOTIFY_VAPID_PUBLIC_KEY` and `NOTIFY_VAPID_SUBJECT` (disabled while no key is set).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Protocol, cast

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from linli.core.notify import Message
from linli.notify.models import QUIET_END, QUIET_START

logger = logging.getLogger("linli.notify")

SMS, PUSH = "sms", "push"
KNOWN = (SMS, PUSH)

# Kinds that also go out as a text message by default (the rest: inbox and push only).
DEFAULT_SMS_KINDS = frozenset(
    {
        "hotline.please_rate",
        "hotline.rate_reminder",
        "hotline.assigned",
        "hotline.escalated",
        "hotline.overdue",
        "volunteers.pickup_ready",
        "accounts.sign_in_code",
    }
)


def sms_kinds() -> frozenset[str]:
    return frozenset(getattr(settings, "NOTIFY_SMS_KINDS", DEFAULT_SMS_KINDS))


def channels_for(message: Message) -> tuple[str, ...]:
    """The channels besides the inbox that may carry `message` (people's preferences are
    applied per person when delivering)."""
    if message.channels is not None:
        return tuple(c for c in message.channels if c in KNOWN)
    wanted = [PUSH]
    if message.urgent or message.kind in sms_kinds():
        wanted.append(SMS)
    return tuple(wanted)


def in_quiet_hours(at: dt.datetime, start: dt.time = QUIET_START, end: dt.time = QUIET_END) -> bool:
    """Whether `at` (local time) falls in the quiet hours [start, end), which may span
    midnight (22:00–07:00); equal ends mean no quiet hours."""
    local = timezone.localtime(at).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_end(
    at: dt.datetime, start: dt.time = QUIET_START, end: dt.time = QUIET_END
) -> dt.datetime:
    """The next end of the quiet hours (local) after `at`."""
    local = timezone.localtime(at)
    until = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if until <= local:
        until += dt.timedelta(days=1)
    return until


# --- outcomes ------------------------------------------------------------------------------


class SendError(Exception):
    """A send that failed. `permanent` failures are not retried (a wrong number, a
    subscription that is gone); others are, with back-off."""

    def __init__(self, detail: str, *, permanent: bool = False, gone: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent or gone
        self.gone = gone


# --- SMS ---------------------------------------------------------------------------------------


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send `text` to `phone`; return the provider's message id, raise SendError."""
        ...


class LogSmsBackend:
    def send(self, phone: str, text: str) -> str:
        logger.info("SMS → %s: %s", phone[:3] + "****" + phone[-4:], text)
        return "log"


class OutboxSmsBackend:
    """Keeps texts in memory (`OutboxSmsBackend.outbox`); a test sets `fail_next` to make
    the next sends fail (a timeout, say)."""

    outbox: ClassVar[list[tuple[str, str]]] = []
    fail_next: ClassVar[list[SendError]] = []

    def send(self, phone: str, text: str) -> str:
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.outbox.append((phone, text))
        return f"outbox-{len(self.outbox)}"


@dataclass(frozen=True)
class AliyunSettings:
    access_key_id: str
    access_key_secret: str
    sign_name: str
    template_code: str
    endpoint: str = "dysmsapi.aliyuncs.com"
    timeout_ms: int = 5000


class AliyunSmsBackend:
    """Alibaba Cloud SMS (dysmsapi 2017-05-25) through its official SDK. The SDK's `Client`
    is the boundary the tests mock. Provider codes that mean a bad number or template are
    permanent; throttling and network errors are retried."""

    PERMANENT_CODES = frozenset(
        {
            "isv.MOBILE_NUMBER_ILLEGAL",
            "isv.INVALID_PARAMETERS",
            "isv.SMS_TEMPLATE_ILLEGAL",
            "isv.SMS_SIGNATURE_ILLEGAL",
            "isv.BLACK_KEY_CONTROL_LIMIT",
        }
    )

    def __init__(self) -> None:
        self.conf = AliyunSettings(**getattr(settings, "NOTIFY_ALIYUN_SMS", {}))

    def client(self) -> Any:
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as open_api_models

        config = open_api_models.Config(
            access_key_id=self.conf.access_key_id,
            access_key_secret=self.conf.access_key_secret,
            endpoint=self.conf.endpoint,
            read_timeout=self.conf.timeout_ms,
            connect_timeout=self.conf.timeout_ms,
        )
        return Client(config)

    def send(self, phone: str, text: str) -> str:
        from alibabacloud_dysmsapi20170525 import models as sms_models

        request = sms_models.SendSmsRequest(
            phone_numbers=phone,
            sign_name=self.conf.sign_name,
            template_code=self.conf.template_code,
            template_param=json.dumps({"text": text[:60]}, ensure_ascii=False),
        )
        try:
            response = self.client().send_sms(request)
        except Exception as exc:  # network, timeout, SDK errors: retried
            raise SendError(f"aliyun: {type(exc).__name__}: {exc}"[:300]) from exc
        body = response.body
        if body.code != "OK":
            raise SendError(
                f"aliyun {body.code}: {body.message}"[:300],
                permanent=body.code in self.PERMANENT_CODES,
            )
        return str(body.biz_id or body.request_id or "")


@lru_cache(maxsize=4)
def _backend_class(path: str) -> type[SmsBackend]:
    return cast("type[SmsBackend]", import_string(path))


def sms_backend() -> SmsBackend:
    path = getattr(settings, "NOTIFY_SMS_BACKEND", "linli.notify.channels.LogSmsBackend")
    return _backend_class(path)()


# --- Web Push ----------------------------------------------------------------------------------


def push_configured() -> bool:
    return bool(getattr(settings, "NOTIFY_VAPID_PRIVATE_KEY", ""))


def push_public_key() -> str:
    return str(getattr(settings, "NOTIFY_VAPID_PUBLIC_KEY", ""))


def push_send(endpoint: str, p256dh: str, auth: str, payload: dict[str, str]) -> str:
    """One Web Push message; a 404/410 from the push service means the subscription is gone."""
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=str(getattr(settings, "NOTIFY_VAPID_PRIVATE_KEY", "")),
            vapid_claims={
                "sub": getattr(settings, "NOTIFY_VAPID_SUBJECT", "mailto:ops@linli.local")
            },
            timeout=10,
            ttl=24 * 3600,
        )
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        raise SendError(f"push {status}: {exc.message}"[:300], gone=status in (404, 410)) from exc
    except Exception as exc:
        raise SendError(f"push: {type(exc).__name__}: {exc}"[:300]) from exc
    return "push"
