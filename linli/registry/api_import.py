"""Resident import and export over the API (`/api/registry/import/`).

Same services as the pages: upload → dry-run result with every error, then commit. A batch
outside the caller's reach is a 404; a commit that finds bad rows is a 400 carrying them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Field, File, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from linli.core.api import QueryParam
from linli.core.errors import DomainError, NotFound
from linli.core.exporting import xlsx_response
from linli.core.permissions import has_perm
from linli.core.web import MAX_QUERY_INT, actor_of
from linli.registry import exporting, importing
from linli.registry.choices import ResidentStatus, Tag
from linli.registry.errors import RegistryError
from linli.registry.models import ImportBatch
from linli.registry.permissions import EXPORT, IMPORT
from linli.registry.selectors import ResidentFilters

router = Router(tags=["registry import"])


class ImportErrorOut(Schema):
    row: int
    column: str
    code: str
    message: str


class ImportBatchOut(Schema):
    id: UUID
    status: str
    file_name: str
    file_sha256: str
    community_id: int
    created_at: dt.datetime
    committed_at: dt.datetime | None
    total_rows: int
    ok_rows: int
    error_rows: int
    new_households: int
    new_residents: int
    unchanged_rows: int
    errors: list[ImportErrorOut]


def _fields(batch: ImportBatch) -> dict[str, Any]:
    return {
        "id": batch.public_id,
        "status": batch.status,
        "file_name": batch.file_name,
        "file_sha256": batch.file_sha256,
        "community_id": batch.community_id,
        "created_at": batch.created_at,
        "committed_at": batch.committed_at,
        "total_rows": batch.total_rows,
        "ok_rows": batch.ok_rows,
        "error_rows": batch.error_rows,
        "new_households": batch.new_households,
        "new_residents": batch.new_residents,
        "unchanged_rows": batch.unchanged_rows,
        "errors": batch.errors,
    }


def _out(batch: ImportBatch) -> ImportBatchOut:
    return ImportBatchOut(**_fields(batch))


@router.post("/", response=ImportBatchOut, summary="Upload a resident spreadsheet (dry run)")
def upload(
    request: HttpRequest,
    file: File[UploadedFile],
    community_id: int | None = QueryParam(None, ge=1, le=MAX_QUERY_INT),
) -> ImportBatchOut:
    """Checks every row and reports every bad one; writes nothing to the registry."""
    actor = actor_of(request)
    if not has_perm(actor, IMPORT):
        raise NotFound(_("Not found."))
    batch = importing.import_dry_run(
        actor=actor, file=file, file_name=file.name or "", community_id=community_id
    )
    return _out(batch)


class ExportQuery(Schema):
    q: str = ""
    grid: int | None = Field(None, ge=1, le=MAX_QUERY_INT)
    building: int | None = Field(None, ge=1, le=MAX_QUERY_INT)
    tag: str = ""
    status: str = ResidentStatus.ACTIVE


@router.get("/export", summary="The filtered resident list as .xlsx (masked)")
@decorate_view(never_cache)
def export(request: HttpRequest, query: Query[ExportQuery]) -> HttpResponse:
    actor = actor_of(request)
    if not has_perm(actor, EXPORT):
        raise NotFound(_("Not found."))
    filters = ResidentFilters(
        q=query.q.strip()[:50],
        grid_id=query.grid,
        building_id=query.building,
        tag=query.tag if query.tag in Tag.values else "",
        status=query.status if query.status in [*ResidentStatus.values, ""] else "active",
    )
    return xlsx_response(exporting.export_residents(actor=actor, filters=filters))


@router.get("/{uuid:batch_id}", response=ImportBatchOut, summary="A dry run's result")
def batch_detail(request: HttpRequest, batch_id: UUID) -> ImportBatchOut:
    return _out(importing.batch_get(actor_of(request), batch_id))


@router.post(
    "/{uuid:batch_id}/commit",
    response=ImportBatchOut,
    summary="Import a checked batch (all rows or none)",
)
def commit(request: HttpRequest, batch_id: UUID) -> ImportBatchOut:
    """Re-checks the rows against the registry as it is now. Any bad row: 400 with the errors
    in `details.errors`, and nothing written."""
    batch = importing.import_commit(actor=actor_of(request), batch_public_id=batch_id)
    if batch.status != ImportBatch.Status.COMMITTED:
        raise DomainError(
            importing.commit_refused_message(batch),
            code=RegistryError.IMPORT_INVALID,
            details={"batch": _out_json(batch), "errors": batch.errors},
        )
    return _out(batch)


def _out_json(batch: ImportBatch) -> dict[str, Any]:
    data = _out(batch).model_dump(mode="json")
    data.pop("errors")
    return data
