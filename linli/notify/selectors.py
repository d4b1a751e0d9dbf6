"""Reads of notifications and notices: the inbox, the unread badge, the notices a resident
sees, the community's notices with read counts, and text messages that failed for good."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from linli.core.db import Param, Prepared
from linli.core.errors import NotFound
from linli.core.permissions import Actor, communities_for, for_actor, has_perm
from linli.notify.models import (
    Audience,
    Delivery,
    DeliveryStatus,
    Notice,
    Notification,
    Preference,
)
from linli.notify.permissions import READ_NOTICES, SEE_FAILURES, VIEW_NOTICES
from linli.registry import selectors as registry


def inbox(actor: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=actor.user_id or 0).order_by("-created_at", "-id")


# The header of every signed-in page shows the unread badge and may switch to large type:
# both reads are compiled once (core.db.Prepared), which costs less than Django building them.
_UNREAD = Prepared(
    Notification,
    lambda: (
        Notification.objects.filter(
            user_id=Param("user", Notification, "user"), read_at__isnull=True
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
    ),
)
_LARGE_TYPE = Prepared(
    Preference,
    lambda: (
        Preference.objects.filter(user_id=Param("user", Preference, "user"), large_type=True)
        .order_by()
        .values("pk")[:1]
    ),
)


def unread_count(actor: Actor) -> int:
    if actor.user_id is None:
        return 0
    rows = _UNREAD.rows(user=actor.user_id)
    return int(rows[0]["n"]) if rows else 0


def preference_of(actor: Actor) -> Preference:
    user_id = actor.user_id or 0
    return Preference.objects.filter(user_id=user_id).first() or Preference(user_id=user_id)


def large_type(user_id: int | None) -> bool:
    if user_id is None:
        return False
    return bool(_LARGE_TYPE.rows(user=user_id))


def _key_of_outer_notice() -> Any:
    return Concat(Value("notify.notice:"), Cast(OuterRef("pk"), CharField()))


def _live(now: dt.datetime) -> Q:
    return Q(withdrawn_at__isnull=True, starts_at__lte=now) & (
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )


def notices_for_resident(actor: Actor, *, now: dt.datetime | None = None) -> QuerySet[Notice]:
    """The live notices meant for the signed-in resident: his community's, his grid's, his
    building's, and the tag groups' he was counted in (his inbox holds those), pinned first;
    each with `unread` (he has not opened it). Two queries whatever the number of notices."""
    if not has_perm(actor, READ_NOTICES):
        return Notice.objects.none()
    household = registry.own_household(actor)
    if household is None:
        return Notice.objects.none()
    now = now or timezone.now()
    mine = Notification.objects.filter(user_id=actor.user_id or 0, key=_key_of_outer_notice())
    audience = (
        Q(audience=Audience.COMMUNITY)
        | Q(audience=Audience.GRID, grid_id=household.building.grid_id)
        | Q(audience=Audience.BUILDING, building_id=household.building_id)
        | Q(audience=Audience.TAG, tagged=True)
    )
    return (
        Notice.objects.filter(community_id=household.community_id)
        .filter(_live(now))
        .annotate(
            tagged=Exists(mine),
            read=Exists(mine.filter(read_at__isnull=False)),
        )
        .filter(audience)
        .order_by("-pinned", "-starts_at", "-id")
    )


def notice_list(actor: Actor) -> QuerySet[Notice]:
    """The community's notices for staff, newest first, with recipients and read counts."""
    reads = (
        Notification.objects.filter(key=_key_of_outer_notice(), read_at__isnull=False)
        .order_by()
        .values("key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        for_actor(actor, VIEW_NOTICES, Notice.objects.all())
        .select_related("grid", "building", "created_by")
        .annotate(read_count=Coalesce(Subquery(reads, output_field=IntegerField()), 0))
        .order_by("-pinned", "-starts_at", "-id")
    )


def notice_get(actor: Actor, public_id: Any) -> Notice:
    """A notice for staff in scope, or for a resident it is meant for (else 404)."""
    if has_perm(actor, VIEW_NOTICES):
        notice = notice_list(actor).filter(public_id=public_id).first()
        if notice is not None:
            return notice
    try:
        notice = notices_for_resident(actor).filter(public_id=public_id).first()
    except (ValueError, TypeError):
        notice = None
    if notice is None:
        raise NotFound("Not found.")
    return notice


def publish_communities(actor: Actor, perm: str) -> list[int]:
    return list(communities_for(actor, perm))


def failures(actor: Actor) -> QuerySet[Delivery]:
    """Text messages and pushes that failed after every retry or were cut off during the
    send, in the actor's communities."""
    if not has_perm(actor, SEE_FAILURES):
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(
            status__in=(DeliveryStatus.GAVE_UP, DeliveryStatus.INTERRUPTED),
            notification__community_id__in=list(communities_for(actor, SEE_FAILURES)),
        )
        .select_related("notification", "notification__user")
        .order_by("-created_at")
    )
