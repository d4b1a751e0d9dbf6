"""Pages of volunteering: organisations and the incubation board, teams, volunteers and their
records and certificate, the activity calendar with sign-up, the check-in screen, the portal's
points and history, the store and its counter, monthly leaderboards and .xlsx exports.

Views parse input, call selectors and services and render. Every form (a button too) is a real
Form run through `core.forms.submit`, so a refused action lands on its form; whatever lies
outside the actor's scope is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import dates
from linli.core.exporting import Export, xlsx_response
from linli.core.forms import submit
from linli.core.permissions import Actor, communities_for, has_perm
from linli.core.web import acting_community, actor_of, query_int, query_month, require_perm
from linli.registry import selectors as registry_selectors
from linli.volunteers import exporting, points, selectors, services
from linli.volunteers.choices import (
    ORG_MACHINE,
    ORG_STAGE_AFTER,
    ORG_STAGE_DATE,
    ActivityStatus,
    Audience,
    OrgStage,
    OrgType,
    RedemptionStatus,
    SignupStatus,
    TeamKind,
    VolunteerStatus,
)
from linli.volunteers.forms import (
    ActionForm,
    ActivityForm,
    AdjustForm,
    AdvanceForm,
    ConfirmHoursForm,
    CounterForm,
    OrganisationForm,
    RedeemForm,
    SignupForm,
    StoreItemEditForm,
    StoreItemForm,
    TeamForm,
    VolunteerEditForm,
    VolunteerForm,
)
from linli.volunteers.models import Signup
from linli.volunteers.permissions import (
    ADJUST_POINTS,
    EXPORT,
    MANAGE,
    PORTAL,
    RUN_ACTIVITIES,
    STORE_COUNTER,
    VIEW,
    VIEW_LEDGER,
    VIEW_VOLUNTEERS,
)

PAGE_SIZE = 50


def _month(request: HttpRequest) -> dt.date:
    """`?month=2026-03`, or this month for anything absent or malformed."""
    return query_month(request.GET.get("month")) or dates.this_month()


def _flash(request: HttpRequest, form: forms.Form) -> None:
    """A button's refusal, shown as a message on the page it returns to."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# ---------------------------------------------------------------- overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not has_perm(actor, VIEW):
        if has_perm(actor, PORTAL):
            return redirect("volunteers:me")
        raise Http404
    blocks = []
    for community in registry_selectors.community_list(actor):
        if community.id in communities_for(actor, VIEW):
            blocks.append((community, selectors.overview(actor, community.id)))
    return render(
        request,
        "volunteers/home.html",
        {
            "blocks": blocks,
            "can_manage": has_perm(actor, MANAGE),
            "can_see_volunteers": has_perm(actor, VIEW_VOLUNTEERS),
            "can_export": has_perm(actor, EXPORT),
            "runs": selectors.runs_any(actor),
        },
    )


# ---------------------------------------------------------------- organisations and teams


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    org_type = request.GET.get("type", "")
    org_type = org_type if org_type in OrgType.values else ""
    return render(
        request,
        "volunteers/organisations.html",
        {
            "board": selectors.incubation_board(actor, org_type=org_type),
            "org_type": org_type,
            "types": OrgType.choices,
            "can_manage": has_perm(actor, MANAGE),
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    form = OrganisationForm(request.POST or None)
    org = submit(
        request,
        form,
        lambda d: services.organisation_create(
            actor=actor, community_id=acting_community(actor, MANAGE), **d
        ),
    )
    if org:
        messages.success(request, _("Saved."))
        return redirect("volunteers:organisation", organisation_id=org.id)
    return render(
        request, "volunteers/form.html", {"form": form, "title": _("New social organisation")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = actor_of(request)
    org = selectors.organisation_get(actor, organisation_id)
    allowed = [
        (ORG_STAGE_AFTER[t], str(OrgStage(ORG_STAGE_AFTER[t]).label))
        for t in ORG_MACHINE.available(org.stage)
    ]
    can_manage = has_perm(actor, MANAGE) and bool(allowed)
    form = AdvanceForm(request.POST or None, allowed=allowed) if can_manage else None
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request,
            form,
            lambda d: services.organisation_advance(actor=actor, organisation_id=org.id, **d),
        )
        is not None
    ):
        messages.success(request, _("Saved."))
        return redirect("volunteers:organisation", organisation_id=org.id)
    stages = [(OrgStage(s).label, getattr(org, field)) for s, field in ORG_STAGE_DATE.items()]
    return render(
        request,
        "volunteers/organisation_detail.html",
        {
            "org": org,
            "stages": stages,
            "form": form,
            "members": org.members.order_by("number")[:200],
            "member_count": org.members.count(),
            "teams": org.teams.all(),
            "can_see_volunteers": has_perm(actor, VIEW_VOLUNTEERS),
        },
    )


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    kind = request.GET.get("kind", "")
    kind = kind if kind in TeamKind.values else ""
    return render(
        request,
        "volunteers/teams.html",
        {
            "teams": selectors.team_list(actor, kind=kind),
            "kind": kind,
            "kinds": TeamKind.choices,
            "can_manage": has_perm(actor, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    orgs = [(o.id, o.name) for o in selectors.organisation_list(actor)]
    form = TeamForm(request.POST or None, organisations=orgs)
    team = submit(
        request,
        form,
        lambda d: services.team_create(
            actor=actor,
            community_id=acting_community(actor, MANAGE),
            name=d["name"],
            kind=d["kind"],
            organisation_id=d["organisation"],
            description=d["description"],
        ),
    )
    if team:
        messages.success(request, _("Saved."))
        return redirect("volunteers:team", team_id=team.id)
    return render(request, "volunteers/form.html", {"form": form, "title": _("New team")})


@login_required
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = actor_of(request)
    team = selectors.team_get(actor, team_id)
    return render(
        request,
        "volunteers/team_detail.html",
        {
            "team": team,
            "members": team.members.order_by("number")[:300],
            "member_count": team.members.count(),
            "activities": team.activities.order_by("-starts_at")[:10],
            "can_see_volunteers": has_perm(actor, VIEW_VOLUNTEERS),
        },
    )


# ---------------------------------------------------------------- volunteers


@login_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW_VOLUNTEERS)
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", VolunteerStatus.ACTIVE)
    status = status if status in VolunteerStatus.values or status == "" else VolunteerStatus.ACTIVE
    team_id = query_int(request.GET.get("team"), minimum=1)
    page = Paginator(
        selectors.volunteer_list(actor, q=q, status=status, team_id=team_id), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "volunteers/volunteer_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": VolunteerStatus.choices,
            "query": query.urlencode(),
            "can_manage": has_perm(actor, MANAGE),
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_new(request: HttpRequest) -> HttpResponse:
    """Register a volunteer: search the registry and pick a resident, or enter an outsider's
    name and phone."""
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    community_id = acting_community(actor, MANAGE)
    form = VolunteerForm(request.POST or None)
    volunteer = submit(
        request,
        form,
        lambda d: services.volunteer_register(
            actor=actor,
            community_id=community_id,
            resident_public_id=d["resident"],
            name=d["name"],
            phone=d["phone"],
            skills=d["skills"],
            availability=d["availability"],
        ),
    )
    if volunteer:
        messages.success(request, _("Registered."))
        return redirect("volunteers:volunteer", public_id=volunteer.public_id)
    q = request.GET.get("q", "").strip()[:50]
    found = registry_selectors.resident_pick(actor, q, community_id)
    return render(request, "volunteers/volunteer_new.html", {"form": form, "q": q, "found": found})


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    volunteer = selectors.volunteer_get(actor, public_id)
    can_manage = has_perm(actor, MANAGE) and volunteer.community_id in communities_for(
        actor, MANAGE
    )
    form = (
        VolunteerEditForm(
            request.POST or None,
            initial={
                "skills": volunteer.skills,
                "availability": volunteer.availability,
                "status": volunteer.status,
            },
        )
        if can_manage
        else None
    )
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request,
            form,
            lambda d: services.volunteer_update(actor=actor, volunteer_public_id=public_id, **d),
        )
        is not None
    ):
        messages.success(request, _("Saved."))
        return redirect("volunteers:volunteer", public_id=public_id)
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "v": volunteer,
            "records": selectors.service_records(volunteer)[:100],
            "trainings": volunteer.trainings.all(),
            "awards": volunteer.awards.all(),
            "teams": volunteer.teams.all(),
            "organisations": volunteer.organisations.all(),
            "form": form,
            "can_ledger": has_perm(actor, VIEW_LEDGER)
            and volunteer.community_id in communities_for(actor, VIEW_LEDGER),
        },
    )


@login_required
def volunteer_certificate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The printable service certificate (志愿服务证明) with the record's required content."""
    actor = actor_of(request)
    volunteer = selectors.volunteer_get(actor, public_id)
    records = list(selectors.service_records(volunteer))
    return render(
        request,
        "volunteers/certificate.html",
        {
            "v": volunteer,
            "records": records,
            "trainings": volunteer.trainings.all(),
            "awards": volunteer.awards.all(),
            "today": dates.local_today(),
        },
    )


# ---------------------------------------------------------------- activities


@login_required
def activities(request: HttpRequest) -> HttpResponse:
    """The month's activities day by day; residents sign up from here."""
    actor = actor_of(request)
    if not selectors.may_browse(actor):
        raise Http404
    month = _month(request)
    start, end = dates.month_bounds(month)
    rows = list(selectors.activity_list(actor, since=start, until=end))
    days: dict[dt.date, list[Any]] = {}
    for activity in rows:
        days.setdefault(dates.local_date(activity.starts_at), []).append(activity)
    mine = {}
    if has_perm(actor, PORTAL):
        mine = {s.activity_id: s for s in selectors.signups_for_resident(actor)}
    return render(
        request,
        "volunteers/activities.html",
        {
            "month": month,
            "prev": dates.add_months(month, -1),
            "next": dates.add_months(month, 1),
            "days": sorted(days.items()),
            "mine": mine,
            "portal": has_perm(actor, PORTAL),
            "can_post": has_perm(actor, RUN_ACTIVITIES),
            "now": dates.local_now(),
            "count": len(rows),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, RUN_ACTIVITIES)
    community_id = acting_community(actor, RUN_ACTIVITIES)
    team_choices = [(t.id, t.name) for t in selectors.team_list(actor)]
    form = ActivityForm(request.POST or None, teams=team_choices)
    activity = submit(
        request,
        form,
        lambda d: services.activity_create(
            actor=actor,
            community_id=community_id,
            title=d["title"],
            place=d["place"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            capacity=d["capacity"],
            team_id=d["team"],
            hours_cap=d["hours_cap"],
            description=d["description"],
        ),
    )
    if activity:
        messages.success(request, _("The activity is posted."))
        return redirect("volunteers:activity", activity_id=activity.id)
    return render(request, "volunteers/form.html", {"form": form, "title": _("New activity")})


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_of(request)
    activity = selectors.activity_get(actor, activity_id)
    runs = selectors.may_run(actor, activity)
    return render(
        request,
        "volunteers/activity_detail.html",
        {
            "a": activity,
            "runs": runs,
            "participants": selectors.participants(actor, activity) if runs else None,
            "mine": selectors.signup_for_resident(actor, activity)
            if has_perm(actor, PORTAL)
            else None,
            "portal": has_perm(actor, PORTAL),
            "needs_registration": has_perm(actor, PORTAL)
            and activity.audience == Audience.VOLUNTEERS
            and selectors.volunteer_for_resident(actor) is None,
            "open": activity.status == ActivityStatus.OPEN
            and activity.starts_at > dates.local_now(),
        },
    )


@login_required
@require_POST
def activity_signup(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    activity = selectors.activity_get(actor, activity_id)
    form = SignupForm(request.POST)
    signup = submit(
        request,
        form,
        lambda d: services.activity_signup(
            actor=actor,
            activity_id=activity.id,
            register_as_volunteer=d["register_as_volunteer"],
        ),
    )
    if signup is None:
        _flash(request, form)
    elif signup.status == SignupStatus.WAITLISTED:
        messages.warning(request, _("The activity is full: you are on the waiting list."))
    else:
        messages.success(request, _("You are signed up."))
    return redirect("volunteers:activity", activity_id=activity.id)


@login_required
@require_POST
def signup_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    signup = selectors.signup_get(actor, public_id)
    form = ActionForm(request.POST)
    if submit(
        request, form, lambda _d: services.signup_cancel(actor=actor, signup_public_id=public_id)
    ):
        messages.success(request, _("Your sign-up is cancelled."))
        return redirect("volunteers:activity", activity_id=signup.activity_id)
    _flash(request, form)
    return redirect("volunteers:me")


def _checkin_context(request: HttpRequest, actor: Actor, activity_id: int) -> dict[str, Any]:
    activity = selectors.activity_get(actor, activity_id)
    if not selectors.may_run(actor, activity):
        raise Http404
    policy = points.policy_for(activity.community_id)
    cap = services.hours_cap(activity, policy)
    rows = []
    for signup in selectors.participants(actor, activity):
        rows.append(
            {
                "s": signup,
                "computed": services.computed_hours(signup, cap),
            }
        )
    scan_url = request.build_absolute_uri(
        reverse(
            "volunteers:self_check",
            kwargs={"activity_id": activity.id, "token": activity.checkin_token},
        )
    )
    return {
        "a": activity,
        "rows": rows,
        "cap": cap,
        "points_per_hour": policy.points_per_hour,
        "qr": segno.make(scan_url, error="m").svg_inline(scale=4),
        "scan_url": scan_url,
    }


@login_required
def activity_checkin(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The organiser's check-in screen: every participant with one button for the next step."""
    actor = actor_of(request)
    return render(request, "volunteers/checkin.html", _checkin_context(request, actor, activity_id))


# The check-in screen's buttons: step -> (its form, the service it runs).
STEPS: dict[str, tuple[type[forms.Form], Callable[[Actor, UUID, dict[str, Any]], Signup]]] = {
    "in": (
        ActionForm,
        lambda actor, pid, _d: services.signup_check_in(actor=actor, signup_public_id=pid),
    ),
    "out": (
        ActionForm,
        lambda actor, pid, _d: services.signup_check_out(actor=actor, signup_public_id=pid),
    ),
    "confirm": (
        ConfirmHoursForm,
        lambda actor, pid, d: services.signup_confirm(
            actor=actor, signup_public_id=pid, hours=d["hours"]
        ),
    ),
}


@login_required
@require_POST
def signup_step(request: HttpRequest, public_id: UUID, step: str) -> HttpResponse:
    """Check in, check out or confirm hours from the check-in screen."""
    actor = actor_of(request)
    if step not in STEPS:
        raise Http404
    signup = selectors.signup_run(actor, public_id)
    form_class, action = STEPS[step]
    form = form_class(request.POST)
    if submit(request, form, lambda d: action(actor, public_id, d)) is None:
        _flash(request, form)
    return redirect("volunteers:checkin", activity_id=signup.activity_id)


@login_required
@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest, activity_id: int, token: str) -> HttpResponse:
    """Where the QR code leads: the volunteer confirms and is checked in (or out)."""
    actor = actor_of(request)
    if not has_perm(actor, PORTAL):
        raise Http404
    activity = selectors.activity_get(actor, activity_id)
    if token != activity.checkin_token:
        raise Http404
    form = ActionForm(request.POST or None)
    signup = submit(
        request,
        form,
        lambda _d: services.signup_self_check(actor=actor, activity_id=activity_id, token=token),
    )
    if request.method == "POST":
        if signup is None:
            _flash(request, form)
        else:
            messages.success(
                request,
                _("Checked in.")
                if signup.status == SignupStatus.CHECKED_IN
                else _("Checked out. The organiser will confirm your hours."),
            )
        return redirect("volunteers:activity", activity_id=activity_id)
    return render(
        request,
        "volunteers/self_check.html",
        {"a": activity, "mine": selectors.signup_for_resident(actor, activity)},
    )


# ---------------------------------------------------------------- leaderboard and ledger


@login_required
def leaderboard(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not selectors.may_browse(actor):
        raise Http404
    month = _month(request)
    by = "hours" if request.GET.get("by") == "hours" else "points"
    community_ids = selectors.visible_community_ids(actor)
    if not community_ids:
        raise Http404
    community_id = query_int(request.GET.get("community"), minimum=1) or community_ids[0]
    rows = selectors.leaderboard(actor, community_id=community_id, month=month, by=by)
    return render(
        request,
        "volunteers/leaderboard.html",
        {
            "rows": rows,
            "month": month,
            "prev": dates.add_months(month, -1),
            "next": dates.add_months(month, 1),
            "by": by,
            "community_id": community_id,
            "can_export": has_perm(actor, EXPORT),
            "can_ledger": has_perm(actor, VIEW_LEDGER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger(request: HttpRequest, account_id: int) -> HttpResponse:
    """Anyone's ledger, for the community admin; corrections need a reason and are audited."""
    actor = actor_of(request)
    account = selectors.account_get(actor, account_id)
    form = AdjustForm(request.POST or None) if has_perm(actor, ADJUST_POINTS) else None
    if request.method == "POST" and form is None:
        raise Http404
    if (
        form is not None
        and submit(
            request, form, lambda d: points.points_adjust(actor=actor, account_id=account.id, **d)
        )
        is not None
    ):
        messages.success(request, _("Saved."))
        return redirect("volunteers:ledger", account_id=account.id)
    page = Paginator(selectors.account_entries(actor, account), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "volunteers/ledger.html",
        {"account": account, "page": page, "form": form},
    )


# ---------------------------------------------------------------- portal


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The resident's own volunteering: balance, hours, history, sign-ups and redemptions."""
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    account = selectors.account_for_resident(actor)
    page = Paginator(selectors.entries_for_resident(actor), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/me.html",
        {
            "account": account,
            "volunteer": selectors.volunteer_for_resident(actor),
            "page": page,
            "signups": selectors.signups_for_resident(actor)[:20],
            "redemptions": selectors.redemptions_for_resident(actor)[:20],
            "reserved": RedemptionStatus.RESERVED,
            "cancellable": (SignupStatus.SIGNED_UP, SignupStatus.WAITLISTED),
        },
    )


# ---------------------------------------------------------------- the store


@login_required
def store(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not selectors.may_browse(actor):
        raise Http404
    can_manage = has_perm(actor, MANAGE)
    return render(
        request,
        "volunteers/store.html",
        {
            "items": selectors.store_items(actor, include_inactive=can_manage),
            "account": selectors.account_for_resident(actor) if has_perm(actor, PORTAL) else None,
            "portal": has_perm(actor, PORTAL),
            "can_manage": can_manage,
            "counter": has_perm(actor, STORE_COUNTER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def store_item_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    form = StoreItemForm(request.POST or None)
    item = submit(
        request,
        form,
        lambda cd: points.store_item_create(
            actor=actor, community_id=acting_community(actor, MANAGE), **cd
        ),
    )
    if item:
        messages.success(request, _("Saved."))
        return redirect("volunteers:store")
    return render(request, "volunteers/form.html", {"form": form, "title": _("New store item")})


@login_required
@require_http_methods(["GET", "POST"])
def store_item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    item = selectors.store_item_get(actor, item_id)
    form = StoreItemEditForm(
        request.POST or None,
        in_stock=item.stock,
        initial={
            "name": item.name,
            "description": item.description,
            "price": item.price,
            "per_person_limit": item.per_person_limit,
            "active": item.active,
        },
    )
    saved = submit(
        request, form, lambda cd: points.store_item_update(actor=actor, item_id=item.id, **cd)
    )
    if saved:
        messages.success(request, _("Saved."))
        return redirect("volunteers:store")
    return render(request, "volunteers/form.html", {"form": form, "title": _("Change store item")})


@login_required
@require_POST
def redeem(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PORTAL)
    item = selectors.store_item_offered(actor, item_id)
    form = RedeemForm(request.POST)
    redemption = submit(
        request,
        form,
        lambda d: points.points_redeem(actor=actor, item_id=item.id, quantity=d["quantity"]),
    )
    if redemption is None:
        _flash(request, form)
        return redirect("volunteers:store")
    messages.success(
        request,
        _("Redeemed. Show pickup code %(code)s at the counter.") % {"code": redemption.pickup_code},
    )
    return redirect("volunteers:me")


@login_required
@require_POST
def redemption_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    selectors.redemption_get(actor, public_id)
    form = ActionForm(request.POST)
    if submit(
        request,
        form,
        lambda _d: points.redemption_cancel(actor=actor, redemption_public_id=public_id),
    ):
        messages.success(request, _("Cancelled: your points are back."))
    else:
        _flash(request, form)
    if has_perm(actor, PORTAL):
        return redirect("volunteers:me")
    return redirect("volunteers:counter")


@login_required
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest) -> HttpResponse:
    """The store counter: type the resident's pickup code, check the item, hand it over."""
    actor = actor_of(request)
    require_perm(actor, STORE_COUNTER)
    form = CounterForm(request.POST or request.GET or None)
    found = None
    done = submit(request, form, lambda d: points.redemption_pickup(actor=actor, code=d["code"]))
    if done:
        messages.success(
            request,
            _("Handed over: %(item)s × %(n)s to %(name)s.")
            % {"item": done.item.name, "n": done.quantity, "name": done.account.name},
        )
        return redirect("volunteers:counter")
    if request.method == "GET" and request.GET.get("code") and form.is_valid():
        found = selectors.counter_redemption(actor, form.cleaned_data["code"])
        if found is None:
            form.add_error("code", _("No open redemption has this pickup code."))
    return render(
        request,
        "volunteers/counter.html",
        {"form": form, "found": found, "recent": selectors.counter_recent(actor)},
    )


# ---------------------------------------------------------------- exports


@login_required
def export(request: HttpRequest, what: str) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    community_id = acting_community(actor, EXPORT)
    month = _month(request)
    builders: dict[str, Callable[[], Export]] = {
        "volunteers": lambda: exporting.export_volunteers(actor=actor, community_id=community_id),
        "organisations": lambda: exporting.export_organisations(
            actor=actor, community_id=community_id
        ),
        "leaderboard": lambda: exporting.export_leaderboard(
            actor=actor, community_id=community_id, month=month
        ),
        "hours": lambda: exporting.export_hours(
            actor=actor, community_id=community_id, month=month
        ),
    }
    if what not in builders:
        raise Http404
    return xlsx_response(builders[what]())
