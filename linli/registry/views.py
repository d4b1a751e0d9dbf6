"""Registry pages: browse grid → building → unit → household → resident, search, profiles,
move-in / move-out forms and the reveal dialog. Views parse input, call selectors/services and
render; domain errors become form errors."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linli.core import pii
from linli.core.exporting import xlsx_response
from linli.core.forms import submit
from linli.core.permissions import Actor, can, has_perm
from linli.core.web import actor_of, query_int
from linli.registry import exporting, lookups, selectors, services
from linli.registry.choices import ResidentStatus, Tag
from linli.registry.forms import (
    HouseholdEditForm,
    HouseholdForm,
    MoveInForm,
    MoveOutForm,
    ResidentEditForm,
    RevealForm,
)
from linli.registry.permissions import (
    CHANGE_HOUSEHOLD,
    CHANGE_RESIDENT,
    EXPORT,
    OWN_RECORD,
    REVEAL_PII,
    VIEW_RESIDENT,
)

PAGE_SIZES = (20, 50, 100, 200)


def _htmx(request: HttpRequest) -> bool:
    """An htmx request wants the fragment only (django-htmx sets the same header check)."""
    return request.headers.get("HX-Request") == "true"


def resident_filters(request: HttpRequest) -> selectors.ResidentFilters:
    """The resident list's filters from the query string (shared with the export)."""
    status = request.GET.get("status", ResidentStatus.ACTIVE)
    tag = request.GET.get("tag", "")
    return selectors.ResidentFilters(
        q=request.GET.get("q", "").strip()[:50],
        grid_id=query_int(request.GET.get("grid"), minimum=1),
        building_id=query_int(request.GET.get("building"), minimum=1),
        tag=tag if tag in Tag.values else "",
        status=status if status in ResidentStatus.values or status == "" else ResidentStatus.ACTIVE,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each community in the actor's reach with its headline figures (a subdistrict viewer
    sees several side by side; a resident sees his household)."""
    actor = actor_of(request)
    communities = list(selectors.community_list(actor))
    blocks = [(c, selectors.headline_figures(actor, c.id)) for c in communities]
    household = selectors.own_household(actor)
    return render(request, "registry/home.html", {"blocks": blocks, "household": household})


@login_required
def resident_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not has_perm(actor, VIEW_RESIDENT):
        raise Http404
    filters = resident_filters(request)
    page_size = query_int(request.GET.get("size")) or 50
    page_size = page_size if page_size in PAGE_SIZES else 50
    paginator = Paginator(selectors.resident_rows(actor, filters), page_size)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "grids": selectors.grid_choices(actor),
        "tags": Tag.choices,
        "statuses": ResidentStatus.choices,
        "can_export": has_perm(actor, EXPORT),
        "lookup_refused": bool(lookups.full_number(filters.q)) and not lookups.may_look_up(actor),
    }
    template = "registry/_resident_rows.html" if _htmx(request) else "registry/resident_list.html"
    return render(request, template, context)


@login_required
def resident_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    resident = selectors.resident_get(actor, public_id)
    return _resident_page(request, actor, resident)


def _rendered_panels(request: HttpRequest, actor: Actor, resident_id: int) -> list[dict[str, Any]]:
    """Each domain's panel for this resident, rendered with its own template (B1)."""
    return [
        {
            "key": p.key,
            "title": p.title,
            "html": render_to_string(p.template, dict(p.context), request=request),
        }
        for p in selectors.resident_panels(actor, resident_id)
    ]


def _resident_page(
    request: HttpRequest, actor: Actor, resident: Any, *, mine: bool = False
) -> HttpResponse:
    own = actor.resident_id == resident.pk
    return render(
        request,
        "registry/resident_detail.html",
        {
            "resident": resident,
            "panels": _rendered_panels(request, actor, resident.pk),
            "mine": mine,
            "own": own,
            "plain_id": pii.decrypt(resident.citizen_id_encrypted) if own else "",
            "plain_phone": pii.decrypt(resident.phone_encrypted) if own else "",
            "can_reveal": not own and can(actor, REVEAL_PII, resident),
            "can_change": can(actor, CHANGE_RESIDENT, resident),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resident_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    resident = selectors.resident_get(actor, public_id)
    if not can(actor, CHANGE_RESIDENT, resident):
        raise Http404
    form = ResidentEditForm(
        request.POST or None,
        initial=services.resident_form_initial(resident),
        citizen_id_masked=resident.citizen_id_masked,
        phone_masked=resident.phone_masked,
    )
    updated = submit(
        request,
        form,
        lambda _cd: services.resident_update(
            actor=actor,
            resident_public_id=public_id,
            data=services.clean_resident_input(
                form.changes(services.resident_input_from(resident))
            ),
        ),
    )
    if updated:
        messages.success(request, _("Saved."))
        return redirect("registry:resident", public_id=public_id)
    return render(request, "registry/resident_form.html", {"form": form, "resident": resident})


@login_required
@require_http_methods(["GET", "POST"])
def resident_move_out(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    resident = selectors.resident_get(actor, public_id)
    if not can(actor, CHANGE_RESIDENT, resident):
        raise Http404
    form = MoveOutForm(request.POST or None)
    moved = submit(
        request,
        form,
        lambda cd: services.resident_move_out(actor=actor, resident_public_id=public_id, **cd),
    )
    if moved:
        messages.success(request, _("%(name)s has moved out.") % {"name": resident.name})
        return redirect("registry:household", public_id=resident.household.public_id)
    return render(
        request,
        "registry/move_out.html",
        {"form": form, "subject": resident.name, "back": resident.household},
    )


@login_required
@require_http_methods(["GET", "POST"])
def resident_reveal(request: HttpRequest, public_id: UUID, field: str) -> HttpResponse:
    """The reveal dialog: asks for a reason, then shows the full value (audited)."""
    actor = actor_of(request)
    if field not in ("citizen_id", "phone"):
        raise Http404
    resident = selectors.resident_get(actor, public_id)
    if not can(actor, REVEAL_PII, resident):
        raise Http404
    form = RevealForm(request.POST or None)
    value = submit(
        request,
        form,
        lambda cd: services.resident_reveal(
            actor=actor, resident_public_id=public_id, field=field, reason=cd["reason"]
        ),
    )
    template = "registry/_reveal.html" if _htmx(request) else "registry/reveal.html"
    return render(
        request,
        template,
        {"form": form, "resident": resident, "field": field, "value": value or ""},
    )


@login_required
def household_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    household = selectors.household_get(actor, public_id)
    members = list(selectors.household_members(actor, household, include_moved_out=True))
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": [m for m in members if m.status == ResidentStatus.ACTIVE],
            "former": [m for m in members if m.status != ResidentStatus.ACTIVE],
            "can_change": can(actor, CHANGE_HOUSEHOLD, household),
            "can_invite": household.status == "active"
            and can(actor, "accounts.issue_invitation", household),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    household = selectors.household_get(actor, public_id)
    if not can(actor, CHANGE_HOUSEHOLD, household):
        raise Http404
    form = HouseholdEditForm(
        request.POST or None,
        initial={
            "area_m2": household.area_m2,
            "tenure": household.tenure,
            "notes": household.notes,
        },
    )
    updated = submit(
        request,
        form,
        lambda cd: services.household_update(
            actor=actor,
            household_public_id=public_id,
            # An empty area clears it; None would mean "leave unchanged".
            area_m2=cd["area_m2"] if cd["area_m2"] is not None else "",
            tenure=cd["tenure"],
            notes=cd["notes"],
        ),
    )
    if updated:
        messages.success(request, _("Saved."))
        return redirect("registry:household", public_id=public_id)
    return render(request, "registry/household_form.html", {"form": form, "household": household})


@login_required
@require_http_methods(["GET", "POST"])
def household_move_in(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Register a person moving into the household."""
    actor = actor_of(request)
    household = selectors.household_get(actor, public_id)
    if not can(actor, CHANGE_RESIDENT, household):
        raise Http404
    form = MoveInForm(request.POST or None)
    resident = submit(
        request,
        form,
        lambda cd: services.resident_create(
            actor=actor,
            household_public_id=public_id,
            data=services.clean_resident_input(cd),
            moved_in=cd["moved_in"],
            move_in_reason=cd["move_in_reason"],
        ),
    )
    if resident:
        messages.success(request, _("%(name)s has moved in.") % {"name": resident.name})
        return redirect("registry:household", public_id=public_id)
    return render(request, "registry/move_in.html", {"form": form, "household": household})


@login_required
@require_http_methods(["GET", "POST"])
def household_move_out(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    household = selectors.household_get(actor, public_id)
    if not can(actor, CHANGE_HOUSEHOLD, household):
        raise Http404
    form = MoveOutForm(request.POST or None)
    moved = submit(
        request,
        form,
        lambda cd: services.household_move_out(actor=actor, household_public_id=public_id, **cd),
    )
    if moved:
        messages.success(request, _("The household has moved out."))
        return redirect("registry:household", public_id=public_id)
    return render(
        request,
        "registry/move_out.html",
        {"form": form, "subject": household.address, "back": household},
    )


@login_required
def grid_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(request, "registry/grid_list.html", {"grids": selectors.grid_list(actor)})


@login_required
def grid_detail(request: HttpRequest, grid_id: int) -> HttpResponse:
    actor = actor_of(request)
    grid = selectors.grid_get(actor, grid_id)
    return render(
        request,
        "registry/grid_detail.html",
        {"grid": grid, "buildings": selectors.building_list(actor, grid_id)},
    )


@login_required
def building_detail(request: HttpRequest, building_id: int) -> HttpResponse:
    actor = actor_of(request)
    building = selectors.building_get(actor, building_id)
    return render(
        request,
        "registry/building_detail.html",
        {"building": building, "units": selectors.unit_list(actor, building_id)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A staircase's households, and the form to register a new household in it."""
    actor = actor_of(request)
    unit = selectors.unit_get(actor, unit_id)
    can_add = can(actor, CHANGE_HOUSEHOLD, unit)
    form = HouseholdForm(request.POST or None) if can_add else None
    if request.method == "POST" and form is None:
        raise Http404
    household = (
        submit(
            request,
            form,
            lambda cd: services.household_create(actor=actor, unit_id=unit_id, **cd),
        )
        if form is not None
        else None
    )
    if household:
        messages.success(
            request, _("Household %(address)s registered.") % {"address": household.address}
        )
        return redirect("registry:household", public_id=household.public_id)
    return render(
        request,
        "registry/unit_detail.html",
        {
            "unit": unit,
            "households": selectors.household_list(actor, unit_id=unit_id),
            "form": form,
        },
    )


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    """The signed-in resident's whole record ("我的"): his page with every domain's panel."""
    actor = actor_of(request)
    if actor.resident_id is None or not has_perm(actor, OWN_RECORD):
        raise Http404
    resident = selectors.resident_get_by_pk(actor, actor.resident_id)
    return _resident_page(request, actor, resident, mine=True)


@login_required
def my_record_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The resident's record as .xlsx or JSON (PIPL art. 45), audited."""
    actor = actor_of(request)
    if actor.resident_id is None or fmt not in ("xlsx", "json") or not has_perm(actor, OWN_RECORD):
        raise Http404
    export = exporting.export_my_record(actor=actor, fmt=fmt)
    if fmt == "xlsx":
        return xlsx_response(export)
    response = HttpResponse(export.content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
