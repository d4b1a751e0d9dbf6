"""Pages of the request desk: the staff list and phone intake, a request's page with its
actions, the resident portal (phone first), the rates page with its export, the desk's
settings, a scope-checked photo view and the public board. Views parse input, call selectors
and services and render; domain errors become form errors or the error page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TypeVar
from urllib.parse import urlencode
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.accounts.selectors import community_staff_labels, grid_staff_labels
from linli.core import dates
from linli.core.escalation import CONTACT_LEVEL_CHOICES
from linli.core.exporting import xlsx_response
from linli.core.forms import submit
from linli.core.permissions import Actor, communities_for, has_perm
from linli.core.photos import photo_response
from linli.core.roles import Role
from linli.core.web import actor_of, query_int, query_month, require_perm
from linli.hotline import exporting, forms, selectors, services
from linli.hotline.choices import (
    MAX_PHOTOS,
    OPEN_STATUSES,
    REOPEN_WINDOW_DAYS,
    REQUEST_MACHINE,
    Channel,
    DueState,
    Priority,
    Status,
    Transition,
)
from linli.hotline.models import ServiceRequest
from linli.hotline.permissions import (
    EXPORT,
    FILE,
    MANAGE,
    VIEW_INTERNAL,
    VIEW_RATES,
    WORK,
)
from linli.registry.selectors import grid_choices, grid_list, household_members

PAGE_SIZES = (20, 50, 100)
FormT = TypeVar("FormT", bound=django_forms.Form)


def _default_community(actor: Actor, perm: str, wanted: int | None = None) -> int | None:
    ids = list(communities_for(actor, perm))
    if wanted in ids:
        return wanted
    return ids[0] if ids else None


# --- the staff list -------------------------------------------------------------------------


def _request_filters(request: HttpRequest) -> selectors.RequestFilters:
    get = request.GET
    status = get.get("status", "open")
    return selectors.RequestFilters(
        status=status if status in ("open", "", *Status.values) else "open",
        grid_id=query_int(get.get("grid")),
        category_code=get.get("category", "")[:40],
        assignee_id=query_int(get.get("assignee")),
        community_id=query_int(get.get("community")),
        due_state=get.get("due", "") if get.get("due", "") in DueState.values else "",
        month=query_month(get.get("month")),
        overdue_only=get.get("overdue") == "1",
        reopened_only=get.get("reopened") == "1",
        rated=get.get("rated", "")
        if get.get("rated") in ("rated", "satisfied", "unsatisfied", "staff_recorded")
        else "",
        number=get.get("number", "")[:12],
    )


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not has_perm(actor, VIEW_INTERNAL):
        if has_perm(actor, FILE):
            return redirect("hotline:portal")
        raise Http404
    filters = _request_filters(request)
    size = query_int(request.GET.get("size")) or 50
    size = size if size in PAGE_SIZES else 50
    page = Paginator(selectors.request_list_rows(actor, filters), size).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    community_id = _default_community(actor, VIEW_INTERNAL, filters.community_id)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "statuses": Status.choices,
        "due_states": DueState.choices,
        "grids": grid_choices(actor, community_id) if community_id else [],
        "categories": list(selectors.catalogue(community_id)) if community_id else [],
        "can_file": has_perm(actor, WORK),
        "now": timezone.now(),
    }
    return render(request, "hotline/request_list.html", context)


# --- phone intake ---------------------------------------------------------------------------


@login_required
@require_GET
def household_lookup(request: HttpRequest) -> HttpResponse:
    """htmx: the households a typed phone, room code or name points at."""
    actor = actor_of(request)
    if not has_perm(actor, WORK):
        raise Http404
    q = request.GET.get("q", "")
    households = selectors.household_lookup(actor, q)
    return render(
        request,
        "hotline/_lookup.html",
        {"households": households, "q": q.strip()[:50], "phone": _phone_like(q)},
    )


def _phone_like(text: str) -> str:
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    return digits if 7 <= len(digits) <= 12 and len(digits) == len(text.strip()) else ""


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """htmx: open requests of the last 7 days in the same building and category."""
    actor = actor_of(request)
    if not has_perm(actor, WORK):
        raise Http404
    household = selectors.household_for_intake(actor, request.GET.get("household"))
    found: list[ServiceRequest] = []
    if household is not None:
        category = selectors.category_by_code(
            household.community_id, request.GET.get("category", "")
        )
        if category is not None:
            found = list(
                selectors.duplicate_candidates(
                    actor, building_id=household.building_id, category_id=category.pk
                )[:10]
            )
    return render(request, "hotline/_duplicates.html", {"duplicates": found})


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    """Phone intake: find the household by the caller's phone or room, then file."""
    actor = actor_of(request)
    if not has_perm(actor, WORK):
        raise Http404
    household = selectors.household_for_intake(
        actor, request.GET.get("household") or request.POST.get("household")
    )
    community_id = (
        household.community_id
        if household
        else _default_community(actor, WORK, query_int(request.GET.get("community")))
    )
    if community_id is None:
        raise Http404
    catalogue = list(selectors.catalogue(community_id))
    form = forms.PhoneFilingForm(request.POST or None, request.FILES or None, catalogue=catalogue)
    req = submit(
        request,
        form,
        lambda data: services.request_file(
            actor=actor,
            community_id=community_id,
            category_code=data["category"],
            description=data["description"],
            channel=Channel.PHONE,
            household_public_id=household.public_id if household else None,
            location_text=data["location_text"],
            photos=data["photos"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            answers=data["answers"],
        ),
    )
    if req is not None:
        messages.success(request, _("Request %(number)s filed.") % {"number": req.number})
        return redirect("hotline:request", public_id=req.public_id)
    members = list(household_members(actor, household)) if household else []
    errors = forms.error_map(form)
    return render(
        request,
        "hotline/staff_new.html",
        {
            "household": household,
            "members": members,
            "catalogue": catalogue,
            "errors": errors,
            "values": request.POST if request.method == "POST" else QueryDict(),
            "phone": _phone_like(request.GET.get("phone", "")),
            "max_photos": MAX_PHOTOS,
        },
        status=400 if errors else 200,
    )


# --- the resident portal --------------------------------------------------------------------


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not has_perm(actor, FILE):
        raise Http404
    household = selectors.household_for_portal(actor, None)
    rows = list(selectors.portal_requests(actor, household.pk)[:50])
    return render(request, "hotline/portal.html", {"household": household, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def portal_new(request: HttpRequest) -> HttpResponse:
    """The resident files for his household (`?household=` from a warm service card's QR
    code). Staff opening the same link get the phone intake for that household."""
    actor = actor_of(request)
    wanted = request.GET.get("household") or request.POST.get("household")
    if not has_perm(actor, FILE):
        if has_perm(actor, WORK):
            target = reverse("hotline:new")
            return redirect(f"{target}?household={wanted}" if wanted else target)
        raise Http404
    household = selectors.household_for_portal(actor, wanted)
    catalogue = list(selectors.catalogue(household.community_id))
    form = forms.PortalFilingForm(request.POST or None, request.FILES or None, catalogue=catalogue)
    req = submit(
        request,
        form,
        lambda data: services.request_file(
            actor=actor,
            community_id=household.community_id,
            category_code=data["category"],
            description=data["description"],
            channel=Channel.PORTAL,
            household_public_id=household.public_id,
            photos=data["photos"],
            answers=data["answers"],
            description_public=data["description_public"],
        ),
    )
    if req is not None:
        messages.success(
            request,
            _("Thank you. Your request %(number)s has been sent to your grid worker.")
            % {"number": req.number},
        )
        return redirect("hotline:request", public_id=req.public_id)
    errors = forms.error_map(form)
    return render(
        request,
        "hotline/portal_new.html",
        {
            "household": household,
            "catalogue": catalogue,
            "errors": errors,
            "values": request.POST if request.method == "POST" else QueryDict(),
            "max_photos": MAX_PHOTOS,
        },
        status=400 if errors else 200,
    )


# --- one request ----------------------------------------------------------------------------


STEPS = (Status.SUBMITTED, Status.ACCEPTED, Status.ON_SITE, Status.RESOLVED, Status.CLOSED)


@login_required
def request_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    req = selectors.request_get(actor, public_id)
    can = selectors.abilities(actor, req)
    photos = list(selectors.request_photos(actor, req))
    now = timezone.now()
    may_reopen = (
        req.status in (Status.RESOLVED, Status.CLOSED)
        and req.resolved_at is not None
        and now <= req.resolved_at + dt.timedelta(days=REOPEN_WINDOW_DAYS)
    )
    actions = _actions(req, can, may_reopen)
    context: dict[str, Any] = {
        "req": req,
        "can": can,
        "events": list(selectors.request_events(actor, req)),
        "report_photos": [p for p in photos if p.kind == "report"],
        "resolution_photos": [p for p in photos if p.kind == "resolution"],
        "answers": [
            (q["label"], _answer_text(req.answers.get(q["key"])))
            for q in req.category.questions
            if q["key"] in req.answers
        ],
        "steps": [(s, Status(s).label, STEPS.index(s) <= _step_index(req)) for s in STEPS],
        "actions": actions,
        "now": now,
    }
    if "merge" in actions:
        context["duplicates"] = list(
            selectors.duplicate_candidates(
                actor, building_id=req.building_id, category_id=req.category_id, exclude_id=req.pk
            )[:10]
        )
    if "reassign" in actions:
        context["workers"] = grid_staff_labels(
            req.community_id, req.grid_id, exclude_user_id=req.assignee_id
        )
    template = "hotline/request_detail.html" if can.internal else "hotline/portal_detail.html"
    return render(request, template, context)


STAFF_TRANSITIONS = frozenset(
    {Transition.ACCEPT, Transition.CHECK_IN, Transition.RESOLVE, Transition.CLOSE, Transition.MERGE}
)


def _actions(req: ServiceRequest, can: selectors.Abilities, may_reopen: bool) -> frozenset[str]:
    """The buttons of a request's page: the transitions `REQUEST_MACHINE` opens from its
    status, as far as the actor's abilities on it allow (names of `forms.REQUEST_ACTIONS`)."""
    available = set(REQUEST_MACHINE.available(req.status))
    actions: set[str] = set()
    if can.work:
        actions |= {str(t) for t in available & STAFF_TRANSITIONS}
        if Transition.RATE in available:
            actions.add("rate_call")
        if Transition.CANCEL in available:
            actions.add("cancel")
        actions.add("note")
    if can.resident:
        if Transition.RATE in available:
            actions.add("rate")
        if Transition.CANCEL in available:
            actions.add("cancel")
        if Transition.REOPEN in available and may_reopen:
            actions.add("reopen")
    if can.manage and req.status in OPEN_STATUSES:
        actions.add("reassign")
    return frozenset(actions)


def _answer_text(value: Any) -> str:
    return "、".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _step_index(req: ServiceRequest) -> int:
    if req.status in STEPS:
        return STEPS.index(Status(req.status))
    return -1


@login_required
@require_POST
def request_action(request: HttpRequest, public_id: UUID, action: str) -> HttpResponse:
    """Every button on a request's page posts here (`forms.REQUEST_ACTIONS` says which form,
    service and permissions each has); a refusal is shown as a message on the page, whose
    state is reloaded (someone else may have acted first)."""
    actor = actor_of(request)
    entry = forms.REQUEST_ACTIONS.get(action)
    if entry is None:
        raise Http404
    require_perm(actor, *entry.perms)
    selectors.request_get(actor, public_id)  # 404 outside the scope
    form = entry.form(request.POST, request.FILES)
    result = submit(
        request, form, lambda data: entry.service(actor=actor, public_id=public_id, **data)
    )
    if result is None:
        messages.error(request, forms.first_error(form))
    else:
        messages.success(request, entry.done(result))
    return redirect("hotline:request", public_id=public_id)


@login_required
def photo(request: HttpRequest, public_id: UUID) -> FileResponse:
    item = selectors.photo_get(actor_of(request), public_id)
    return photo_response(item.file, item.content_type, max_age=3600)


# --- rates ----------------------------------------------------------------------------------


def _rate_query(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    return {
        "community_id": query_int(get.get("community")),
        "month": query_month(get.get("month")) or dates.this_month(),
        "grid_id": query_int(get.get("grid")),
        "category_code": get.get("category", "")[:40],
        "worker_id": query_int(get.get("worker")),
    }


def _rate_context(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request)
    require_perm(actor, VIEW_RATES)
    query = _rate_query(request)
    tables = selectors.rate_tables(actor, **query)
    return {
        "community": tables.community,
        "communities": tables.communities,
        "month": tables.month,
        "month_value": tables.month.strftime("%Y-%m"),
        "summary": tables.summary,
        "by_grid": tables.by_grid,
        "by_month": tables.by_month,
        "by_category": tables.by_category,
        "grids": tables.grids,
        "categories": tables.categories,
        "grid_id": query["grid_id"],
        "category": query["category_code"],
        "worker_id": query["worker_id"],
        "can_export": has_perm(actor, EXPORT),
    }


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    context = _rate_context(request)
    chart = {
        "grids": [str(g.name if g else _("No grid")) for g, _r in context["by_grid"]],
        "grid_rates": [
            [_pct(r.response_rate), _pct(r.resolution_rate), _pct(r.satisfaction_rate)]
            for _g, r in context["by_grid"]
        ],
        "months": [r.key.strftime("%Y-%m") for r in context["by_month"]],
        "month_rates": [
            [_pct(r.response_rate), _pct(r.resolution_rate), _pct(r.satisfaction_rate)]
            for r in context["by_month"]
        ],
        "labels": [str(_("Response rate")), str(_("Resolution rate")), str(_("Satisfaction rate"))],
    }
    context["chart"] = chart
    context.update(_drill_rows(context))
    query = request.GET.copy()
    context["query"] = query.urlencode()
    return render(request, "hotline/rates.html", context)


def _drill_rows(context: dict[str, Any]) -> dict[str, Any]:
    """Each table row with a link to the requests it counts (the drill-down)."""
    base = reverse("hotline:requests")
    month = context["month_value"]

    # What every link shares, encoded once (a page has ~40 of them).
    shared = QueryDict(mutable=True)
    shared.update({"status": "", "community": context["community"].pk})
    if context["grid_id"]:
        shared["grid"] = context["grid_id"]
    if context["category"]:
        shared["category"] = context["category"]
    if context["worker_id"]:
        shared["assignee"] = context["worker_id"]
    prefix = f"{base}?{shared.urlencode()}"

    def link(**params: Any) -> str:
        own = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return f"{prefix}&{own}" if own else prefix

    no_grid = _("No grid")
    return {
        "grid_rows": [
            {
                "label": g.name if g else no_grid,
                "rates": r,
                "link": link(month=month, grid=r.key),
            }
            for g, r in context["by_grid"]
        ],
        "total_link": link(month=month),
        "month_rows": [
            {
                "label": r.key.strftime("%Y-%m"),
                "rates": r,
                "link": link(month=r.key.strftime("%Y-%m")),
            }
            for r in context["by_month"]
        ],
        "category_rows": [
            {
                "label": c.name if c else "—",
                "rates": r,
                "link": link(month=month, category=c.code if c else ""),
            }
            for c, r in context["by_category"]
        ],
    }


def _pct(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


@login_required
def rates_export(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    return xlsx_response(exporting.export_rates(actor=actor, **_rate_query(request)))


# --- settings -------------------------------------------------------------------------------


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    community_id = _default_community(actor, MANAGE, query_int(request.GET.get("community")))
    if community_id is None:
        raise Http404
    return render(
        request,
        "hotline/settings.html",
        {
            "categories": list(selectors.categories(actor, community_id, active_only=False)),
            "roster": list(selectors.roster(actor, community_id)),
            "contacts": list(selectors.escalation_contacts(actor, community_id)),
            "grids": list(grid_list(actor, community_id)),
            "staff": _staff_of(community_id),
            "levels": CONTACT_LEVEL_CHOICES,
            "weekdays": _weekdays(),
            "community_id": community_id,
        },
    )


def _weekdays() -> list[tuple[int, str]]:
    names = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
    return list(enumerate(str(n) for n in names))


def _staff_of(community_id: int) -> list[tuple[int, str]]:
    return community_staff_labels(
        community_id, (Role.GRID_WORKER, Role.COMMUNITY_ADMIN, Role.PARTY_ORGANISER)
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    actor = actor_of(request)
    category = selectors.category_get(actor, category_id)
    form = forms.CategoryForm(request.POST or None)
    saved = submit(
        request,
        form,
        lambda _data: services.category_update(
            actor=actor, category_id=category.pk, data=form.category_input()
        ),
    )
    if saved is not None:
        messages.success(request, _("Saved."))
        return redirect("hotline:settings")
    error = forms.first_error(form)
    return render(
        request,
        "hotline/category_form.html",
        {
            "category": category,
            "priorities": Priority.choices,
            "questions_json": json.dumps(category.questions, ensure_ascii=False, indent=1),
            "error": error,
            "values": request.POST if request.method == "POST" else None,
        },
        status=400 if error else 200,
    )


def _settings_form(request: HttpRequest, form_class: type[FormT]) -> tuple[Actor, FormT]:
    """A settings form for a community the actor manages (any other is a 404)."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    if query_int(request.POST.get("community")) not in list(communities_for(actor, MANAGE)):
        raise Http404
    return actor, form_class(request.POST)


def _settings_done(request: HttpRequest, form: Any, done: Any, message: str) -> HttpResponse:
    if done is None:
        messages.error(request, forms.first_error(form))
    else:
        messages.success(request, message)
    return redirect("hotline:settings")


@login_required
@require_POST
def categories_setup(request: HttpRequest) -> HttpResponse:
    """A community admin gives his community the default categories (a new community has
    none until he does, or the demo did)."""
    actor, form = _settings_form(request, forms.CommunityForm)
    added = submit(
        request,
        form,
        lambda data: services.categories_ensure_defaults(
            actor=actor, community_id=data["community"]
        ),
    )
    return _settings_done(request, form, added, _("%(n)d categories added.") % {"n": added or 0})


@login_required
@require_POST
def roster_add(request: HttpRequest) -> HttpResponse:
    actor, form = _settings_form(request, forms.RosterForm)
    row = submit(
        request,
        form,
        lambda data: services.duty_add(
            actor=actor,
            community_id=data["community"],
            grid_id=data["grid"],
            user_id=data["user"],
            weekday=data["weekday"],
            is_fallback=data["is_fallback"],
        ),
    )
    return _settings_done(request, form, row, _("Added to the duty roster."))


@login_required
@require_POST
def roster_remove(request: HttpRequest, duty_id: int) -> HttpResponse:
    services.duty_remove(actor=actor_of(request), duty_id=duty_id)
    messages.success(request, _("Removed from the duty roster."))
    return redirect("hotline:settings")


@login_required
@require_POST
def contact_set(request: HttpRequest) -> HttpResponse:
    actor, form = _settings_form(request, forms.ContactForm)
    row = submit(
        request,
        form,
        lambda data: services.escalation_contact_set(
            actor=actor,
            community_id=data["community"],
            grid_id=data["grid"],
            level=data["level"],
            name=data["name"],
            phone=data["phone"],
            user_id=data["user"],
        ),
    )
    return _settings_done(request, form, row, _("Saved."))


# --- the public board -----------------------------------------------------------------------


@require_GET
def board(request: HttpRequest, code: str) -> HttpResponse:
    """A community's public board: no login, no personal data."""
    community = selectors.community_by_code(code)
    if community is None:
        raise Http404
    month = query_month(request.GET.get("month")) or dates.this_month()
    return render(
        request,
        "hotline/board.html",
        {"board": selectors.public_board(community, month)},
    )
