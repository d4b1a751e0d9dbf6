"""Reads of the audit trail, always from the actor's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from linli.core.audit_permissions import VIEW_AUDIT
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, for_actor


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    object_type: str = ""
    actor: str = ""
    object_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def audit_list(actor: Actor, filters: AuditFilters) -> QuerySet[AuditEvent]:
    qs = for_actor(actor, VIEW_AUDIT, AuditEvent.objects.all())
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.actor:
        qs = qs.filter(actor_label__contains=filters.actor)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.since:
        qs = qs.filter(at__date__gte=filters.since)
    if filters.until:
        qs = qs.filter(at__date__lte=filters.until)
    return qs.order_by("-at", "-id")
