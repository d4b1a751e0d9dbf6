"""The import's services: the dry run that stores a checked batch, the commit that writes it
(all rows or none), and the reads of batches."""

from __future__ import annotations

import hashlib
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from linli.core import dates
from linli.core.audit import audit_record, snapshot
from linli.core.errors import CoreError, DomainError, NotFound
from linli.core.models import AuditEvent
from linli.core.permissions import Actor, access, communities_for, for_actor
from linli.registry.choices import HouseholdStatus, MoveReason
from linli.registry.errors import RegistryError
from linli.registry.importing.cleaning import CleanRow, clean_rows
from linli.registry.importing.parser import MAX_FILE_BYTES, ParsedFile, parse_workbook
from linli.registry.importing.plan import ImportPlan, chunks, resolve
from linli.registry.importing.spec import RowError
from linli.registry.models import Community, Household, ImportBatch, Residency, Resident
from linli.registry.permissions import IMPORT
from linli.registry.services import HOUSEHOLD_AUDIT_FIELDS, RESIDENT_AUDIT_FIELDS


def import_communities(actor: Actor) -> QuerySet[Community]:
    """Communities the actor may import into."""
    return Community.objects.filter(id__in=list(communities_for(actor, IMPORT))).order_by("name")


def _target_community(actor: Actor, community_id: int | None) -> Community:
    ids = list(communities_for(actor, IMPORT))
    if not ids:
        raise NotFound(_("Not found."))
    if community_id is None:
        if len(ids) > 1:
            raise DomainError(
                _("Choose the community to import into."),
                code=CoreError.REQUIRED,
                field="community",
            )
        community_id = ids[0]
    if community_id not in ids:
        raise NotFound(_("Not found."))
    return Community.objects.get(pk=community_id)


def _apply(batch: ImportBatch, plan: ImportPlan) -> None:
    batch.errors = [e.as_dict() for e in plan.errors]
    batch.total_rows = plan.total_rows
    batch.ok_rows = plan.ok_rows
    batch.error_rows = plan.error_rows
    batch.unchanged_rows = plan.unchanged_rows
    batch.new_households = len(plan.new_households)
    batch.new_residents = len(plan.new_residents)
    batch.status = ImportBatch.Status.FAILED if plan.errors else ImportBatch.Status.PENDING


def import_dry_run(
    *, actor: Actor, file: IO[bytes], file_name: str = "", community_id: int | None = None
) -> ImportBatch:
    """Check an uploaded ledger without touching the registry and keep the result as a batch.

    Not one big transaction on purpose: parsing and checking take seconds for a large file
    and must not hold SQLite's write lock; only saving the batch is a (short) write. A file
    that cannot be read at all raises DomainError; bad rows are reported in the batch.
    """
    community = _target_community(actor, community_id)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            code=CoreError.INVALID_FILE,
            field="file",
        )
    parsed = parse_workbook(data)
    plan = resolve(community, clean_rows(parsed))
    batch = ImportBatch(
        community=community,
        actor_id=actor.user_id,
        actor_label=actor.label[:150],
        file_name=(file_name or "")[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        rows_encrypted=parsed.dump(),
    )
    _apply(batch, plan)
    with transaction.atomic():
        batch.save()
    return batch


def batch_get(actor: Actor, public_id: Any) -> ImportBatch:
    """A batch of a community the actor may import into, or NotFound."""
    return access(
        actor, IMPORT, ImportBatch.objects.select_related("community"), public_id=public_id
    )


def batch_list(actor: Actor, limit: int = 10) -> list[ImportBatch]:
    return list(
        for_actor(actor, IMPORT, ImportBatch.objects.all()).defer("rows_encrypted", "errors")[
            :limit
        ]
    )


def previous_import(batch: ImportBatch) -> ImportBatch | None:
    """An earlier committed import of the very same file into the same community."""
    return (
        ImportBatch.objects.filter(
            community_id=batch.community_id,
            file_sha256=batch.file_sha256,
            status=ImportBatch.Status.COMMITTED,
        )
        .exclude(pk=batch.pk)
        .defer("rows_encrypted", "errors")
        .order_by("-committed_at")
        .first()
    )


def import_commit(*, actor: Actor, batch_public_id: Any) -> ImportBatch:
    """Write a checked batch: all rows or none.

    The rows are cleaned (ID, phone, encryption, pinyin: the slow part) before the
    transaction; inside it the rows are checked again against the registry as it is now,
    because it may have changed since the dry run, and only then written. The batch comes
    back `committed`, or `failed` with its errors (and nothing written). Committing a batch
    again does nothing.
    """
    batch = batch_get(actor, batch_public_id)
    if batch.status == ImportBatch.Status.COMMITTED:
        return batch
    if not batch.rows_encrypted:
        raise DomainError(
            _("This upload can no longer be imported; upload the file again."),
            code=RegistryError.IMPORT_EXPIRED,
        )
    rows = clean_rows(ParsedFile.load(batch.rows_encrypted))
    # Prepare new residents' stored fields outside the lock, from an optimistic check.
    optimistic = resolve(batch.community, rows)
    prepared = {nr.row.number: _stored_fields(nr.row) for nr in optimistic.new_residents}

    with transaction.atomic():
        batch = access(
            actor,
            IMPORT,
            ImportBatch.objects.select_for_update().select_related("community"),
            public_id=batch_public_id,
        )
        if batch.status == ImportBatch.Status.COMMITTED:
            return batch
        plan = resolve(batch.community, rows)
        _apply(batch, plan)
        if plan.errors:
            batch.save()
            return batch
        try:
            with transaction.atomic():
                _write(actor, batch, plan, prepared)
        except IntegrityError:
            batch.status = ImportBatch.Status.FAILED
            batch.errors = [
                RowError(
                    row=0,
                    column="",
                    code=CoreError.CONFLICT,
                    message=_(
                        "Someone registered one of these rooms or citizen ID numbers while "
                        "the import ran. Nothing was imported; check the file again."
                    ),
                ).as_dict()
            ]
            batch.save()
            return batch
        batch.status = ImportBatch.Status.COMMITTED
        batch.committed_at = dates.local_now()
        batch.rows_encrypted = ""  # the registry now holds the data; keep no second copy
        batch.save()
    return batch


def commit_refused_message(batch: ImportBatch) -> str:
    """Why a commit wrote nothing, in one sentence."""
    if batch.error_rows:
        return ngettext(
            "Nothing was imported: %(count)s row has errors.",
            "Nothing was imported: %(count)s rows have errors.",
            batch.error_rows,
        ) % {"count": batch.error_rows}
    if batch.errors:
        return str(batch.errors[0].get("message", ""))
    return _("Nothing was imported.")


def _stored_fields(row: CleanRow) -> dict[str, Any]:
    assert row.data is not None
    return row.data.model_fields()


def _write(
    actor: Actor, batch: ImportBatch, plan: ImportPlan, prepared: dict[int, dict[str, Any]]
) -> None:
    """Bulk-insert the plan and its audit rows (inside the caller's transaction)."""
    community_id = batch.community_id
    new_households = [
        Household(
            community_id=community_id,
            building=nh.building,
            unit=nh.unit,
            room=nh.room,
            floor=nh.floor,
            area_m2=nh.area,
            tenure=nh.tenure,
            status=HouseholdStatus.ACTIVE,
        )
        for nh in plan.new_households.values()
    ]
    Household.objects.bulk_create(new_households, batch_size=500)
    if any(h.pk is None for h in new_households):  # databases that return no ids
        by_key = {
            (h.unit_id, h.room): h.pk
            for h in Household.objects.filter(
                community_id=community_id, status=HouseholdStatus.ACTIVE
            ).only("id", "unit_id", "room")
        }
        for h in new_households:
            h.pk = h.id = by_key[(h.unit_id, h.room)]
    households = dict(plan.households)
    households.update({(h.unit_id, h.room): h for h in new_households})

    residents = []
    for nr in plan.new_residents:
        fields = prepared.get(nr.row.number) or _stored_fields(nr.row)
        residents.append(
            Resident(community_id=community_id, household=households[nr.key], **fields)
        )
    Resident.objects.bulk_create(residents, batch_size=500)
    if any(r.pk is None for r in residents):
        ids: dict[Any, int] = {}
        for chunk in chunks([r.public_id for r in residents]):
            ids.update(Resident.objects.filter(public_id__in=chunk).values_list("public_id", "id"))
        for r in residents:
            r.pk = r.id = ids[r.public_id]

    today = dates.local_today()
    Residency.objects.bulk_create(
        [
            Residency(
                resident=r,
                household=r.household,
                moved_in=today,
                move_in_reason=MoveReason.IMPORT,
            )
            for r in residents
        ],
        batch_size=1000,
    )

    base = {
        "actor_id": actor.user_id,
        "actor_label": actor.label[:150],
        "community_id": community_id,
    }
    events = [
        AuditEvent(
            action=AuditEvent.Action.CREATE,
            object_type=Household._meta.label_lower,
            object_id=str(h.public_id),
            object_label=str(h)[:200],
            reason=MoveReason.IMPORT,
            after=snapshot(h, HOUSEHOLD_AUDIT_FIELDS),
            **base,
        )
        for h in new_households
    ]
    events += [
        AuditEvent(
            action=AuditEvent.Action.MOVE_IN,
            object_type=Resident._meta.label_lower,
            object_id=str(r.public_id),
            object_label=str(r)[:200],
            reason=MoveReason.IMPORT,
            after=snapshot(r, RESIDENT_AUDIT_FIELDS),
            **base,
        )
        for r in residents
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        obj=batch,
        community_id=community_id,
        after={
            "file_name": batch.file_name,
            "file_sha256": batch.file_sha256,
            "rows": plan.total_rows,
            "new_households": len(new_households),
            "new_residents": len(residents),
            "unchanged_rows": plan.unchanged_rows,
        },
    )
