"""Pages of elderly care: the register, an elder's page, assessments, plans, the care worker's
day and visit check-in/out, proactive tasks and visit logs, the board, day-care, apartments,
the catalogue, exports, and the resident's own "My elderly care"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from linli.care import exporting, selectors, services
from linli.care.choices import VISIT_MACHINE, Level, VisitStatus, VisitTransition
from linli.care.forms import (
    AdmitForm,
    ArrangementForm,
    AssessmentForm,
    AttendanceForm,
    CallBackForm,
    CancelForm,
    CheckInForm,
    CheckOutForm,
    DischargeForm,
    ElderForm,
    PlanForm,
    RateForm,
    VisitLogForm,
    WaitForm,
)
from linli.care.models import Elder
from linli.care.permissions import (
    EXPORT,
    MANAGE,
    PORTAL,
    VIEW_BOARD,
    VIEW_RECORDS,
    VIEW_REGISTER,
    WORK_TASKS,
)
from linli.core import dates
from linli.core.exporting import xlsx_response
from linli.core.forms import submit
from linli.core.permissions import Actor, communities_for, has_perm
from linli.core.web import (
    acting_community,
    actor_of,
    query_date,
    query_int,
    query_page,
    require_perm,
)
from linli.registry.selectors import grid_list

PAGE_SIZE = 30


def _page(qs: Any, request: HttpRequest) -> Any:
    from django.core.paginator import Paginator

    return Paginator(qs, PAGE_SIZE).get_page(query_page(request.GET.get("page")))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The elders register with its flags and levels."""
    actor = actor_of(request)
    require_perm(actor, VIEW_REGISTER)
    filters = selectors.ElderFilters(
        flag=request.GET.get("flag", ""),
        level=request.GET.get("level", ""),
        grid_id=query_int(request.GET.get("grid"), minimum=1),
        q=request.GET.get("q", ""),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "care/home.html",
        {
            "page": _page(selectors.elder_list(actor, filters), request),
            "counts": selectors.register_counts(actor),
            "filters": filters,
            "flags": [
                (f, getattr(Elder._meta.get_field(f), "verbose_name", f)) for f in selectors.FLAGS
            ],
            "levels": Level.choices,
            "grids": grid_list(actor),
            "query": query.urlencode(),
            "can_manage": has_perm(actor, MANAGE),
        },
    )


@login_required
def elder(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    row = selectors.elder_get(actor, public_id)
    page = selectors.elder_page(actor, row)
    return render(
        request,
        "care/elder.html",
        {
            "page": page,
            "elder": row,
            "can_manage": has_perm(actor, MANAGE) and row.status == "active",
            "can_log": has_perm(actor, WORK_TASKS),
            "staff": has_perm(actor, VIEW_REGISTER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def elder_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    row = selectors.elder_get(actor, public_id)
    form = ElderForm(
        request.POST or None,
        initial={"emergency_name": row.emergency_name, "health_notes": row.health_notes},
    )
    arrangement = ArrangementForm(request.POST or None, prefix="a")
    which = request.POST.get("form", "")
    if which == "arrangement":
        if submit(
            request,
            arrangement,
            lambda d: services.arrangement_set(actor=actor, elder_public_id=public_id, **d),
        ):
            return redirect("care:elder", public_id)
        form = ElderForm(
            initial={"emergency_name": row.emergency_name, "health_notes": row.health_notes}
        )
    else:
        if submit(
            request,
            form,
            lambda d: services.elder_update(actor=actor, elder_public_id=public_id, **d),
        ):
            return redirect("care:elder", public_id)
        arrangement = ArrangementForm(prefix="a", initial={"started_on": dates.local_today()})
    return render(
        request, "care/elder_edit.html", {"elder": row, "form": form, "arrangement": arrangement}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A new GB/T 42195-2022 assessment."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    row = selectors.elder_get(actor, public_id)
    items = selectors.standard(actor).items
    form = AssessmentForm(
        request.POST or None,
        items=items,
        initial={
            "reason": "first" if row.level == "" else "routine",
            "assessed_on": dates.local_today(),
            "risk_events": 0,
        },
    )
    done = submit(
        request,
        form,
        lambda d: services.assessment_create(
            actor=actor,
            elder_public_id=public_id,
            reason=d["reason"],
            answers=form.answers(),
            dementia=d["dementia"],
            risk_events=d["risk_events"],
            assessed_on=d["assessed_on"],
            notes=d["notes"],
        ),
    )
    if done is not None:
        return redirect("care:assessment", done.public_id)
    return render(request, "care/assess.html", {"elder": row, "form": form})


@login_required
def assessment(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One assessment with every answer; the read is audited (services.assessment_read)."""
    actor = actor_of(request)
    row = services.assessment_read(actor=actor, public_id=public_id)
    return render(
        request,
        "care/assessment.html",
        {"a": row, "rows": selectors.assessment_rows(row), "staff": has_perm(actor, VIEW_RECORDS)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A care plan, pre-filled with the services suggested from the level and flags."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    row = selectors.elder_get(actor, public_id)
    all_services = list(selectors.services_all())
    by_code = {s.code: s for s in all_services}
    rank = selectors.LEVEL_RANK.get(Level(row.level)) if row.level else None
    suggested = [s for s in services.plan_suggest(row, rank) if s.service_code in by_code]
    initial: dict[str, Any] = {"starts_on": dates.local_today()}
    for i, s in enumerate(suggested[: PlanForm.ROWS]):
        initial |= {
            f"service_{i}": by_code[s.service_code].pk,
            f"per_week_{i}": s.per_week,
            f"hour_{i}": s.hour,
        }
    providers = selectors.providers(actor, row.community_id)
    if providers.exists():
        initial["provider"] = providers.first()
    form = PlanForm(
        request.POST or None, providers=providers, services=all_services, initial=initial
    )
    done = submit(
        request,
        form,
        lambda d: services.plan_create(
            actor=actor,
            elder_public_id=public_id,
            provider_id=d["provider"].pk,
            items=[services.PlanLine(s, n, h) for s, n, h in form.lines()],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        ),
    )
    if done is not None:
        return redirect("care:elder", public_id)
    return render(
        request, "care/plan_new.html", {"elder": row, "form": form, "suggested": suggested}
    )


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The care worker's visits of the day (and the missed or late of the last week)."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    day = query_date(request.GET.get("day")) or dates.local_today()
    return render(
        request,
        "care/today.html",
        {
            "day": day,
            "visits": list(selectors.visits_today(actor, day)),
            "problems": list(selectors.visits_missed_or_late(actor)[:20]),
        },
    )


VISIT_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any], str]] = {
    VisitTransition.CHECK_IN: (CheckInForm, services.visit_check_in, MANAGE),
    VisitTransition.CHECK_OUT: (CheckOutForm, services.visit_check_out, MANAGE),
    VisitTransition.CANCEL: (CancelForm, services.visit_cancel, MANAGE),
}


def _runner(
    service: Callable[..., Any], actor: Actor, public_id: UUID
) -> Callable[[dict[str, Any]], Any]:
    return lambda d: service(actor=actor, public_id=public_id, **d)


@login_required
@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One visit: check in, check out, cancel, and the supervision call-back."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    row = selectors.visit_get(actor, public_id)
    action = request.POST.get("action", "")
    forms_: dict[str, forms.Form] = {}
    for name, (form_class, service, perm) in VISIT_ACTIONS.items():
        bound = request.POST if action == name else None
        form = form_class(bound, prefix=name)
        forms_[name] = form
        if bound is not None and has_perm(actor, perm):
            done = submit(request, form, _runner(service, actor, public_id))
            if done is not None:
                return redirect("care:visit", public_id)
    callback = CallBackForm(request.POST if action == "callback" else None, prefix="callback")
    if action == "callback":
        recorded = submit(
            request,
            callback,
            lambda d: services.callback_record(actor=actor, visit_public_id=public_id, **d),
        )
        if recorded is not None:
            return redirect("care:visit", public_id)
    available = [a for a in VISIT_MACHINE.available(row.status) if a in VISIT_ACTIONS]
    return render(
        request,
        "care/visit.html",
        {
            "v": row,
            "actions": [(a, VisitTransition(a).label, forms_[a]) for a in available],
            "callback": callback
            if row.status in (VisitStatus.DONE, VisitStatus.CLOSED, VisitStatus.MISSED)
            else None,
        },
    )


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, WORK_TASKS)
    state = request.GET.get("state", "open")
    if state not in ("open", "overdue", "escalated", "done", "all"):
        state = "open"
    grid_id = query_int(request.GET.get("grid"), minimum=1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "care/tasks.html",
        {
            "page": _page(selectors.task_list(actor, state, grid_id), request),
            "state": state,
            "grids": grid_list(actor),
            "grid_id": grid_id,
            "query": query.urlencode(),
            "now": dates.local_now(),
        },
    )


def _categories(actor: Actor, community_id: int) -> list[tuple[str, str]]:
    from linli.hotline.selectors import categories

    # A visit log cannot answer a category's extra questions: offer those that ask none.
    return [(c.code, c.name) for c in categories(actor, community_id) if not c.questions]


@login_required
@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A proactive task; the visit log written here clears it (and may file a request)."""
    actor = actor_of(request)
    require_perm(actor, WORK_TASKS)
    row = selectors.task_get(actor, public_id)
    form = VisitLogForm(
        request.POST or None,
        categories=_categories(actor, row.community_id),
        initial={"purpose": row.rule.name},
    )
    if row.status == "open":
        cleared = submit(
            request,
            form,
            lambda d: services.visit_log_create(
                actor=actor,
                household_public_id=row.household.public_id,
                task_public_id=public_id,
                **d,
            ),
        )
        if cleared is not None:
            return redirect("care:task", public_id)
    return render(
        request,
        "care/task.html",
        {
            "t": row,
            "form": form,
            "logs": list(selectors.visit_logs(actor, row.household_id)[:5]),
            "now": dates.local_now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def log_new(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A visit log (走访) for any household the actor works in."""
    actor = actor_of(request)
    require_perm(actor, WORK_TASKS)
    household = selectors.household_for_log(actor, public_id)
    form = VisitLogForm(request.POST or None, categories=_categories(actor, household.community_id))
    if submit(
        request,
        form,
        lambda d: services.visit_log_create(actor=actor, household_public_id=public_id, **d),
    ):
        return redirect("care:log_new", public_id)
    return render(
        request,
        "care/log_new.html",
        {
            "household": household,
            "form": form,
            "logs": list(selectors.visit_logs(actor, household.pk)[:10]),
        },
    )


@login_required
def board(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW_BOARD)
    ids = list(communities_for(actor, VIEW_BOARD))
    data = selectors.board(actor, ids)
    return render(request, "care/board.html", {"b": data})


@login_required
@require_http_methods(["GET", "POST"])
def daycare(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    centre = selectors.centres(actor).first()
    if centre is None:
        return render(request, "care/daycare.html", {"day": None})
    day = query_date(request.GET.get("day")) or dates.local_today()
    form = AttendanceForm(request.POST or None)
    if submit(
        request,
        form,
        lambda d: services.attendance_record(
            actor=actor, centre_id=centre.pk, elder_public_id=d["elder"], day=day, meals=d["meals"]
        ),
    ):
        return redirect(reverse("care:daycare") + f"?day={day.isoformat()}")
    return render(
        request,
        "care/daycare.html",
        {"d": selectors.centre_day(actor, centre.pk, day), "day": day, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def apartments(request: HttpRequest) -> HttpResponse:
    """Beds and who holds them, the waiting list in priority order, occupancy by month."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    apartment = selectors.apartments(actor).first()
    if apartment is None:
        return render(request, "care/apartments.html", {"apartment": None})
    action = request.POST.get("action", "")
    admit = AdmitForm(request.POST if action == "admit" else None, prefix="admit")
    discharge = DischargeForm(request.POST if action == "discharge" else None, prefix="discharge")
    wait = WaitForm(request.POST if action == "wait" else None, prefix="wait")
    table: dict[str, tuple[forms.Form, Callable[[dict[str, Any]], Any]]] = {
        "admit": (
            admit,
            lambda d: services.admission_create(
                actor=actor, bed_id=d["bed"], elder_public_id=d["elder"]
            ),
        ),
        "discharge": (
            discharge,
            lambda d: services.admission_discharge(
                actor=actor, public_id=d["admission"], reason=d["reason"]
            ),
        ),
        "wait": (
            wait,
            lambda d: services.waiting_add(
                actor=actor, apartment_id=apartment.pk, elder_public_id=d["elder"]
            ),
        ),
    }
    if action in table:
        form, run = table[action]
        if submit(request, form, run):
            return redirect("care:apartments")
    beds = selectors.beds(actor, apartment)
    return render(
        request,
        "care/apartments.html",
        {
            "apartment": apartment,
            "beds": beds,
            "held": sum(1 for b in beds if b.admission),
            "waiting": list(selectors.waiting_list(actor, apartment)[:50]),
            "occupancy": selectors.occupancy_by_month(actor, apartment),
            "admit": admit,
            "discharge": discharge,
            "wait": wait,
        },
    )


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The standard's items, cut-offs and adjustments, the catalogue, subsidy and proactive rules
    — all data, readable here and in the admin."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    return render(request, "care/catalogue.html", {"s": selectors.standard(actor)})


@login_required
def export(request: HttpRequest, what: str) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    if what != "delivered":
        raise Http404
    community_id = acting_community(actor, EXPORT)
    return xlsx_response(exporting.export_delivered(actor=actor, community_id=community_id))


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The resident's own elderly care: large type, one thing per card."""
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    return render(request, "care/me.html", {"c": selectors.care_for_resident(actor)})


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One screen, one action: rate a visit 1–5."""
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    row = selectors.visit_for_resident(actor, public_id)
    form = RateForm(request.POST or None)
    if row.status == VisitStatus.DONE:
        rated = submit(
            request, form, lambda d: services.visit_rate(actor=actor, public_id=public_id, **d)
        )
        if rated is not None:
            return redirect("care:me")
    return render(request, "care/rate.html", {"v": row, "form": form})
