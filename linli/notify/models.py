"""Notifications (one inbox row per message and person), their deliveries over SMS and Web
Push with a record of every attempt, each person's preferences and push subscriptions, and
community notices (公告) with their attachments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.models import PublicIdModel, TimeStampedModel

# Texts wait during the quiet hours unless urgent (each person may move them).
QUIET_START, QUIET_END = dt.time(22, 0), dt.time(7, 0)


class Notification(models.Model):
    """One message in one person's inbox. (`key`, `user`) is unique, so the same event
    published twice lands once."""

    key = models.CharField(_("key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    community_id = models.IntegerField(_("community"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The channels besides the inbox ("push,sms") whose delivery was queued after the commit
    # and has not yet run to its end; blank once it has. Written with the row, so a queue that
    # lost the task (down, or the process killed between the commit and the enqueue) cannot
    # lose the text: `delivery.handovers_lost` finds it for the minute's retry.
    channels_due = models.CharField(_("channels due"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["key", "user"], name="notify_one_per_key_and_user")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notify_inbox"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notify_unread"),
            models.Index(
                fields=["created_at"], condition=~Q(channels_due=""), name="notify_channels_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}: {self.title}"


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    PUSH = "push", _("Web Push")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Failed")
    # The process sending it stopped during the send (killed, the machine restarted): the text
    # may or may not have arrived, so it is not sent again but shown to staff.
    INTERRUPTED = "cut_off", _("Interrupted during the send: may not have arrived")


class Delivery(models.Model):
    """One notification over one channel: at most one per pair (so a task that runs twice
    sends once), with its outcome; failed SMS are retried with back-off, then shown to staff,
    and so is a send whose process stopped half-way."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Set while a send is under way (claimed, no outcome recorded yet).
    claimed_at = models.DateTimeField(_("send started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="notify_one_delivery_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_due"),
            models.Index(
                fields=["claimed_at"],
                name="notify_claimed",
                condition=models.Q(claimed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.notification_id}: {self.status}"


class SendAttempt(models.Model):
    """The record of every send: when, over which channel, and what the provider said."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="sends"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    ok = models.BooleanField(_("succeeded"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'failed'}"


class Preference(models.Model):
    """What one person wants: SMS and Web Push on or off, kinds he muted per channel (the
    inbox always keeps them), his quiet hours, and large type for elders (长辈模式)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sms = models.BooleanField(_("text messages"), default=True)
    push = models.BooleanField(_("browser notifications"), default=True)
    # "<kind>" mutes a kind on every channel, "<kind>:sms" / "<kind>:push" on one.
    muted_kinds = models.JSONField(_("muted kinds"), default=list, blank=True)
    quiet_start = models.TimeField(_("quiet hours from"), default=QUIET_START)
    quiet_end = models.TimeField(_("quiet hours until"), default=QUIET_END)
    large_type = models.BooleanField(_("large type"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class PushSubscription(TimeStampedModel):
    """A browser's Web Push subscription; removed when the push service says it is gone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    endpoint = models.URLField(_("endpoint"), max_length=500, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)


class Audience(models.TextChoices):
    COMMUNITY = "community", _("The whole community")
    GRID = "grid", _("A grid")
    BUILDING = "building", _("A building")
    TAG = "tag", _("A group (tag)")


class Notice(PublicIdModel):
    """A community notice (公告) for the whole community, a grid, a building or a tag group,
    shown between `starts_at` and `ends_at` (open-ended without an end)."""

    community = models.ForeignKey(
        "registry.Community",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    grid = models.ForeignKey(
        "registry.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    building = models.ForeignKey(
        "registry.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tag = models.CharField(_("tag"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    pinned = models.BooleanField(_("pinned"), default=False)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    fanned_out_at = models.DateTimeField(_("delivered to inboxes at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="notify_notice_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["community", "-starts_at"], name="notify_notice_live")]

    def __str__(self) -> str:
        return self.title


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="notices/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
