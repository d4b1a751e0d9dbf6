"""Helpers every write of the request desk shares: who acts when nobody does, the request's
history and audit rows, notifications (core.notify), stored photos.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from linli.accounts.selectors import household_user_ids
from linli.core.audit import audit_record
from linli.core.dates import local_date
from linli.core.db import insert
from linli.core.followups import Followup, request_followup
from linli.core.models import AuditEvent
from linli.core.notify import Message, publish
from linli.core.permissions import Actor, system_actor
from linli.core.photos import store_photo
from linli.hotline.choices import Transition
from linli.hotline.models import RequestEvent, RequestPhoto, ServiceRequest

logger = logging.getLogger("linli.hotline.notify")

# Who acts when nobody does: the periodic sweep.
SYSTEM = system_actor("Linli")


def _event(
    req: ServiceRequest,
    kind: str,
    actor: Actor,
    *,
    text: str = "",
    public: bool = True,
    at: dt.datetime | None = None,
    data: dict[str, Any] | None = None,
) -> RequestEvent:
    return insert(
        RequestEvent(
            request=req,
            kind=kind,
            public=public,
            at=at or timezone.now(),
            actor_id=actor.user_id,
            actor_label=actor.label[:150],
            text=text,
            data=data or {},
        )
    )


def _audit(actor: Actor, req: ServiceRequest, transition: str, before: str, **after: Any) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE
        if transition == Transition.SUBMIT
        else AuditEvent.Action.UPDATE,
        obj=req,
        community_id=req.community_id,
        before={"status": before} if before else None,
        after={"transition": transition, "status": req.status, **after},
    )


def _message_key(req: ServiceRequest, kind: str, user_id: int | None) -> str:
    """The same event about the same request in the same state is one message (a sweep that
    runs twice notifies once); a later round (reopened, escalated further) is a new one."""
    return (
        f"hotline.{kind}:{req.pk}:{req.status}:{req.reopen_count}:{req.escalation_level}"
        f":{user_id or '-'}"
    )


def _notify_later(
    req: ServiceRequest,
    kind: str,
    text: str,
    user_id: int | None,
    *,
    name: str = "",
    phone: str = "",
) -> None:
    """Tell a staff member (`user_id`) that the request needs him, through `core.notify` in
    this transaction (so a rolled-back change notifies nobody and a committed one is never
    lost; the notify domain delivers after the commit). A contact without an account (a
    configured name and phone) is logged for the desk: the notifier reaches people with
    accounts."""
    if not user_id:
        if name:
            number = req.number
            transaction.on_commit(
                lambda: logger.info(
                    "hotline %s #%s → %s (%s, no account): %s", kind, number, name, phone, text
                )
            )
        return
    message = Message(
        key=_message_key(req, kind, user_id),
        kind=f"hotline.{kind}",
        user_ids=(user_id,),
        title=text,
        url=reverse("hotline:request", args=[req.public_id]),
        urgent=kind == "escalated",
        community_id=req.community_id,
    )
    publish(message)


def _notify_residents(req: ServiceRequest, kind: str, title: str, body: str = "") -> None:
    """Tell the household's resident accounts about their request (accepted, at the door,
    resolved: please rate)."""
    if not req.household_id:
        return
    user_ids = household_user_ids(req.household_id)
    if not user_ids:
        return
    publish(
        Message(
            key=_message_key(req, kind, None),
            kind=f"hotline.{kind}",
            user_ids=user_ids,
            title=title,
            body=body,
            url=reverse("hotline:request", args=[req.public_id]),
            community_id=req.community_id,
        )
    )


def _save_photos(
    req: ServiceRequest, checked: list[tuple[UploadedFile[bytes], str, str]], kind: str
) -> None:
    for upload, content_type, ext in checked:
        photo = RequestPhoto(
            request=req, kind=kind, content_type=content_type, size=upload.size or 0
        )
        store_photo(photo.file, upload, ext)
        photo.save()


def _ask_followup(req: ServiceRequest) -> None:
    """A closed request with a household: ask it how it went (`core.followups`; the surveys
    domain sends the questionnaire in this transaction; idempotent per request)."""
    if req.household_id is None:
        return
    request_followup(
        Followup(
            community_id=req.community_id,
            household_id=req.household_id,
            service_line="hotline.request",
            ref=str(req.public_id),
            label=f"{req.number} {req.category.name}",
            url=reverse("hotline:request", args=[req.public_id]),
            on=local_date(req.closed_at) if req.closed_at else None,
        )
    )
