"""Notifications API (`/api/notify/`): the signed-in person's own inbox with its unread count,
marking one message or all of them read. Everyone signed in has an inbox; nobody reads another's
(someone else's message is a 404)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.params.functions import Path as PathParam

from linli.core.api import QueryParam
from linli.core.web import MAX_QUERY_INT, actor_of
from linli.notify import selectors, services
from linli.notify.models import Notification

router = Router(tags=["notify"])


class NotifyMessageOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    urgent: bool
    created_at: dt.datetime
    read: bool

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None


class NotifyInboxOut(Schema):
    unread: int
    count: int
    items: list[NotifyMessageOut]


class NotifyReadAllOut(Schema):
    marked: int
    unread: int


@router.get("/inbox", response=NotifyInboxOut)
def inbox(
    request: HttpRequest,
    unread_only: bool = False,
    page: int = QueryParam(1, ge=1, le=MAX_QUERY_INT),
    page_size: int = QueryParam(30, ge=1, le=100),
) -> dict[str, object]:
    actor = actor_of(request)
    rows = selectors.inbox(actor)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    start = (page - 1) * page_size
    return {
        "unread": selectors.unread_count(actor),
        "count": rows.count(),
        "items": list(rows[start : start + page_size]),
    }


@router.post("/inbox/{notification_id}/read", response=NotifyMessageOut)
def read_one(
    request: HttpRequest, notification_id: int = PathParam(..., ge=1, le=MAX_QUERY_INT)
) -> Notification:
    return services.notification_read(actor=actor_of(request), notification_id=notification_id)


@router.post("/inbox/read-all", response=NotifyReadAllOut)
def read_all(request: HttpRequest) -> dict[str, int]:
    actor = actor_of(request)
    marked = services.notifications_read_all(actor=actor)
    return {"marked": marked, "unread": selectors.unread_count(actor)}
