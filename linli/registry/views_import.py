"""Pages of the resident import wizard (upload → preview → result) and the Excel export.

Thin: they check the permission, call `linli.registry.importing` / `exporting` and render.
Anything outside the actor's reach is a 404, as everywhere (DESIGN.md rule 3).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.exporting import xlsx_response
from linli.core.forms import submit
from linli.core.web import actor_of, require_perm
from linli.registry import exporting, importing
from linli.registry.forms import UploadForm
from linli.registry.models import ImportBatch
from linli.registry.permissions import EXPORT, IMPORT
from linli.registry.views import resident_filters

# The error table on the page stops here; the full list is a download.
ERRORS_ON_PAGE = 500
STATUS_TONES: dict[str, str] = {
    ImportBatch.Status.COMMITTED: "green",
    ImportBatch.Status.FAILED: "red",
    ImportBatch.Status.PENDING: "yellow",
}


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Step 1: download the template, upload the filled-in file (checked, not yet imported)."""
    actor = actor_of(request)
    require_perm(actor, IMPORT)
    communities = list(importing.import_communities(actor))
    if not communities:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None, communities=communities)
    batch = submit(
        request,
        form,
        lambda cd: importing.import_dry_run(
            actor=actor,
            file=cd["file"],
            file_name=cd["file"].name,
            community_id=cd["community"].pk if cd.get("community") else None,
        ),
    )
    if batch:
        return redirect("registry:import_preview", public_id=batch.public_id)
    return render(
        request,
        "registry/import_start.html",
        {
            "form": form,
            "batches": [(b, STATUS_TONES[b.status]) for b in importing.batch_list(actor)],
            "columns": importing.COLUMNS,
            "max_rows": importing.MAX_ROWS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
@never_cache
def import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(importing.export_template(actor=actor_of(request)))


def _batch_context(batch: ImportBatch) -> dict[str, Any]:
    return {
        "batch": batch,
        "errors": batch.errors[:ERRORS_ON_PAGE],
        "errors_truncated": len(batch.errors) > ERRORS_ON_PAGE,
        "previous": importing.previous_import(batch),
        "can_commit": batch.status != ImportBatch.Status.COMMITTED and not batch.errors,
    }


@login_required
@require_GET
def import_preview(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Step 2: what the import would do, and every bad row."""
    batch = importing.batch_get(actor_of(request), public_id)
    if batch.status == ImportBatch.Status.COMMITTED:
        return redirect("registry:import_result", public_id=batch.public_id)
    return render(request, "registry/import_preview.html", _batch_context(batch))


@login_required
@require_POST
def import_commit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    importing.batch_get(actor, public_id)  # 404 before any work outside the actor's reach
    batch = importing.import_commit(actor=actor, batch_public_id=public_id)
    if batch.status == ImportBatch.Status.COMMITTED:
        return redirect("registry:import_result", public_id=batch.public_id)
    return render(request, "registry/import_preview.html", _batch_context(batch), status=400)


@login_required
@require_GET
def import_result(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Step 3: what was imported."""
    batch = importing.batch_get(actor_of(request), public_id)
    if batch.status != ImportBatch.Status.COMMITTED:
        return redirect("registry:import_preview", public_id=batch.public_id)
    return render(request, "registry/import_result.html", {"batch": batch})


@login_required
@require_GET
@never_cache
def import_errors(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The complete error table as a spreadsheet, for files with many bad rows."""
    return xlsx_response(
        importing.export_import_errors(actor=actor_of(request), batch_public_id=public_id)
    )


@login_required
@require_GET
@never_cache
def residents_export(request: HttpRequest) -> HttpResponse:
    """The resident list as filtered on screen, as .xlsx, personal numbers masked."""
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    return xlsx_response(exporting.export_residents(actor=actor, filters=resident_filters(request)))
