"""Pages of volunteering: organisations and the incubation board, teams, volunteers and their
records and certificate, the activity calendar with sign-up, the check-in screen, the portal's
points and history, the store and its counter, monthly leaderboards and .xlsx exports.

Views parse input, call selectors and services and render; domain errors become form errors
or messages. Whatever lies outside the actor's scope is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core.errors import DomainError
from linli.core.forms import add_domain_error, submit
from linli.core.permissions import Actor, communities_for, has_perm
from linli.core.web import acting_community, request_actor, require_perm
from linli.registry import selectors as registry_selectors
from linli.volunteers import exporting, points, selectors, services
from linli.volunteers.choices import (
    ORG_TRANSITIONS,
    ActivityStatus,
    OrgStage,
    OrgType,
    RedemptionStatus,
    SignupStatus,
    TeamKind,
    VolunteerStatus,
)
from linli.volunteers.forms import (
    ActivityForm,
    AdjustForm,
    AdvanceForm,
    ConfirmHoursForm,
    CounterForm,
    OrganisationForm,
    RedeemForm,
    StoreItemEditForm,
    StoreItemForm,
    TeamForm,
    VolunteerEditForm,
    VolunteerForm,
)
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


def _month(value: str | None) -> dt.date:
    today = timezone.localdate()
    try:
        parsed = dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)
    return parsed if 2000 <= parsed.year <= 2100 else today.replace(day=1)


def _shift(month: dt.date, by: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + by
    return dt.date(index // 12, index % 12 + 1, 1)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------- overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
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
    actor = request_actor(request)
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
    actor = request_actor(request)
    require_perm(actor, MANAGE)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(
                actor=actor, community_id=acting_community(actor, MANAGE), **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("volunteers:organisation", organisation_id=org.id)
    return render(
        request, "volunteers/form.html", {"form": form, "title": _("New social organisation")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = request_actor(request)
    org = selectors.organisation_get(actor, organisation_id)
    allowed = [
        (s, str(OrgStage(s).label)) for s in OrgStage.values if s in ORG_TRANSITIONS[org.stage]
    ]
    can_manage = has_perm(actor, MANAGE) and bool(allowed)
    form = AdvanceForm(request.POST or None, allowed=allowed) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.organisation_advance(
                    actor=actor, organisation_id=org.id, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("volunteers:organisation", organisation_id=org.id)
    stages = [
        (OrgStage(s).label, getattr(org, field))
        for s, field in (
            ("applied", "applied_on"),
            ("incubating", "incubating_on"),
            ("registered", "registered_on"),
            ("graduated", "graduated_on"),
            ("withdrawn", "withdrawn_on"),
        )
    ]
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
    actor = request_actor(request)
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
    actor = request_actor(request)
    require_perm(actor, MANAGE)
    orgs = [(o.id, o.name) for o in selectors.organisation_list(actor)]
    form = TeamForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(
                actor=actor,
                community_id=acting_community(actor, MANAGE),
                name=data["name"],
                kind=data["kind"],
                organisation_id=data["organisation"],
                description=data["description"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("volunteers:team", team_id=team.id)
    return render(request, "volunteers/form.html", {"form": form, "title": _("New team")})


@login_required
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = request_actor(request)
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
    actor = request_actor(request)
    require_perm(actor, VIEW_VOLUNTEERS)
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", VolunteerStatus.ACTIVE)
    status = status if status in VolunteerStatus.values or status == "" else VolunteerStatus.ACTIVE
    team_id = _int(request.GET.get("team"))
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
    actor = request_actor(request)
    require_perm(actor, MANAGE)
    community_id = acting_community(actor, MANAGE)
    form = VolunteerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer = services.volunteer_register(
                actor=actor,
                community_id=community_id,
                resident_public_id=data["resident"],
                name=data["name"],
                phone=data["phone"],
                skills=data["skills"],
                availability=data["availability"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Registered."))
            return redirect("volunteers:volunteer", public_id=volunteer.public_id)
    q = request.GET.get("q", "").strip()[:50]
    found = registry_selectors.resident_pick(actor, q, community_id)
    return render(request, "volunteers/volunteer_new.html", {"form": form, "q": q, "found": found})


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    volunteer = selectors.volunteer_get(actor, public_id)
    can_manage = has_perm(actor, MANAGE) and volunteer.community_id in communities_for(
        actor, MANAGE
    )
    form = None
    if can_manage:
        form = VolunteerEditForm(
            request.POST or None,
            initial={
                "skills": volunteer.skills,
                "availability": volunteer.availability,
                "status": volunteer.status,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.volunteer_update(
                    actor=actor, volunteer_public_id=public_id, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("volunteers:volunteer", public_id=public_id)
    elif request.method == "POST":
        raise Http404
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
    actor = request_actor(request)
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
            "today": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------- activities


@login_required
def activities(request: HttpRequest) -> HttpResponse:
    """The month's activities day by day; residents sign up from here."""
    actor = request_actor(request)
    if not selectors.may_browse(actor):
        raise Http404
    month = _month(request.GET.get("month"))
    start, end = selectors.month_bounds(month)
    rows = list(selectors.activity_list(actor, since=start, until=end))
    days: dict[dt.date, list[Any]] = {}
    for activity in rows:
        days.setdefault(timezone.localtime(activity.starts_at).date(), []).append(activity)
    mine = {}
    if has_perm(actor, PORTAL):
        mine = {s.activity_id: s for s in selectors.my_signups(actor)}
    return render(
        request,
        "volunteers/activities.html",
        {
            "month": month,
            "prev": _shift(month, -1),
            "next": _shift(month, 1),
            "days": sorted(days.items()),
            "mine": mine,
            "portal": has_perm(actor, PORTAL),
            "can_post": has_perm(actor, RUN_ACTIVITIES),
            "now": timezone.now(),
            "count": len(rows),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    require_perm(actor, RUN_ACTIVITIES)
    community_id = acting_community(actor, RUN_ACTIVITIES)
    team_choices = [(t.id, t.name) for t in selectors.team_list(actor)]
    form = ActivityForm(request.POST or None, teams=team_choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(
                actor=actor,
                community_id=community_id,
                title=data["title"],
                place=data["place"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
                team_id=data["team"],
                hours_cap=data["hours_cap"],
                description=data["description"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The activity is posted."))
            return redirect("volunteers:activity", activity_id=activity.id)
    return render(request, "volunteers/form.html", {"form": form, "title": _("New activity")})


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = request_actor(request)
    activity = selectors.activity_get(actor, activity_id)
    runs = selectors.may_run(actor, activity)
    return render(
        request,
        "volunteers/activity_detail.html",
        {
            "a": activity,
            "runs": runs,
            "participants": selectors.participants(actor, activity) if runs else None,
            "mine": selectors.my_signup(actor, activity) if has_perm(actor, PORTAL) else None,
            "portal": has_perm(actor, PORTAL),
            "open": activity.status == ActivityStatus.OPEN and activity.starts_at > timezone.now(),
        },
    )


@login_required
@require_POST
def activity_signup(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = request_actor(request)
    try:
        signup = services.activity_signup(actor=actor, activity_id=activity_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        if signup.status == SignupStatus.WAITLISTED:
            messages.warning(request, _("The activity is full: you are on the waiting list."))
        else:
            messages.success(request, _("You are signed up."))
    return redirect("volunteers:activity", activity_id=activity_id)


@login_required
@require_POST
def signup_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    try:
        signup = services.signup_cancel(actor=actor, signup_public_id=public_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect("volunteers:me")
    messages.success(request, _("Your sign-up is cancelled."))
    return redirect("volunteers:activity", activity_id=signup.activity_id)


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
    actor = request_actor(request)
    return render(request, "volunteers/checkin.html", _checkin_context(request, actor, activity_id))


@login_required
@require_POST
def signup_step(request: HttpRequest, public_id: UUID, step: str) -> HttpResponse:
    """Check in, check out or confirm hours from the check-in screen."""
    actor = request_actor(request)
    activity_id = None
    try:
        if step == "in":
            signup = services.signup_check_in(actor=actor, signup_public_id=public_id)
        elif step == "out":
            signup = services.signup_check_out(actor=actor, signup_public_id=public_id)
        elif step == "confirm":
            form = ConfirmHoursForm(request.POST)
            hours = form.cleaned_data["hours"] if form.is_valid() else None
            signup = services.signup_confirm(actor=actor, signup_public_id=public_id, hours=hours)
        else:
            raise Http404
        activity_id = signup.activity_id
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        activity_id = _int(request.POST.get("activity"))
        if activity_id is None:
            raise Http404 from exc
    return redirect("volunteers:checkin", activity_id=activity_id)


@login_required
@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest, activity_id: int, token: str) -> HttpResponse:
    """Where the QR code leads: the volunteer confirms and is checked in (or out)."""
    actor = request_actor(request)
    if not has_perm(actor, PORTAL):
        raise Http404
    activity = selectors.activity_get(actor, activity_id)
    if token != activity.checkin_token:
        raise Http404
    if request.method == "POST":
        try:
            signup = services.signup_self_check(actor=actor, activity_id=activity_id, token=token)
        except DomainError as exc:
            if exc.status == 404:
                raise
            messages.error(request, exc.message)
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
        {"a": activity, "mine": selectors.my_signup(actor, activity)},
    )


# ---------------------------------------------------------------- leaderboard and ledger


@login_required
def leaderboard(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not selectors.may_browse(actor):
        raise Http404
    month = _month(request.GET.get("month"))
    by = "hours" if request.GET.get("by") == "hours" else "points"
    community_ids = selectors.visible_community_ids(actor)
    if not community_ids:
        raise Http404
    community_id = _int(request.GET.get("community")) or community_ids[0]
    rows = selectors.leaderboard(actor, community_id=community_id, month=month, by=by)
    return render(
        request,
        "volunteers/leaderboard.html",
        {
            "rows": rows,
            "month": month,
            "prev": _shift(month, -1),
            "next": _shift(month, 1),
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
    actor = request_actor(request)
    account = selectors.account_get(actor, account_id)
    form = AdjustForm(request.POST or None) if has_perm(actor, ADJUST_POINTS) else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                points.points_adjust(actor=actor, account_id=account.id, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
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
    actor = request_actor(request)
    require_perm(actor, PORTAL)
    account = selectors.own_account(actor)
    page = Paginator(selectors.own_entries(actor), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/me.html",
        {
            "account": account,
            "volunteer": selectors.own_volunteer(actor),
            "page": page,
            "signups": selectors.my_signups(actor)[:20],
            "redemptions": selectors.own_redemptions(actor)[:20],
            "reserved": RedemptionStatus.RESERVED,
            "cancellable": (SignupStatus.SIGNED_UP, SignupStatus.WAITLISTED),
        },
    )


# ---------------------------------------------------------------- the store


@login_required
def store(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not selectors.may_browse(actor):
        raise Http404
    can_manage = has_perm(actor, MANAGE)
    return render(
        request,
        "volunteers/store.html",
        {
            "items": selectors.store_items(actor, include_inactive=can_manage),
            "account": selectors.own_account(actor) if has_perm(actor, PORTAL) else None,
            "portal": has_perm(actor, PORTAL),
            "can_manage": can_manage,
            "counter": has_perm(actor, STORE_COUNTER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def store_item_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
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
    actor = request_actor(request)
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
    actor = request_actor(request)
    require_perm(actor, PORTAL)
    form = RedeemForm(request.POST)
    quantity = form.cleaned_data["quantity"] if form.is_valid() else 1
    try:
        redemption = points.points_redeem(actor=actor, item_id=item_id, quantity=quantity)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect("volunteers:store")
    messages.success(
        request,
        _("Redeemed. Show pickup code %(code)s at the counter.") % {"code": redemption.pickup_code},
    )
    return redirect("volunteers:me")


@login_required
@require_POST
def redemption_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = request_actor(request)
    try:
        points.redemption_cancel(actor=actor, redemption_public_id=public_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cancelled: your points are back."))
    if has_perm(actor, PORTAL):
        return redirect("volunteers:me")
    return redirect("volunteers:counter")


@login_required
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest) -> HttpResponse:
    """The store counter: type the resident's pickup code, check the item, hand it over."""
    actor = request_actor(request)
    require_perm(actor, STORE_COUNTER)
    form = CounterForm(request.POST or request.GET or None)
    found = None
    if request.method == "POST" and form.is_valid():
        try:
            done = points.redemption_pickup(actor=actor, code=form.cleaned_data["code"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Handed over: %(item)s × %(n)s to %(name)s.")
                % {"item": done.item.name, "n": done.quantity, "name": done.account.name},
            )
            return redirect("volunteers:counter")
    elif request.GET.get("code") and form.is_valid():
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
    actor = request_actor(request)
    require_perm(actor, EXPORT)
    community_id = acting_community(actor, EXPORT)
    month = _month(request.GET.get("month"))
    builders = {
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
    content, filename = builders[what]()
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
