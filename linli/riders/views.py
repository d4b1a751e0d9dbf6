"""Pages of the workers' station: figures, workers and their visits and meals, the canteen's
day, the summer class (children only for its staff), safety reports (filed from the phone,
verified by the station) and .xlsx exports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from linli.core.audit import audit_record
from linli.core.errors import DomainError
from linli.core.forms import add_domain_error
from linli.core.models import AuditEvent
from linli.core.permissions import communities_for, has_perm
from linli.core.web import acting_community, request_actor, require_perm
from linli.registry import selectors as registry_selectors
from linli.riders import selectors, services
from linli.riders.choices import ReportStatus, WorkerKind
from linli.riders.forms import (
    ClassForm,
    EnrolmentForm,
    MealForm,
    RejectForm,
    ReportForm,
    VisitForm,
    WorkerForm,
)
from linli.riders.permissions import CLASS_STAFF, EXPORT, MANAGE, PORTAL, VIEW

PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
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
    actor = request_actor(request)
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
    actor = request_actor(request)
    require_perm(actor, MANAGE)
    community_id = acting_community(actor, MANAGE)
    form = WorkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            worker = services.worker_register(
                actor=actor,
                community_id=community_id,
                kind=data["kind"],
                platform=data["platform"],
                work_station=data["work_station"],
                resident_public_id=data["resident"],
                name=data["name"],
                phone=data["phone"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Registered."))
            return redirect("riders:worker", public_id=worker.public_id)
    q = request.GET.get("q", "").strip()[:50]
    found = registry_selectors.resident_pick(actor, q, community_id)
    return render(request, "riders/worker_new.html", {"form": form, "q": q, "found": found})


@login_required
@require_http_methods(["GET", "POST"])
def worker_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    worker = selectors.worker_get(actor, public_id)
    can_manage = has_perm(actor, MANAGE) and worker.community_id in communities_for(actor, MANAGE)
    visit_form = VisitForm(request.POST if "purpose" in request.POST else None)
    meal_form = MealForm(request.POST if "meal" in request.POST else None)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        try:
            if "purpose" in request.POST and visit_form.is_valid():
                services.visit_record(
                    actor=actor, worker_public_id=public_id, **visit_form.cleaned_data
                )
                messages.success(request, _("Visit recorded."))
            elif "meal" in request.POST and meal_form.is_valid():
                services.meal_record(
                    actor=actor, worker_public_id=public_id, **meal_form.cleaned_data
                )
                messages.success(request, _("Meal recorded."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("riders:worker", public_id=public_id)
    return render(
        request,
        "riders/worker_detail.html",
        {
            "w": worker,
            "visits": selectors.worker_visits(actor, worker)[:20],
            "meals": selectors.worker_meals(actor, worker)[:20],
            "reports": selectors.worker_reports(actor, worker)[:20],
            "visit_form": visit_form,
            "meal_form": meal_form,
            "can_manage": can_manage,
        },
    )


@login_required
def canteen(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require_perm(actor, VIEW)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    meals = list(selectors.meals_on(actor, day))
    return render(
        request,
        "riders/canteen.html",
        {
            "day": day,
            "prev": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "meals": meals,
            "subsidised": sum(1 for m in meals if m.payment == "subsidised"),
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def classes(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require_perm(actor, VIEW, CLASS_STAFF)
    form = ClassForm(request.POST or None) if has_perm(actor, MANAGE) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.class_create(
                    actor=actor, community_id=acting_community(actor, MANAGE), **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
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
    actor = request_actor(request)
    summer_class = selectors.class_get(actor, class_id)
    staff = has_perm(actor, CLASS_STAFF) and summer_class.community_id in communities_for(
        actor, CLASS_STAFF
    )
    form = EnrolmentForm(request.POST or None) if staff else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                enrolment = services.enrolment_create(
                    actor=actor,
                    class_id=summer_class.id,
                    worker_public_id=form.cleaned_data["worker"],
                    child_name=form.cleaned_data["child_name"],
                    child_birth_date=form.cleaned_data["child_birth_date"],
                    child_gender=form.cleaned_data["child_gender"],
                    notes=form.cleaned_data["notes"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if enrolment.status == "waitlisted":
                    messages.warning(
                        request, _("The class is full: the child is on the waiting list.")
                    )
                else:
                    messages.success(request, _("Enrolled."))
                return redirect("riders:class", class_id=summer_class.id)
    parents = []
    q = request.GET.get("q", "").strip()[:50]
    if staff and q:
        parents = list(selectors.parents_matching(actor, summer_class, q)[:10])
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
    actor = request_actor(request)
    try:
        enrolment = services.enrolment_withdraw(actor=actor, enrolment_public_id=public_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect("riders:classes")
    messages.success(request, _("Withdrawn."))
    return redirect("riders:class", class_id=enrolment.summer_class_id)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require_perm(actor, VIEW)
    status = request.GET.get("status", "")
    status = status if status in ReportStatus.values else ""
    page = Paginator(selectors.report_list(actor, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "riders/report_list.html",
        {"page": page, "status": status, "statuses": ReportStatus.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The safety-outpost form, made for a phone on the street."""
    actor = request_actor(request)
    require_perm(actor, PORTAL)
    worker = selectors.own_worker(actor)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and worker is not None and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_file(
                actor=actor,
                category=data["category"],
                place=data["place"],
                description=data["description"],
                photo=services.as_upload(data["photo"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if report.status == ReportStatus.FORWARDED:
                messages.success(
                    request,
                    _("Thank you. Community 110 has your report as %(number)s.")
                    % {"number": report.hotline_number},
                )
            else:
                messages.warning(
                    request, _("Thank you. Your report is saved and will be forwarded.")
                )
            return redirect("riders:my_reports")
    return render(request, "riders/report_new.html", {"form": form, "worker": worker})


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require_perm(actor, PORTAL)
    return render(
        request,
        "riders/my_reports.html",
        {"reports": selectors.my_reports(actor)[:50], "worker": selectors.own_worker(actor)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    report = selectors.report_get(actor, public_id)
    decide = selectors.may_decide(actor, report) and report.status == ReportStatus.FORWARDED
    reject_form = RejectForm(request.POST if "reason" in request.POST else None)
    if request.method == "POST":
        if not decide:
            raise Http404
        try:
            if request.POST.get("action") == "verify":
                done = services.report_verify(actor=actor, report_public_id=public_id)
                messages.success(request, _("Verified: %(n)s points paid.") % {"n": done.points})
                return redirect("riders:report", public_id=public_id)
            if reject_form.is_valid():
                services.report_reject(
                    actor=actor,
                    report_public_id=public_id,
                    reason=reject_form.cleaned_data["reason"],
                )
                messages.success(request, _("Rejected."))
                return redirect("riders:report", public_id=public_id)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "riders/report_detail.html",
        {"r": report, "decide": decide, "reject_form": reject_form},
    )


@login_required
def report_photo(request: HttpRequest, public_id: UUID) -> FileResponse:
    """The report's photo, for whoever may see the report: served as the image type detected
    when it was checked (never by its file name), and the browser told not to guess."""
    actor = request_actor(request)
    report = selectors.report_get(actor, public_id)
    content_type = selectors.report_photo_type(report)
    if not content_type:
        raise Http404
    try:
        handle = report.photo.open("rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def export(request: HttpRequest, what: str) -> HttpResponse:
    """Workers (phones masked) or the month's canteen meals as .xlsx, audited."""
    actor = request_actor(request)
    require_perm(actor, EXPORT)
    community_id = acting_community(actor, EXPORT)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    rows: list[list[Any]]
    if what == "workers":
        sheet.append(
            [
                _("Name"),
                _("Works as"),
                _("Platform"),
                _("Work station"),
                _("Phone"),
                _("Resident"),
                _("Registered on"),
            ]
        )
        rows = [
            [
                w.name,
                w.get_kind_display(),
                w.platform,
                w.work_station,
                w.shown_phone,
                _("Yes") if w.resident_id else _("No"),
                w.registered_on,
            ]
            for w in selectors.worker_list(actor).filter(community_id=community_id)
        ]
    elif what == "meals":
        today = timezone.localdate()
        start = today.replace(day=1)
        sheet.append([_("Date"), _("Meal"), _("Name"), _("Payment"), _("Price (yuan)")])
        rows = [
            [m.day, m.get_meal_display(), m.worker.name, m.get_payment_display(), float(m.price)]
            for m in selectors.meals_between(actor, community_id, start, today)
        ]
    else:
        raise Http404
    for row in rows:
        sheet.append(row)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.EXPORT,
            object_type=f"riders.{what}",
            object_id=str(community_id),
            object_label=what,
            community_id=community_id,
            after={"rows": len(rows)},
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{what}.xlsx"'
    return response
