"""Pages of the training base: classes (list, booking, the class page with its timetable,
lodging, meals and roster), the printable confirmation with the quote, check-in per session,
the course catalogue, lecturers, guest rooms, trainee-visit totals and .xlsx exports.

Views parse input, call selectors and services and render; every form runs through
`core.forms.submit`; whatever lies outside the actor's scope is a 404, and the whole base is
a 404 for anyone but its staff and the community admin."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linli.core import dates
from linli.core.exporting import xlsx_response
from linli.core.forms import submit
from linli.core.permissions import Actor, has_perm
from linli.core.web import acting_community, actor_of, query_date, query_int, require_perm
from linli.training import exporting, selectors, services
from linli.training.choices import (
    CLASS_MACHINE,
    EDITABLE,
    STATUS_TONES,
    ClassStatus,
    ClassTransition,
)
from linli.training.forms import (
    CancelSessionForm,
    CheckInForm,
    ClassForm,
    CourseForm,
    LecturerForm,
    LodgingForm,
    MealForm,
    RosterForm,
    SessionForm,
    TransitionForm,
)
from linli.training.models import TrainingClass
from linli.training.permissions import EXPORT, MANAGE, VIEW

PAGE_SIZE = 50


def _flash(request: HttpRequest, form: forms.Form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# ---------------------------------------------------------------- classes


@login_required
def classes(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    status = status if status in ClassStatus.values else ""
    year = query_int(request.GET.get("year"), minimum=1)
    year = year if year and dates.year_in_range(year) else None
    page = Paginator(
        selectors.class_list(actor, status=status, year=year, q=q), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.status_counts(actor)
    return render(
        request,
        "training/classes.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "year": year or "",
            "statuses": ClassStatus.choices,
            "status_rows": [
                (value, label, counts.get(value, 0)) for value, label in ClassStatus.choices
            ],
            "query": query.urlencode(),
            "can_manage": has_perm(actor, MANAGE),
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    community_id = acting_community(actor, MANAGE)
    form = ClassForm(request.POST or None)
    klass = submit(
        request,
        form,
        lambda d: services.class_create(actor=actor, community_id=community_id, **d),
    )
    if klass:
        messages.success(request, _("The class is booked as an enquiry."))
        return redirect("training:class", public_id=klass.public_id)
    return render(
        request, "training/form.html", {"form": form, "title": _("Book a class"), "tab": "classes"}
    )


def _class_actions(
    actor: Actor, klass: TrainingClass
) -> dict[str, tuple[type[forms.Form], Callable[[dict[str, Any]], Any]]]:
    """What the class page's forms do: action name → (form class, service call)."""
    pid = klass.public_id
    return {
        "transition": (
            TransitionForm,
            lambda d: services.class_transition(
                actor=actor, public_id=pid, transition=d["transition"]
            ),
        ),
        "session": (
            SessionForm,
            lambda d: services.session_add(
                actor=actor,
                public_id=pid,
                course_id=d["course"],
                starts_at=d["starts_at"],
                lecturer_id=d["lecturer"],
                room=d["room"],
            ),
        ),
        "cancel_session": (
            CancelSessionForm,
            lambda d: services.session_cancel(actor=actor, session_id=d["session"]),
        ),
        "lodging": (
            LodgingForm,
            lambda d: services.lodging_book(actor=actor, public_id=pid, **d),
        ),
        "release": (
            forms.Form,
            lambda d: services.lodging_release(actor=actor, public_id=pid),
        ),
        "meals": (MealForm, lambda d: services.meals_set(actor=actor, public_id=pid, **d)),
        "meals_stay": (
            forms.Form,
            lambda d: services.meals_plan_stay(actor=actor, public_id=pid),
        ),
        "roster": (
            RosterForm,
            lambda d: services.trainees_add(actor=actor, public_id=pid, names=d["names"]),
        ),
    }


def _make_form(
    cls: type[forms.Form], data: Any, actor: Actor, klass: TrainingClass, **initial: Any
) -> forms.Form:
    if cls is SessionForm:
        courses = [(c.pk, f"{c.category.name} · {c.title}") for c in selectors.course_list(actor)]
        lecturers = [(lec.pk, lec.name) for lec in selectors.lecturer_list(actor)]
        return SessionForm(data, courses=courses, lecturers=lecturers, initial=initial)
    return cls(data, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def class_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    klass = selectors.class_get(actor, public_id)
    can_manage = has_perm(actor, MANAGE)
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        require_perm(actor, MANAGE)
        action = request.POST.get("action", "")
        actions = _class_actions(actor, klass)
        if action not in actions:
            raise Http404
        form_class, run = actions[action]
        form = _make_form(form_class, request.POST, actor, klass)
        if submit(request, form, run) is not None:
            messages.success(request, _("Saved."))
            return redirect("training:class", public_id=klass.public_id)
        if action in ("transition", "cancel_session", "release", "meals_stay"):
            _flash(request, form)
            return redirect("training:class", public_id=klass.public_id)
        bound[action] = form
    editable = klass.status in EDITABLE and can_manage
    first_day = dates.day_start(klass.starts_on).replace(hour=9)
    forms_ = {
        "session": bound.get("session")
        or _make_form(SessionForm, None, actor, klass, starts_at=first_day, room="一号教室"),
        "lodging": bound.get("lodging") or LodgingForm(initial={"beds": klass.trainee_count}),
        "meals": bound.get("meals")
        or MealForm(
            initial={
                "day": klass.starts_on,
                "breakfasts": klass.trainee_count,
                "lunches": klass.trainee_count,
                "dinners": klass.trainee_count,
                "dietary_notes": klass.dietary_notes,
            }
        ),
        "roster": bound.get("roster") or RosterForm(),
    }
    quote = selectors.class_quote(klass)
    roster = list(selectors.class_roster(klass))
    return render(
        request,
        "training/class_detail.html",
        {
            "c": klass,
            "tone": STATUS_TONES.get(klass.status, "secondary"),
            "transitions": [
                (t, ClassTransition(t).label) for t in CLASS_MACHINE.available(klass.status)
            ]
            if can_manage
            else [],
            "sessions": list(selectors.class_sessions(klass)),
            "lodging": selectors.class_lodging(klass),
            "meals": list(selectors.class_meals(klass)),
            "roster": roster,
            "quote": quote,
            "forms": forms_,
            "editable": editable,
            "can_manage": can_manage,
        },
    )


@login_required
def class_confirmation(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The printable confirmation (确认函) with the quote, in Chinese whatever the language."""
    actor = actor_of(request)
    klass = selectors.class_get(actor, public_id)
    return render(
        request,
        "training/confirmation.html",
        {
            "c": klass,
            "sessions": [s for s in selectors.class_sessions(klass) if not s.cancelled],
            "lodging": selectors.class_lodging(klass),
            "quote": selectors.class_quote(klass),
            "today": dates.local_today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_checkin(request: HttpRequest, session_id: int) -> HttpResponse:
    actor = actor_of(request)
    session = selectors.session_get(actor, session_id)
    roster = selectors.session_roster(session)
    choices = [(t.pk, t.name) for t, seen in roster if seen is None]
    form = CheckInForm(request.POST or None, trainees=choices)
    if request.method == "POST":
        require_perm(actor, MANAGE)
    added = submit(
        request,
        form,
        lambda d: services.session_check_in(
            actor=actor, session_id=session.pk, trainee_ids=d["trainees"]
        ),
    )
    if added is not None:
        messages.success(request, _("%(n)d checked in.") % {"n": added})
        return redirect("training:checkin", session_id=session.pk)
    return render(
        request,
        "training/checkin.html",
        {
            "s": session,
            "roster": roster,
            "present": sum(1 for _t, seen in roster if seen),
            "form": form,
            "can_manage": has_perm(actor, MANAGE)
            and session.training_class.status in (ClassStatus.CONFIRMED, ClassStatus.IN_PROGRESS)
            and not session.cancelled,
        },
    )


# ---------------------------------------------------------------- catalogue


@login_required
@require_http_methods(["GET", "POST"])
def courses(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    categories = list(selectors.category_list(actor))
    category_id = query_int(request.GET.get("category"), minimum=1)
    q = request.GET.get("q", "").strip()[:50]
    form = None
    if has_perm(actor, MANAGE):
        community_id = acting_community(actor, MANAGE)
        form = CourseForm(
            request.POST or None,
            categories=[(c.pk, c.name) for c in categories],
            lecturers=[(lec.pk, lec.name) for lec in selectors.lecturer_list(actor)],
        )
        course = submit(
            request,
            form,
            lambda d: services.course_create(
                actor=actor,
                community_id=community_id,
                category_id=d["category"],
                title=d["title"],
                format=d["format"],
                site=d["site"],
                duration_minutes=d["duration_minutes"],
                fee=d["fee"],
                lecturer_ids=d["lecturers"],
            ),
        )
        if course:
            messages.success(request, _("The course is in the catalogue."))
            return redirect("training:courses")
    elif request.method == "POST":
        raise Http404
    rows = list(selectors.course_list(actor, category_id=category_id, q=q))
    return render(
        request,
        "training/courses.html",
        {
            "categories": categories,
            "category_id": category_id,
            "q": q,
            "courses": rows,
            "form": form,
            "open_form": request.method == "POST",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lecturers(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    form = None
    if has_perm(actor, MANAGE):
        community_id = acting_community(actor, MANAGE)
        form = LecturerForm(request.POST or None)
        lecturer = submit(
            request,
            form,
            lambda d: services.lecturer_create(actor=actor, community_id=community_id, **d),
        )
        if lecturer:
            messages.success(request, _("The lecturer is added."))
            return redirect("training:lecturers")
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "training/lecturers.html",
        {
            "lecturers": list(selectors.lecturer_list(actor)),
            "form": form,
            "open_form": request.method == "POST",
        },
    )


@login_required
def lodging(request: HttpRequest) -> HttpResponse:
    """Guest rooms and how many beds are taken on a night (`?night=`, today by default)."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    night = query_date(request.GET.get("night")) or dates.local_today()
    if not dates.year_in_range(night.year):
        night = dates.local_today()
    rows = selectors.lodging_overview(actor, night)
    return render(
        request,
        "training/lodging.html",
        {
            "night": night,
            "prev": night - dt.timedelta(days=1),
            "next": night + dt.timedelta(days=1),
            "rows": rows,
            "beds": sum(r.beds for r in rows),
            "taken": sum(r.taken for r in rows),
        },
    )


@login_required
def totals(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    year = query_int(request.GET.get("year"), minimum=1)
    year = year if year and dates.year_in_range(year) else None
    by_year = selectors.totals_by_year(actor)
    by_province = selectors.totals_by_province(actor, year=year)
    return render(
        request,
        "training/totals.html",
        {
            "by_year": by_year,
            "by_province": by_province,
            "year": year,
            "years": [r.label for r in by_year],
            "visits": sum(r.visits for r in by_year),
            "classes": sum(r.classes for r in by_year),
            "chart": {
                "years": [r.label for r in by_year],
                "year_visits": [r.visits for r in by_year],
                "provinces": [r.label for r in by_province],
                "province_visits": [r.visits for r in by_province],
            },
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
def export(request: HttpRequest, what: str) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    if what == "classes":
        year = query_int(request.GET.get("year"), minimum=1)
        year = year if year and dates.year_in_range(year) else None
        return xlsx_response(exporting.export_classes(actor=actor, year=year))
    if what == "totals":
        return xlsx_response(exporting.export_totals(actor=actor))
    raise Http404
