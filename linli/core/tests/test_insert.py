"""`core.db.insert`: the row it writes is the row `save()` writes, in one statement, and what
`save()` refuses or treats specially (an unsaved related object, a duplicate, an expression,
a model with save signals) it refuses or hands to `save()` alike; with `ignore_conflicts` it
skips a repeated row as `bulk_create` does."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Value, signals
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.core import db, pii
from linli.core.db import insert
from linli.core.models import AuditEvent
from linli.hotline import services
from linli.hotline.models import Category, RequestEvent, ServiceRequest
from linli.notify.models import Notification
from linli.testing.world import World

pytestmark = pytest.mark.django_db

# Columns that differ between any two new rows.
OWN = {"id", "public_id", "created_at", "updated_at", "at"}


def _request_values(world: World) -> dict[str, Any]:
    services.categories_ensure_defaults(actor=services.SYSTEM, community_id=world.community.id)
    category = Category.objects.filter(community=world.community).order_by("id").first()
    assert category is not None
    now = timezone.now()
    household = world.household_a1
    return {
        "community_id": world.community.id,
        "grid_id": world.grid_a.id,
        "building_id": household.building_id,
        "household": household,
        "category": category,
        "priority": category.priority,
        "channel": "phone",
        "submitted_at": now,
        "period_month": now.date().replace(day=1),
        "due_resolve_at": now + dt.timedelta(hours=72),
        "description": "楼道灯坏了",
        "lat": Decimal("32.394000"),
        "long": Decimal("119.421000"),
        "answers": {"floor": "3", "rooms": ["a", "b"]},
        "reporter_phone_encrypted": pii.encrypt("13800000001"),
        "reporter_phone_masked": pii.mask_phone("13800000001"),
    }


def _row(model: Any, pk: int) -> dict[str, Any]:
    row: dict[str, Any] = model.objects.filter(pk=pk).values().get()
    return {k: v for k, v in row.items() if k not in OWN}


def test_a_request_inserted_is_the_row_create_writes_in_one_statement(world: World) -> None:
    values = _request_values(world)
    made = ServiceRequest.objects.create(**values)
    with CaptureQueriesContext(connection) as queries:
        fast = insert(ServiceRequest(**values))
    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT")
    assert fast.pk and fast.pk != made.pk
    assert not fast._state.adding and fast._state.db == "default"
    assert fast.created_at is not None  # auto_now_add, as save() sets it
    assert _row(ServiceRequest, fast.pk) == _row(ServiceRequest, made.pk)
    reread = ServiceRequest.objects.get(pk=fast.pk)
    assert reread.answers == {"floor": "3", "rooms": ["a", "b"]}
    assert pii.decrypt(reread.reporter_phone_encrypted) == "13800000001"
    assert reread.public_id == fast.public_id


def test_an_audit_record_inserted_is_the_row_create_writes(world: World) -> None:
    values = {
        "actor_label": "网格员",
        "action": AuditEvent.Action.UPDATE,
        "object_type": "registry.household",
        "object_id": "42",
        "community_id": world.community.id,
        "before": {"status": "submitted"},
        "after": {"status": "accepted", "n": 2},
    }
    made = AuditEvent.objects.create(**values)
    fast = insert(AuditEvent(**values))
    assert fast.at is not None
    assert _row(AuditEvent, fast.pk) == _row(AuditEvent, made.pk)


def test_an_unsaved_related_object_is_refused_and_nothing_is_written(world: World) -> None:
    unsaved = ServiceRequest(**_request_values(world))
    before = RequestEvent.objects.count()
    with pytest.raises(ValueError, match="unsaved related object"):
        insert(RequestEvent(request=unsaved, kind="submitted", at=timezone.now()))
    assert RequestEvent.objects.count() == before


def test_a_duplicate_fails_and_marks_the_transaction_for_rollback(world: World) -> None:
    values = _request_values(world)
    first = insert(ServiceRequest(**values))
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(ServiceRequest(public_id=first.public_id, **values))
        assert connection.needs_rollback  # as after save(): the block rolls back
    assert ServiceRequest.objects.filter(public_id=first.public_id).count() == 1


def test_an_expression_value_goes_through_save(world: World) -> None:
    event = insert(
        AuditEvent(
            actor_label="x",
            action=AuditEvent.Action.CREATE,
            object_type="t",
            object_id="1",
            community_id=Value(world.community.id),
        )
    )
    assert AuditEvent.objects.get(pk=event.pk).community_id == world.community.id


def test_a_first_insert_with_an_expression_leaves_the_statement_plain(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "_PLANS", {})  # this process's first insert of the model

    def audit(label: Any) -> AuditEvent:
        return insert(
            AuditEvent(actor_label="x", action="create", object_type="t", object_label=label)
        )

    first = audit(Lower(Value("ABC")))
    second = audit("MiXeD")  # not lowered by the first call's expression
    labels = dict(
        AuditEvent.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "object_label")
    )
    assert labels == {first.pk: "abc", second.pk: "MiXeD"}


def test_a_model_with_save_signals_goes_through_save(world: World) -> None:
    seen: list[int] = []

    def listener(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
        seen.append(instance.pk)

    signals.post_save.connect(listener, sender=AuditEvent)
    try:
        event = insert(AuditEvent(actor_label="x", action="create", object_type="t", object_id="1"))
    finally:
        signals.post_save.disconnect(listener, sender=AuditEvent)
    assert seen == [event.pk]


def _inbox_row(world: World, user: Any, title: str) -> Notification:
    return Notification(
        key="hotline.assigned:1",
        kind="hotline.assigned",
        user=user,
        title=title,
        community_id=world.community.id,
        channels_due="sms",
    )


def test_ignoring_conflicts_skips_a_repeated_row_as_bulk_create_does(
    world: World, worker_a: Any
) -> None:
    first = insert(_inbox_row(world, worker_a, "新工单"), ignore_conflicts=True)
    assert first.pk is None and not first._state.adding  # as bulk_create leaves it
    with CaptureQueriesContext(connection) as queries:
        insert(_inbox_row(world, worker_a, "重复"), ignore_conflicts=True)  # same key and user
    assert len(queries) == 1
    rows = list(Notification.objects.filter(user=worker_a).values("title", "channels_due"))
    assert rows == [{"title": "新工单", "channels_due": "sms"}]
