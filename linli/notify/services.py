"""Every write of notifications and notices: publishing a notice and fanning it out to the
inboxes in batches, reading messages, preferences (SMS, push, large type) and push
subscriptions."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts import selectors as accounts
from linli.core.audit import audit_record
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.exporting import XLSX_MIME
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, communities_for
from linli.notify.models import (
    Audience,
    Notice,
    NoticeAttachment,
    Notification,
    Preference,
    PushSubscription,
)
from linli.notify.permissions import PUBLISH
from linli.registry import selectors as registry
from linli.registry.choices import ResidentStatus, Tag
from linli.registry.models import Resident

FAN_OUT_BATCH = 500
FAN_OUT_PREVIEW = 80  # characters of the notice's text kept in each inbox row
ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    XLSX_MIME: "xlsx",
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_MAX = 5


def notice_key(notice_id: int) -> str:
    return f"notify.notice:{notice_id}"


def _check_attachments(files: Sequence[UploadedFile[bytes]]) -> None:
    if len(files) > ATTACHMENTS_MAX:
        raise DomainError(
            _("At most %(n)d attachments.") % {"n": ATTACHMENTS_MAX},
            code=CoreError.INVALID_FILE,
            field="attachments",
        )
    for upload in files:
        if upload.content_type not in ATTACHMENT_TYPES or (upload.size or 0) > ATTACHMENT_MAX_BYTES:
            raise DomainError(
                _("Attach PDF, JPEG, PNG, Word or Excel files of at most 10 MB."),
                code=CoreError.INVALID_FILE,
                field="attachments",
            )


@transaction.atomic
def notice_publish(
    *,
    actor: Actor,
    community_id: int,
    audience: str,
    title: str,
    body: str,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    pinned: bool = False,
    grid_id: int | None = None,
    building_id: int | None = None,
    tag: str = "",
    attachments: Sequence[UploadedFile[bytes]] = (),
) -> Notice:
    """Publish a notice for a community, a grid, a building or a tag group. It reaches the
    inboxes of its residents once it starts (now, or by the periodic task)."""
    if community_id not in communities_for(actor, PUBLISH):
        raise NotFound(_("Not found."))
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(_("Give the notice a title."), code=CoreError.REQUIRED, field="title")
    if not body:
        raise DomainError(_("Write the notice."), code=CoreError.REQUIRED, field="body")
    now = timezone.now()
    starts_at = starts_at or now
    if ends_at is not None and ends_at <= starts_at:
        raise DomainError(
            _("The end must come after the start."), code=CoreError.INVALID_DATE, field="ends_at"
        )
    values: dict[str, Any] = {}
    if audience == Audience.GRID:
        grid = registry.grid_get(actor, grid_id or 0)
        if grid.community_id != community_id:
            raise NotFound(_("Not found."))
        values["grid"] = grid
    elif audience == Audience.BUILDING:
        building = registry.building_get(actor, building_id or 0)
        if building.community_id != community_id:
            raise NotFound(_("Not found."))
        values.update(building=building, grid_id=building.grid_id)
    elif audience == Audience.TAG:
        if tag not in Tag.values:
            raise DomainError(_("Choose a group."), code=CoreError.INVALID_CHOICE, field="tag")
        values["tag"] = tag
    elif audience != Audience.COMMUNITY:
        raise DomainError(
            _("Choose who the notice is for."), code=CoreError.INVALID_CHOICE, field="audience"
        )
    _check_attachments(attachments)
    notice = Notice.objects.create(
        community_id=community_id,
        audience=audience,
        title=title[:120],
        body=body[:10000],
        starts_at=starts_at,
        ends_at=ends_at,
        pinned=pinned,
        created_by_id=actor.user_id or 0,
        **values,
    )
    for upload in attachments:
        attachment = NoticeAttachment(
            notice=notice,
            name=(upload.name or "file")[:200],
            content_type=upload.content_type or "",
            size=upload.size or 0,
        )
        upload.seek(0)
        attachment.file.save(
            f"{notice.public_id.hex}.{ATTACHMENT_TYPES[upload.content_type or '']}",
            upload,
            save=False,
        )
        attachment.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=notice,
        community_id=community_id,
        after={"title": notice.title, "audience": audience, "pinned": pinned},
    )
    if starts_at <= now:
        from linli.notify import tasks

        pk = notice.pk
        # A queue that fails is logged: `notify_notices_due` fans the notice out later.
        transaction.on_commit(lambda: tasks.notice_fan_out(pk), robust=True)
    return notice


@transaction.atomic
def notice_withdraw(*, actor: Actor, public_id: Any) -> Notice:
    from linli.core.permissions import access

    notice = access(actor, PUBLISH, Notice.objects.select_for_update(), public_id=public_id)
    if notice.withdrawn_at is None:
        notice.withdrawn_at = timezone.now()
        notice.save(update_fields=["withdrawn_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=notice,
            community_id=notice.community_id,
            after={"transition": "withdraw"},
        )
    return notice


def audience_q(notice: Notice) -> Q:
    """The residents a notice is for (a filter on Resident)."""
    q = Q(community_id=notice.community_id, status=ResidentStatus.ACTIVE)
    if notice.audience == Audience.GRID:
        q &= Q(household__building__grid_id=notice.grid_id)
    elif notice.audience == Audience.BUILDING:
        q &= Q(household__building_id=notice.building_id)
    elif notice.audience == Audience.TAG:
        q &= registry.tag_q(notice.tag)
    return q


def notice_fan_out(
    notice_id: int, *, batch: int = FAN_OUT_BATCH, timings: list[float] | None = None
) -> int:
    """Write the notice into the inbox of every resident account it is for.

    Each batch of `batch` rows is its own short transaction, its rows built before it opens
    (SQLite's write lock is held for one INSERT of small rows at a time: the inbox keeps a
    one-line preview, the notice page the text; the log is checkpointed between them, outside
    the writers' queue, by the database backend: config/sqlite_queue). Resumable: a run that
    died halfway is run again by `notify_notices_due` (the notice is marked done only at the
    end), and skips the people already reached; a run racing it is stopped by the unique
    (key, user) — nobody twice, nobody lost. Returns the number of recipients; `timings`
    (optional) receives each batch's seconds inside its transaction (the benchmark's
    lock-hold figure)."""
    notice = Notice.objects.filter(
        pk=notice_id, withdrawn_at__isnull=True, starts_at__lte=timezone.now()
    ).first()
    if notice is None:
        return 0
    residents = Resident.objects.filter(audience_q(notice)).values("pk")
    user_ids = list(accounts.resident_user_ids(Q(resident__in=residents)))
    key = notice_key(notice.pk)
    reached = set(Notification.objects.filter(key=key).values_list("user_id", flat=True))
    todo = [uid for uid in user_ids if uid not in reached]
    shared = {
        "key": key,
        "kind": "notify.notice",
        "title": notice.title,
        "body": notice.body[:FAN_OUT_PREVIEW],
        "url": reverse("notify:notice", args=[notice.public_id]),
        "community_id": notice.community_id,
        "created_at": timezone.now(),
    }
    for start in range(0, len(todo), batch):
        rows = [Notification(user_id=uid, **shared) for uid in todo[start : start + batch]]
        started = time.perf_counter()
        with transaction.atomic():
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
        if timings is not None:
            timings.append(time.perf_counter() - started)
    Notice.objects.filter(pk=notice.pk).update(
        fanned_out_at=timezone.now(), recipients=len(user_ids)
    )
    return len(user_ids)


def notices_due_ids(now: dt.datetime) -> list[int]:
    return list(
        Notice.objects.filter(
            fanned_out_at__isnull=True, withdrawn_at__isnull=True, starts_at__lte=now
        )
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .values_list("pk", flat=True)[:100]
    )


# --- the inbox -------------------------------------------------------------------------------


def notification_read(*, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's own messages read (someone else's is a 404)."""
    note = Notification.objects.filter(pk=notification_id, user_id=actor.user_id or 0).first()
    if note is None or actor.user_id is None:
        raise NotFound(_("Not found."))
    if note.read_at is None:
        note.read_at = timezone.now()
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=note.read_at)
    return note


def notifications_read_all(*, actor: Actor) -> int:
    if actor.user_id is None:
        return 0
    return Notification.objects.filter(user_id=actor.user_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notice_mark_read(*, actor: Actor, notice: Notice) -> None:
    """A resident opened a notice: his inbox row is read (created read if the notice reached
    him some other way, so that the notice's read count counts him)."""
    if actor.user_id is None:
        return
    key = notice_key(notice.pk)
    now = timezone.now()
    updated = Notification.objects.filter(
        key=key, user_id=actor.user_id, read_at__isnull=True
    ).update(read_at=now)
    if not updated:
        Notification.objects.bulk_create(
            [
                Notification(
                    key=key,
                    kind="notify.notice",
                    user_id=actor.user_id,
                    title=notice.title,
                    url=reverse("notify:notice", args=[notice.public_id]),
                    community_id=notice.community_id,
                    read_at=now,
                )
            ],
            ignore_conflicts=True,
        )


# --- preferences and push ----------------------------------------------------------------------


PREFERENCE_FIELDS = frozenset(
    {"sms", "push", "large_type", "muted_kinds", "quiet_start", "quiet_end"}
)


@transaction.atomic
def preference_set(*, actor: Actor, **values: Any) -> Preference:
    if actor.user_id is None:
        raise NotFound(_("Not found."))
    allowed = {k: v for k, v in values.items() if k in PREFERENCE_FIELDS}
    if "muted_kinds" in allowed:
        allowed["muted_kinds"] = sorted({str(k)[:80] for k in allowed["muted_kinds"]})[:200]
    pref, _created = Preference.objects.select_for_update().get_or_create(user_id=actor.user_id)
    for name, value in allowed.items():
        setattr(pref, name, value)
    pref.save()
    return pref


def large_type_toggle(*, actor: Actor) -> bool:
    pref = Preference.objects.filter(user_id=actor.user_id or 0).first()
    on = not (pref.large_type if pref else False)
    preference_set(actor=actor, large_type=on)
    return on


@transaction.atomic
def push_subscribe(*, actor: Actor, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    if actor.user_id is None:
        raise NotFound(_("Not found."))
    if not endpoint.startswith("https://") or not p256dh or not auth or len(endpoint) > 500:
        raise DomainError(_("This browser subscription is not valid."), field="endpoint")
    sub, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user_id": actor.user_id, "p256dh": p256dh[:200], "auth": auth[:100]},
    )
    return sub


def push_unsubscribe(*, actor: Actor, endpoint: str) -> int:
    deleted, _rows = PushSubscription.objects.filter(
        user_id=actor.user_id or 0, endpoint=endpoint
    ).delete()
    return deleted
