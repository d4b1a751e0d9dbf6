"""Pages of the day-care: the day board with the live ratio warning, a class's day (checks,
pickups, roster), children and the waiting list, enrolment, one child's record (audited for
staff), and the guardian's phone page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linli.core import dates
from linli.core.forms import submit
from linli.core.permissions import Actor
from linli.core.photos import photo_response
from linli.core.web import actor_of, query_date, require_perm
from linli.nursery import selectors, services
from linli.nursery.choices import BAND_RULES, PICKUP_PHOTO_MAX_AGE, Band, ChildStatus
from linli.nursery.forms import (
    AbsenceForm,
    ActionForm,
    ClassForm,
    EnrolForm,
    LeaveForm,
    MorningForm,
    NoonForm,
    PersonForm,
    PhotoForm,
    PickupForm,
    RosterForm,
)
from linli.nursery.models import PickupPerson
from linli.nursery.permissions import GUARDIAN, MANAGE, VIEW, VIEW_CHILDREN


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    """Today's board: every class's present children against its carers on duty."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    day = query_date(request.GET.get("day")) or dates.local_today()
    form = ClassForm(request.POST or None) if selectors.can_manage(actor) else None
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request,
            form,
            lambda d: services.class_open(
                actor=actor, community_id=sorted(actor.community_ids)[0], **d
            ),
        )
        is not None
    ):
        messages.success(request, _("Saved."))
        return redirect("nursery:home")
    board = selectors.day_board(actor, day)
    return render(
        request,
        "nursery/home.html",
        {
            "board": board,
            "day": day,
            "form": form,
            "rules": [(Band(b).label, r) for b, r in BAND_RULES.items()],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def class_day(request: HttpRequest, class_id: int) -> HttpResponse:
    """A class's day: each child's arrival, checks and pickup; the roster of the day."""
    actor = actor_of(request)
    require_perm(actor, VIEW_CHILDREN)
    cls = selectors.class_get(actor, class_id)
    day = query_date(request.GET.get("day")) or dates.local_today()
    carers = selectors.carer_choices(cls.community_id)
    labels = dict(carers)
    form = RosterForm(request.POST or None, carers=carers) if selectors.can_manage(actor) else None
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request,
            form,
            lambda d: services.roster_set(
                actor=actor,
                class_id=cls.id,
                day=day,
                carers=[(uid, labels[uid]) for uid in d["carers"]],
            ),
        )
        is not None
    ):
        messages.success(request, _("Roster saved."))
        return redirect(f"{request.path}?day={day.isoformat()}")
    board = {d.cls.id: d for d in selectors.day_board(actor, day)}
    return render(
        request,
        "nursery/class_day.html",
        {
            "cls": cls,
            "day": day,
            "status": board.get(cls.id),
            "rows": selectors.class_children_on(actor, cls, day),
            "form": form,
            "on_duty": set(board[cls.id].carers) if cls.id in board else set(),
            "carers": carers,
        },
    )


@login_required
def children(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW_CHILDREN)
    status = request.GET.get("status") or ""
    rows = list(selectors.child_list(actor, status or None)[:300])
    return render(
        request,
        "nursery/children.html",
        {"rows": rows, "status": status, "statuses": ChildStatus.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Step 1: choose a child of the registry (0–3); step 2: consent, health check, class."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    today = dates.local_today()
    chosen = request.GET.get("resident") or ""
    try:
        chosen_id = UUID(chosen) if chosen else None
    except ValueError:
        chosen_id = None
    if chosen_id is None:
        return render(
            request,
            "nursery/enrol_pick.html",
            {"candidates": selectors.eligible_children(actor, today)},
        )
    label = selectors.resident_label(actor, chosen_id)
    if not label:
        raise Http404
    classes = [(c.id, c.name) for c in selectors.class_list(actor)]
    form = EnrolForm(
        request.POST or None,
        classes=classes,
        guardians=selectors.household_adults(actor, chosen_id, today),
    )
    result = submit(
        request,
        form,
        lambda d: services.child_enrol(actor=actor, resident_public_id=chosen_id, **d),
    )
    if result is not None:
        if result.waiting:
            messages.warning(request, _("The class is full: the child is on the waiting list."))
        else:
            messages.success(request, _("Enrolled."))
        return redirect("nursery:child", public_id=result.child.public_id)
    return render(
        request,
        "nursery/enrol.html",
        {"form": form, "label": label, "consent_text": services.CONSENT_TEXT},
    )


ChildAction = tuple[type[forms.Form], Callable[[Actor, UUID, forms.Form], Any], str]


def _people_choices(people: list[PickupPerson]) -> list[tuple[str, str]]:
    return [(str(p.id), f"{p.name}（{p.relation}）{p.phone_masked}") for p in people]


def _posted(request: HttpRequest, action: str) -> tuple[Any, Any]:
    """(data, files) for the form of `action` when it is the one posted, else (None, None)."""
    if request.method == "POST" and request.POST.get("action") == action:
        return request.POST, request.FILES
    return None, None


CHILD_ACTIONS: dict[str, ChildAction] = {
    "morning": (
        MorningForm,
        lambda a, pid, f: services.morning_check(actor=a, public_id=pid, **f.cleaned_data),
        MANAGE,
    ),
    "noon": (
        NoonForm,
        lambda a, pid, f: services.noon_check(actor=a, public_id=pid, **f.cleaned_data),
        MANAGE,
    ),
    "pickup": (
        PickupForm,
        lambda a, pid, f: services.pickup_record(
            actor=a,
            public_id=pid,
            **f.service_args(),  # type: ignore[attr-defined]
        ),
        MANAGE,
    ),
    "person": (
        PersonForm,
        lambda a, pid, f: services.pickup_person_add(actor=a, public_id=pid, **f.cleaned_data),
        MANAGE,
    ),
    "photo": (
        PhotoForm,
        lambda a, pid, f: services.pickup_person_photo_set(
            actor=a, public_id=pid, **f.cleaned_data
        ),
        MANAGE,
    ),
    "absence": (
        AbsenceForm,
        lambda a, pid, f: services.absence_mark(actor=a, public_id=pid, **f.cleaned_data),
        MANAGE,
    ),
    "admit": (
        ActionForm,
        lambda a, pid, f: services.child_admit(actor=a, public_id=pid),
        MANAGE,
    ),
    "leave": (
        LeaveForm,
        lambda a, pid, f: services.child_leave(actor=a, public_id=pid, **f.cleaned_data),
        MANAGE,
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def child(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One child's record (staff: every read audited): consent, health, pickup list, today's
    checks and pickup, history, refusals; the day's actions."""
    actor = actor_of(request)
    require_perm(actor, VIEW_CHILDREN)
    record = services.child_open(actor=actor, public_id=public_id)
    can_manage = selectors.can_manage(actor)
    chosen = request.POST.get("action", "") if request.method == "POST" else ""
    people = list(selectors.pickup_people(record))
    choices = _people_choices(people)
    forms_by_action: dict[str, forms.Form] = {}
    for key, (form_class, _run, _perm) in CHILD_ACTIONS.items():
        if not can_manage:
            continue
        data, files = _posted(request, key)
        if key == "pickup":
            forms_by_action[key] = PickupForm(data, people=choices)
        elif key == "photo":
            forms_by_action[key] = PhotoForm(data, files, people=choices)
        else:
            forms_by_action[key] = form_class(data, files)
    if request.method == "POST":
        if chosen not in forms_by_action:
            raise Http404
        _form_class, run, _perm = CHILD_ACTIONS[chosen]
        form = forms_by_action[chosen]
        if submit(request, form, lambda d: run(actor, public_id, form) or True):
            messages.success(request, _("Saved."))
            return redirect("nursery:child", public_id=public_id)
    today = dates.local_today()
    todays = selectors.today_for_children([record], today).get(record.id)
    return render(
        request,
        "nursery/child.html",
        {
            "child": record,
            "today": todays,
            "people": people,
            "history": selectors.attendance_history(record, limit=20),
            "refusals": list(selectors.refusals(record)),
            "forms": forms_by_action,
            "chosen": chosen,
            "age_months": services.age_in_months(record.resident.birth_date, today),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """The guardian's phone page: today's attendance and checks, mark an absence, the pickup
    list (and add someone to it)."""
    actor = actor_of(request)
    require_perm(actor, GUARDIAN)
    kids = selectors.children_for_resident(actor)
    chosen = request.POST.get("child", "") if request.method == "POST" else ""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    absence = AbsenceForm(request.POST if action == "absence" else None)
    person = PersonForm(*_posted(request, "person"))
    lists = selectors.pickup_lists(kids)
    photos = {
        k.id: PhotoForm(
            *(_posted(request, "photo") if chosen == str(k.public_id) else (None, None)),
            people=_people_choices(lists.get(k.id, [])),
            prefix=f"photo-{k.id}",
        )
        for k in kids
    }
    if request.method == "POST":
        try:
            child_id = UUID(chosen)
        except ValueError as exc:
            raise Http404 from exc
        done: object = None
        if action == "absence":
            done = submit(
                request,
                absence,
                lambda d: services.absence_mark(actor=actor, public_id=child_id, **d),
            )
        elif action == "person":
            done = submit(
                request,
                person,
                lambda d: services.pickup_person_add(actor=actor, public_id=child_id, **d),
            )
        elif action == "photo":
            photo = next((photos[k.id] for k in kids if k.public_id == child_id), None)
            if photo is None:
                raise Http404
            done = submit(
                request,
                photo,
                lambda d: services.pickup_person_photo_set(actor=actor, public_id=child_id, **d),
            )
        else:
            raise Http404
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("nursery:mine")
    today = dates.local_today()
    todays = selectors.today_for_children(kids, today)
    return render(
        request,
        "nursery/mine.html",
        {
            "rows": [
                {
                    "child": k,
                    "today": todays.get(k.id),
                    "people": lists.get(k.id, []),
                    "photo": photos[k.id],
                }
                for k in kids
            ],
            "absence": absence,
            "person": person,
            "chosen": chosen,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET"])
def pickup_photo(request: HttpRequest, public_id: UUID, person_id: int) -> FileResponse:
    """A pickup person's photo: the day-care's staff and the community admin (each view
    audited), or the child's own guardians; 404 for everybody else."""
    person = services.pickup_photo_open(
        actor=actor_of(request), public_id=public_id, person_id=person_id
    )
    return photo_response(person.photo, person.photo_type, max_age=PICKUP_PHOTO_MAX_AGE)
