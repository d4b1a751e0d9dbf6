"""Delivering inbox messages over SMS and Web Push: one `Delivery` per (message, channel),
claimed with a conditional UPDATE so that a task that runs twice sends once; every send is
recorded (`SendAttempt`); failures are retried with back-off and, after the last try, shown
to staff (`notify:failures`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from linli.accounts import selectors as accounts
from linli.core import pii
from linli.core.states import update_if
from linli.notify import channels
from linli.notify.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    Preference,
    PushSubscription,
    SendAttempt,
)

# Waits before the 2nd, 3rd and 4th try; after the 4th failure the send gives up.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=10), dt.timedelta(hours=1))
MAX_ATTEMPTS = len(BACKOFF) + 1
# A sealed secret (a one-time code in the queue) is not sent after this: the code is dead.
SECRET_TTL = dt.timedelta(minutes=15)
SECRET_BACKOFF = (dt.timedelta(seconds=20), dt.timedelta(minutes=1), dt.timedelta(minutes=3))
# How long a queued delivery may take to run before the minute's retry takes it over.
HANDOVER_GRACE = dt.timedelta(minutes=1)
# A send claimed this long ago without an outcome was cut off: its process stopped during the
# provider's call (whose timeouts are seconds).
SEND_GRACE = dt.timedelta(minutes=10)


@dataclass
class Context:
    """What deciding and sending needs for a batch of messages (a constant number of queries
    whatever the number of recipients)."""

    prefs: dict[int, Preference]
    phones: dict[int, str]
    subscriptions: dict[int, list[PushSubscription]]


def _context(user_ids: Iterable[int], wanted: Iterable[str]) -> Context:
    ids = set(user_ids)
    wanted = set(wanted)
    subs: dict[int, list[PushSubscription]] = defaultdict(list)
    if channels.PUSH in wanted and channels.push_configured():
        for sub in PushSubscription.objects.filter(user_id__in=ids):
            subs[sub.user_id].append(sub)
    return Context(
        prefs={p.user_id: p for p in Preference.objects.filter(user_id__in=ids)},
        phones=accounts.user_phones(ids) if channels.SMS in wanted else {},
        subscriptions=subs,
    )


def deliver_message(
    key: str, user_ids: Iterable[int], wanted: Iterable[str], *, now: dt.datetime | None = None
) -> int:
    """Create (once) and attempt the deliveries of message `key` to `user_ids`; returns how
    many sends succeeded. At the end the messages' channels are no longer due: a run that
    died before it is run again by `notify_retry` (`handovers_lost`), and sends nothing twice
    (deliveries are unique per channel and each send is claimed)."""
    wanted = tuple(wanted)
    notes = list(Notification.objects.filter(key=key, user_id__in=set(user_ids)))
    if not notes or not wanted:
        return 0
    Delivery.objects.bulk_create(
        [Delivery(notification=n, channel=c) for n in notes for c in wanted],
        ignore_conflicts=True,
    )
    pending = Delivery.objects.filter(
        notification__in=notes,
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at__isnull=True,
    ).select_related("notification")
    sent = attempt_all(list(pending), now=now)
    Notification.objects.filter(pk__in=[n.pk for n in notes]).exclude(channels_due="").update(
        channels_due=""
    )
    return sent


def handovers_lost(
    now: dt.datetime, limit: int = 500
) -> list[tuple[str, tuple[int, ...], tuple[str, ...]]]:
    """Messages whose queued delivery has not run to its end a minute after they were
    written (the queue was down, or the process died between the commit and the enqueue), as
    (key, user ids, channels) for `deliver_message`, oldest first."""
    rows = (
        Notification.objects.filter(created_at__lte=now - HANDOVER_GRACE)
        .exclude(channels_due="")
        .order_by("created_at")
        .values_list("key", "user_id", "channels_due")[:limit]
    )
    groups: dict[tuple[str, str], list[int]] = {}
    for key, user_id, due in rows:
        groups.setdefault((key, due), []).append(user_id)
    return [(key, tuple(ids), tuple(due.split(","))) for (key, due), ids in groups.items()]


def sends_cut_off(now: dt.datetime, limit: int = 500) -> int:
    """Sends claimed more than `SEND_GRACE` ago that never recorded an outcome: the process
    stopped during the send. Whether the text arrived is unknown, so it is not sent again
    (a person would rather miss one text than get it twice); it is recorded as cut off and
    shown to staff with the failures. Returns how many."""
    ids = list(
        Delivery.objects.filter(
            claimed_at__lte=now - SEND_GRACE,
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED),
        ).values_list("pk", flat=True)[:limit]
    )
    marked = 0
    for pk in ids:
        with transaction.atomic():
            # Conditional: a send that finishes meanwhile keeps its own outcome.
            if update_if(
                Delivery,
                pk=pk,
                where=Q(claimed_at__lte=now - SEND_GRACE),
                status=DeliveryStatus.INTERRUPTED,
                claimed_at=None,
                next_attempt_at=None,
                outcome="",
            ):
                SendAttempt.objects.create(
                    delivery_id=pk, at=now, ok=False, detail="cut off during the send"
                )
                marked += 1
    return marked


def seal(secret: str) -> str:
    """The secret, encrypted (Fernet under the personal-data key) for its trip in the queue."""
    return pii.cipher(settings.PII_KEY).fernet.encrypt(secret.encode()).decode()


def _unseal(sealed: str) -> str | None:
    try:
        fernet = pii.cipher(settings.PII_KEY).fernet
        return fernet.decrypt(sealed.encode(), ttl=int(SECRET_TTL.total_seconds())).decode()
    except (InvalidToken, ValueError):
        return None


def deliver_secret(
    key: str, user_ids: Iterable[int], sealed: str, *, now: dt.datetime | None = None
) -> tuple[int, int | None]:
    """Text the secret of message `key` (SMS only, ignoring quiet hours): once per person
    even if run twice. The text is never stored: the send record holds the provider's answer
    only. Returns (sends that succeeded, seconds before the caller should try again or None);
    the retry never goes through `notify_retry`, which would not have the secret."""
    notes = list(Notification.objects.filter(key=key, user_id__in=set(user_ids)))
    if not notes:
        return 0, None
    Delivery.objects.bulk_create(
        [Delivery(notification=n, channel=channels.SMS) for n in notes], ignore_conflicts=True
    )
    waiting = list(
        Delivery.objects.filter(
            notification__in=notes,
            channel=channels.SMS,
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED),
        ).select_related("notification")
    )
    secret = _unseal(sealed)
    if secret is None:
        for item in waiting:
            _skip(item, "the code expired before it could be sent")
        return 0, None
    now = now or timezone.now()
    ctx = _context({d.notification.user_id for d in waiting}, {channels.SMS})
    sent = sum(attempt(d, ctx, now, secret=secret) for d in waiting)
    failed = Delivery.objects.filter(
        pk__in=[d.pk for d in waiting], status=DeliveryStatus.FAILED
    ).values_list("attempts", flat=True)
    tries = max(failed, default=0)
    if not tries:
        return sent, None
    return sent, int(SECRET_BACKOFF[min(tries, len(SECRET_BACKOFF)) - 1].total_seconds())


def due_deliveries(now: dt.datetime, limit: int = 500) -> list[Delivery]:
    """Deliveries waiting for a retry or for the end of the quiet hours."""
    return list(
        Delivery.objects.filter(
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED), next_attempt_at__lte=now
        )
        .select_related("notification")
        .order_by("next_attempt_at")[:limit]
    )


def attempt_all(deliveries: list[Delivery], *, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    ctx = _context({d.notification.user_id for d in deliveries}, {d.channel for d in deliveries})
    return sum(attempt(d, ctx, now) for d in deliveries)


def _skip(delivery: Delivery, reason: str) -> bool:
    update_if(
        Delivery,
        pk=delivery.pk,
        where=Q(status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED)),
        status=DeliveryStatus.SKIPPED,
        outcome=reason[:300],
        next_attempt_at=None,
    )
    return False


def attempt(
    delivery: Delivery, ctx: Context, now: dt.datetime, *, secret: str | None = None
) -> bool:
    """Decide and, if wanted, send one delivery (`secret`: the text of a one-time code,
    sent as is and never stored). True when it was sent now."""
    note = delivery.notification
    urgent = note.urgent or secret is not None
    pref = ctx.prefs.get(note.user_id)
    muted = set(pref.muted_kinds or []) if pref is not None else set()
    if not urgent and (note.kind in muted or f"{note.kind}:{delivery.channel}" in muted):
        return _skip(delivery, "muted")
    if delivery.channel == channels.SMS:
        if pref is not None and not pref.sms and not urgent:
            return _skip(delivery, "opted out of text messages")
        phone = ctx.phones.get(note.user_id, "")
        if not phone:
            return _skip(delivery, "no phone")
        quiet = (pref.quiet_start, pref.quiet_end) if pref is not None else ()
        if not urgent and channels.in_quiet_hours(now, *quiet):
            later = channels.quiet_hours_end(now, *quiet)
            update_if(
                Delivery,
                pk=delivery.pk,
                where={"status": delivery.status},
                next_attempt_at=later,
                outcome="quiet hours",
            )
            return False
    else:
        if pref is not None and not pref.push:
            return _skip(delivery, "opted out of browser notifications")
        if not ctx.subscriptions.get(note.user_id):
            return _skip(delivery, "no subscription")
    # Claim this attempt: of two runs, one wins; the other leaves it alone.
    claimed = update_if(
        Delivery,
        pk=delivery.pk,
        where={"status": delivery.status, "attempts": delivery.attempts},
        attempts=delivery.attempts + 1,
        next_attempt_at=None,
        claimed_at=now,
    )
    if not claimed:
        return False
    attempts = delivery.attempts + 1
    try:
        if delivery.channel == channels.SMS:
            text = f"【邻里】{secret}"[:300] if secret is not None else _sms_text(note)
            provider_id = channels.sms_backend().send(ctx.phones[note.user_id], text)
        else:
            provider_id = _push(note, ctx.subscriptions[note.user_id])
    except channels.SendError as exc:
        if secret is not None:
            # A provider's error may quote the request: keep its code, not its words.
            exc.detail = exc.detail.split(":", 1)[0] + ": (details withheld: the text held a code)"
        _failed(delivery, attempts, exc, now, held=secret is not None)
        return False
    with transaction.atomic():
        SendAttempt.objects.create(delivery=delivery, at=now, ok=True, detail=provider_id[:300])
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=now, outcome=provider_id[:300], claimed_at=None
        )
    return True


def _sms_text(note: Notification) -> str:
    text = note.title if not note.body else f"{note.title}：{note.body}"
    return f"【邻里】{text}"[:300]


def _push(note: Notification, subs: list[PushSubscription]) -> str:
    """Send to each of the person's browsers; a gone subscription is removed. Succeeds when
    one browser got it; fails (retried) when none did for a passing reason."""
    payload = {"title": note.title, "body": note.body[:200], "url": note.url or "/"}
    sent, errors = 0, []
    for sub in subs:
        try:
            channels.push_send(sub.endpoint, sub.p256dh, sub.auth, payload)
            sent += 1
        except channels.SendError as exc:
            if exc.gone:
                PushSubscription.objects.filter(pk=sub.pk).delete()
            else:
                errors.append(exc)
    if sent:
        return f"push to {sent} browser(s)"
    if errors:
        raise errors[0]
    raise channels.SendError("every subscription is gone", permanent=True)


def _failed(
    delivery: Delivery,
    attempts: int,
    exc: channels.SendError,
    now: dt.datetime,
    *,
    held: bool = False,
) -> None:
    """Record a failed send. `held`: the retry belongs to the caller (a secret's task), so
    `notify_retry` must not pick it up (it would send the text without its secret)."""
    give_up = exc.permanent or attempts >= MAX_ATTEMPTS
    with transaction.atomic():
        SendAttempt.objects.create(delivery=delivery, at=now, ok=False, detail=exc.detail[:300])
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.GAVE_UP if give_up else DeliveryStatus.FAILED,
            next_attempt_at=None if give_up or held else now + BACKOFF[attempts - 1],
            outcome=exc.detail[:300],
            claimed_at=None,
        )
