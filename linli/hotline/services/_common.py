"""Helpers every write of the request desk shares: who acts when nobody does, the request's
history and audit rows, notifications after the commit, stored photos.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from linli.core.audit import audit_record
from linli.core.models import AuditEvent
from linli.core.permissions import Actor
from linli.hotline import routing
from linli.hotline.choices import Transition
from linli.hotline.models import RequestEvent, RequestPhoto, ServiceRequest
from linli.hotline.notifiers import Notification, notify

# Who acts when nobody does: the periodic sweep.
SYSTEM = Actor(user_id=None, label="Linli")


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
    return RequestEvent.objects.create(
        request=req,
        kind=kind,
        public=public,
        at=at or timezone.now(),
        actor_id=actor.user_id,
        actor_label=actor.label[:150],
        text=text,
        data=data or {},
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


def _notify_later(
    req: ServiceRequest,
    kind: str,
    text: str,
    user_id: int | None,
    *,
    name: str = "",
    phone: str = "",
) -> None:
    if not user_id and not name:
        return
    number, public_id = req.number, str(req.public_id)

    def send() -> None:
        # Looked up after the commit: the write transaction stays short.
        recipient, work_phone = name, phone
        if user_id and not (recipient and work_phone):
            user_name, user_phone = routing.user_phone(user_id)
            recipient, work_phone = recipient or user_name, work_phone or user_phone
        notify(
            Notification(
                kind=kind,
                request_number=number,
                request_public_id=public_id,
                text=text,
                recipient_name=recipient,
                user_id=user_id,
                phone=work_phone,
            )
        )

    transaction.on_commit(send)


def _save_photos(
    req: ServiceRequest, checked: list[tuple[UploadedFile[bytes], str, str]], kind: str
) -> None:
    for upload, content_type, ext in checked:
        photo = RequestPhoto(
            request=req, kind=kind, content_type=content_type, size=upload.size or 0
        )
        upload.seek(0)
        photo.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        photo.save()
