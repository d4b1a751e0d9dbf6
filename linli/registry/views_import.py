"""Pages of the resident import wizard (upload → preview → result) and the Excel export.

Thin: they check the permission, call `linli.registry.importing` / `exporting` and render.
Anything outside the actor's reach is a 404, as everywhere (DESIGN.md rule 3).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import DomainError, NotFound
from linli.core.forms import add_domain_error
from linli.core.permissions import Actor
from linli.core.web import request_actor, require_perm
from linli.registry import exporting, importing
from linli.registry.models import Community, ImportBatch
from linli.registry.permissions import EXPORT, IMPORT
from linli.registry.views import resident_filters

# The error table on the page stops here; the full list is a download.
ERRORS_ON_PAGE = 500


def _batch(actor: Actor, public_id: UUID) -> ImportBatch:
    try:
        return importing.batch_get(actor, public_id)
    except NotFound as exc:
        raise Http404 from exc


def _xlsx(data: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exporting.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["Cache-Control"] = "no-store"
    return response


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), required=False
    )

    def __init__(self, *args: Any, communities: list[Community], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Community.objects.filter(pk__in=[c.pk for c in communities])
        if len(communities) == 1:
            field.widget = forms.HiddenInput()
            field.initial = communities[0].pk
        else:
            field.required = True


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Step 1: download the template, upload the filled-in file (checked, not yet imported)."""
    actor = request_actor(request)
    require_perm(actor, IMPORT)
    communities = list(importing.import_communities(actor))
    if not communities:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        community = form.cleaned_data.get("community")
        try:
            batch = importing.import_dry_run(
                actor=actor,
                file=upload,
                file_name=upload.name,
                community_id=community.pk if community else None,
            )
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("registry:import_preview", public_id=batch.public_id)
    return render(
        request,
        "registry/import_start.html",
        {
            "form": form,
            "batches": importing.batch_list(actor),
            "columns": importing.COLUMNS,
            "max_rows": importing.MAX_ROWS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require_perm(actor, IMPORT)
    communities = list(importing.import_communities(actor))
    if not communities:
        raise Http404
    data = importing.build_template(communities[0] if len(communities) == 1 else None)
    return _xlsx(data, "residents-template.xlsx")


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
    batch = _batch(request_actor(request), public_id)
    if batch.status == ImportBatch.Status.COMMITTED:
        return redirect("registry:import_result", public_id=batch.public_id)
    return render(request, "registry/import_preview.html", _batch_context(batch))


@login_required
@require_POST
def import_commit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    _batch(actor, public_id)  # 404 before any work for batches outside the actor's reach
    batch = importing.import_commit(actor=actor, batch_public_id=public_id)
    if batch.status == ImportBatch.Status.COMMITTED:
        return redirect("registry:import_result", public_id=batch.public_id)
    return render(request, "registry/import_preview.html", _batch_context(batch), status=400)


@login_required
@require_GET
def import_result(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Step 3: what was imported."""
    batch = _batch(request_actor(request), public_id)
    if batch.status != ImportBatch.Status.COMMITTED:
        return redirect("registry:import_preview", public_id=batch.public_id)
    return render(request, "registry/import_result.html", {"batch": batch})


@login_required
@require_GET
def import_errors(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The complete error table as a spreadsheet, for files with many bad rows."""
    batch = _batch(request_actor(request), public_id)
    return _xlsx(importing.build_error_report(batch), f"import-errors-{batch.public_id}.xlsx")


@login_required
@require_GET
def residents_export(request: HttpRequest) -> HttpResponse:
    """The resident list as filtered on screen, as .xlsx, personal numbers masked."""
    actor = request_actor(request)
    require_perm(actor, EXPORT)
    data, _count = exporting.residents_export(actor=actor, filters=resident_filters(request))
    return _xlsx(data, exporting.export_file_name())
