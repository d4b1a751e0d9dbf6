"""Writing the audit trail. Call `audit_record` inside the service's transaction so that the
change and its record commit or roll back together."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from linli.core.db import insert
from linli.core.models import AuditEvent
from linli.core.permissions import Actor


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """JSON-safe copy of `fields` of `obj` (callers pass masked personal fields only)."""
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model) or (
            value is not None and not isinstance(value, (str, int, float, bool, list, dict))
        ):
            value = str(value)
        data[name] = value
    return data


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, for compact update records."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_label: str = "",
    community_id: int | None = None,
    field: str = "",
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
        object_label = object_label or str(obj)
    return insert(
        AuditEvent(
            actor_id=actor.user_id,
            actor_label=actor.label[:150],
            token_id=actor.token_id,
            action=action,
            object_type=object_type or "",
            object_id=object_id or "",
            object_label=object_label[:200],
            community_id=community_id,
            field=field,
            reason=reason,
            before=before,
            after=after,
        )
    )
