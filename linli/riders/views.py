"""Pages of the workers' station: figures, workers and their visits and meals, the canteen's
day, the summer class (children only for its staff), safety reports (filed from the phone,
verified by the station) and .xlsx exports.

Every form (a button too) is a real Form run through `core.forms.submit`; pages with several
actions keep a table of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import dates
from linli.core.exporting import Export, xlsx_response
from linli.core.forms import submit
from linli.core.permissions import Actor, communities_for, has_perm
from linli.core.photos import photo_response
from linli.core.web import acting_community, actor_of, query_date, require_perm
from linli.hotline.permissions import VIEW_INTERNAL as HOTLINE_VIEW_INTERNAL
from linli.registry import selectors as registry_selectors
from linli.riders import exporting, selectors, services
from linli.riders.choices import EnrolmentStatus, Payment, ReportStatus, WorkerKind
from linli.riders.forms import (
    ActionForm,
    ClassForm,
    EnrolmentForm,
    MealForm,
    RejectForm,
    ReportForm,
    VisitForm,
    WorkerForm,
)
from linli.riders.models import SafetyReport
from linli.riders.permissions import CLASS_STAFF, EXPORT, MANAGE, PORTAL, VIEW

PAGE_SIZE = 50


def _flash(request: HttpRequest, form: forms.Form) -> None:
    """A refused action, shown as a message on the page it returns to."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not has_perm(actor, VIEW):
        if has_perm(actor, CLASS_STAFF):
            return redirect("riders:classes")
        if has_perm(actor, PORTAL):
            return redirect("riders:report_new")
        raise Http404
    blocks = [
        (c, selectors.station_figures(actor, c.id))
        for c in registry_selectors.community_list(actor)
        if c.id in communities_for(actor, VIEW)
    ]
    return render(
        request,
        "riders/home.html",
        {
            "blocks": blocks,
            "can_manage": has_perm(actor, MANAGE),
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
def worker_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    q = request.GET.get("q", "").strip()[:50]
    kind = request.GET.get("kind", "")
    kind = kind if kind in WorkerKind.values else ""
    page = Paginator(selectors.worker_list(actor, q=q, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "riders/worker_list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": WorkerKind.choices,
            "query": query.urlencode(),
            "can_manage": has_perm(actor, MANAGE),
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def worker_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    community_id = acting_community(actor, MANAGE)
    form = WorkerForm(request.POST or None)
    worker = submit(
        request,
        form,
        lambda d: services.worker_register(
            actor=actor,
            community_id=community_id,
            kind=d["kind"],
            platform=d["platform"],
            work_station=d["work_station"],
            resident_public_id=d["resident"],
            name=d["name"],
            phone=d["phone"],
        ),
    )
    if worker:
        messages.success(request, _("Registered."))
        return redirect("riders:worker", public_id=worker.public_id)
    q = request.GET.get("q", "").strip()[:50]
    found = registry_selectors.resident_pick(actor, q, community_id)
    return render(request, "riders/worker_new.html", {"form": form, "q": q, "found": found})


# The worker page's actions: name -> (form, service, message once done).
WORKER_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., object], Promise]] = {
    "visit": (VisitForm, services.visit_record, gettext_lazy("Visit recorded.")),
    "meal": (MealForm, services.meal_record, gettext_lazy("Meal recorded.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def worker_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    worker = selectors.worker_get(actor, public_id)
    can_manage = has_perm(actor, MANAGE) and worker.community_id in communities_for(actor, MANAGE)
    action = request.POST.get("action", "")
    bound = {
        name: form_class(request.POST if action == name else None)
        for name, (form_class, _service, _done) in WORKER_ACTIONS.items()
    }
    if request.method == "POST":
        if not can_manage or action not in WORKER_ACTIONS:
            raise Http404
        _form_class, service, done = WORKER_ACTIONS[action]
        recorded = submit(
            request,
            bound[action],
            lambda d: service(actor=actor, worker_public_id=public_id, **d),
        )
        if recorded is not None:
            messages.success(request, str(done))
            return redirect("riders:worker", public_id=public_id)
    return render(
        request,
        "riders/worker_detail.html",
        {
            "w": worker,
            "visits": selectors.worker_visits(actor, worker)[:20],
            "meals": selectors.worker_meals(actor, worker)[:20],
            "reports": selectors.worker_reports(actor, worker)[:20],
            "visit_form": bound["visit"],
            "meal_form": bound["meal"],
            "can_manage": can_manage,
        },
    )


@login_required
def canteen(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    day = query_date(request.GET.get("day")) or dates.local_today()
    meals = list(selectors.meals_on(actor, day))
    return render(
        request,
        "riders/canteen.html",
        {
            "day": day,
            "prev": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "meals": meals,
            "subsidised": sum(1 for m in meals if m.payment == Payment.SUBSIDISED),
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def classes(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW, CLASS_STAFF)
    form = ClassForm(request.POST or None) if has_perm(actor, MANAGE) else None
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request,
            form,
            lambda d: services.class_create(
                actor=actor, community_id=acting_community(actor, MANAGE), **d
            ),
        )
        is not None
    ):
        messages.success(request, _("Saved."))
        return redirect("riders:classes")
    return render(
        request,
        "riders/classes.html",
        {"classes": selectors.class_list(actor), "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    """The class's dates and places for everyone who may see it; its children only for the
    class staff, who enrol and withdraw them here."""
    actor = actor_of(request)
    summer_class = selectors.class_get(actor, class_id)
    staff = has_perm(actor, CLASS_STAFF) and summer_class.community_id in communities_for(
        actor, CLASS_STAFF
    )
    form = EnrolmentForm(request.POST or None) if staff else None
    if request.method == "POST" and form is None:
        raise Http404
    enrolment = (
        submit(
            request,
            form,
            lambda d: services.enrolment_create(
                actor=actor,
                class_id=summer_class.id,
                worker_public_id=d["worker"],
                child_name=d["child_name"],
                child_birth_date=d["child_birth_date"],
                child_gender=d["child_gender"],
                notes=d["notes"],
            ),
        )
        if form is not None
        else None
    )
    if enrolment is not None:
        if enrolment.status == EnrolmentStatus.WAITLISTED:
            messages.warning(request, _("The class is full: the child is on the waiting list."))
        else:
            messages.success(request, _("Enrolled."))
        return redirect("riders:class", class_id=summer_class.id)
    # One enrolment form per matching parent (the worker is the form's hidden field); after a
    # refused POST the posted parent's form comes back with its errors.
    q = request.GET.get("q", "").strip()[:50]
    posted = form.cleaned_data.get("worker") if form is not None and form.is_bound else None
    parents = []
    if staff and (q or posted):
        matching = selectors.parents_matching(actor, summer_class, q)
        if posted:
            matching = matching.filter(public_id=posted)
        parents = [
            (p, form if posted == p.public_id else EnrolmentForm(initial={"worker": p.public_id}))
            for p in matching[:10]
        ]
    return render(
        request,
        "riders/class_detail.html",
        {
            "c": summer_class,
            "staff": staff,
            "enrolments": selectors.enrolments(actor, summer_class) if staff else None,
            "form": form,
            "q": q,
            "parents": parents,
        },
    )


@login_required
@require_POST
def enrolment_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    enrolment = selectors.enrolment_get(actor, public_id)
    form = ActionForm(request.POST)
    if submit(
        request,
        form,
        lambda _d: services.enrolment_withdraw(actor=actor, enrolment_public_id=public_id),
    ):
        messages.success(request, _("Withdrawn."))
    else:
        _flash(request, form)
    return redirect("riders:class", class_id=enrolment.summer_class_id)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    status = request.GET.get("status", "")
    status = status if status in ReportStatus.values else ""
    page = Paginator(selectors.report_list(actor, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "riders/report_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ReportStatus.choices,
            "query": urlencode({"status": status}) if status else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The safety-outpost form, made for a phone on the street."""
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    worker = selectors.worker_for_resident(actor)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and worker is None:
        raise Http404
    report = submit(
        request,
        form,
        lambda d: services.report_file(
            actor=actor,
            category=d["category"],
            place=d["place"],
            description=d["description"],
            photo=services.as_upload(d["photo"]),
        ),
    )
    if report:
        if report.status == ReportStatus.FORWARDED:
            messages.success(
                request,
                _("Thank you. Community 110 has your report as %(number)s.")
                % {"number": report.hotline_number},
            )
        else:
            messages.warning(request, _("Thank you. Your report is saved and will be forwarded."))
        return redirect("riders:my_reports")
    return render(request, "riders/report_new.html", {"form": form, "worker": worker})


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    return render(
        request,
        "riders/my_reports.html",
        {
            "reports": selectors.reports_for_resident(actor)[:50],
            "worker": selectors.worker_for_resident(actor),
        },
    )


# The station's decisions on a forwarded report: action -> (form, service, message once done).
REPORT_ACTIONS: dict[
    str,
    tuple[
        type[forms.Form],
        Callable[[Actor, UUID, dict[str, Any]], SafetyReport],
        Callable[[SafetyReport], str],
    ],
] = {
    "verify": (
        ActionForm,
        lambda actor, pid, _d: services.report_verify(actor=actor, report_public_id=pid),
        lambda done: _("Verified: %(n)s points paid.") % {"n": done.points},
    ),
    "reject": (
        RejectForm,
        lambda actor, pid, d: services.report_reject(
            actor=actor, report_public_id=pid, reason=d["reason"]
        ),
        lambda _done: _("Rejected."),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    report = selectors.report_get(actor, public_id)
    decide = selectors.may_decide(actor, report) and report.status == ReportStatus.FORWARDED
    action = request.POST.get("action", "")
    reject_form = RejectForm(request.POST if action == "reject" else None)
    if request.method == "POST":
        if not decide or action not in REPORT_ACTIONS:
            raise Http404
        form_class, service, message = REPORT_ACTIONS[action]
        form = reject_form if action == "reject" else form_class(request.POST)
        decided = submit(request, form, lambda d: service(actor, public_id, d))
        if decided is not None:
            messages.success(request, message(decided))
            return redirect("riders:report", public_id=public_id)
        if action != "reject":
            _flash(request, form)
    return render(
        request,
        "riders/report_detail.html",
        {
            "r": report,
            "decide": decide,
            "reject_form": reject_form,
            "can_open_request": has_perm(actor, HOTLINE_VIEW_INTERNAL),
        },
    )


@login_required
def report_photo(request: HttpRequest, public_id: UUID) -> FileResponse:
    """The report's photo, for whoever may see the report: served as the image type detected
    when it was checked (never by its file name), and the browser told not to guess."""
    actor = actor_of(request)
    report = selectors.report_get(actor, public_id)
    content_type = selectors.report_photo_type(report)
    if not content_type:
        raise Http404
    return photo_response(report.photo, content_type, max_age=3600)


@login_required
def export(request: HttpRequest, what: str) -> HttpResponse:
    """Workers (phones masked) or the month's canteen meals as .xlsx, audited."""
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    community_id = acting_community(actor, EXPORT)
    builders: dict[str, Callable[[], Export]] = {
        "workers": lambda: exporting.export_workers(actor=actor, community_id=community_id),
        "meals": lambda: exporting.export_meals(actor=actor, community_id=community_id),
    }
    if what not in builders:
        raise Http404
    return xlsx_response(builders[what]())
