"""Pages of deliberation: matters (四议两公开), meetings, notices with their objection logs,
votes with the live tally, the board of elevator projects and each project's progress page,
consent sheets and the printable consent form; and the resident's side (his building's matters
and notices, his vote, his cost share).

Views parse input, call selectors and services and render; every action is a real Form run
through `core.forms.submit`, from a table action → (form, service, permission)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core import dates
from linli.core.errors import CoreError, DomainError
from linli.core.exporting import xlsx_response
from linli.core.forms import submit
from linli.core.permissions import Actor, has_perm
from linli.core.web import acting_community, actor_of, query_page, require_perm
from linli.deliberation import costs, exporting, selectors, services
from linli.deliberation import forms as f
from linli.deliberation.choices import PROJECT_MACHINE, STEP_ORDER, Stage, Step, VoteStatus
from linli.deliberation.permissions import EXPORT, MANAGE, PARTICIPATE, RECORD, VIEW

PAGE_SIZE = 50


@dataclass(frozen=True)
class Action:
    form: type[forms.Form]
    perm: str
    run: Callable[[Actor, Any, dict[str, Any]], Any]


def _run(request: HttpRequest, table: dict[str, Action], action: str, obj: Any) -> forms.Form:
    actor = actor_of(request)
    spec = table.get(action)
    if spec is None or not has_perm(actor, spec.perm):
        raise Http404
    form = spec.form(request.POST)
    if submit(request, form, lambda d: spec.run(actor, obj, d)) is not None:
        messages.success(request, _("Saved."))
    else:
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, str(e))
    return form


# --- creating matters, meetings, notices, votes and projects ----------------------------------


def _where(a: Actor, cid: int, d: dict[str, Any]) -> dict[str, Any]:
    return services.place_from_code(actor=a, community_id=cid, code=d.pop("place") or "")


def _new_project(a: Actor, cid: int, d: dict[str, Any]) -> Any:
    place = _where(a, cid, d)
    if place["scope"] != "staircase":
        raise DomainError(
            _("Name the staircase, e.g. 12-2."), code=CoreError.REQUIRED, field="place"
        )
    return services.project_create(
        actor=a,
        unit_id=place["unit_id"],
        total_cost_yuan=d["total_cost_yuan"],
        maintenance_yuan=d["maintenance_yuan"] or 0,
        electricity_yuan=d["electricity_yuan"] or 0,
    )


def _new_meeting(a: Actor, cid: int, d: dict[str, Any]) -> Any:
    starts_at = dates.day_start(d.pop("starts_on")).replace(
        hour=d["starts_time"].hour, minute=d.pop("starts_time").minute
    )
    return services.meeting_create(actor=a, starts_at=starts_at, **_where(a, cid, d), **d)


@dataclass(frozen=True)
class New:
    form: type[forms.Form]
    label: str | Promise
    run: Callable[[Actor, int, dict[str, Any]], Any]
    detail: str


NEW = {
    "matter": New(
        f.NewMatterForm,
        gettext_lazy("New matter"),
        lambda a, c, d: services.matter_create(actor=a, **_where(a, c, d), **d),
        "deliberation:matter",
    ),
    "vote": New(
        f.NewVoteForm,
        gettext_lazy("New vote"),
        lambda a, c, d: services.vote_open(actor=a, **_where(a, c, d), **d),
        "deliberation:vote",
    ),
    "notice": New(
        f.NewNoticeForm,
        gettext_lazy("New notice"),
        lambda a, c, d: services.notice_create(actor=a, **_where(a, c, d), **d),
        "deliberation:notice",
    ),
    "meeting": New(
        f.NewMeetingForm, gettext_lazy("New meeting"), _new_meeting, "deliberation:meeting"
    ),
    "project": New(
        f.NewProjectForm, gettext_lazy("New elevator project"), _new_project, "deliberation:project"
    ),
}


@login_required
def new(request: HttpRequest, kind: str) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, MANAGE)
    spec = NEW.get(kind)
    if spec is None:
        raise Http404
    community_id = acting_community(actor, MANAGE)
    form = spec.form(request.POST or None)
    created = submit(request, form, lambda d: spec.run(actor, community_id, dict(d)))
    if created is not None:
        return redirect(spec.detail, public_id=created.public_id)
    return render(
        request, "deliberation/new.html", {"form": form, "title": spec.label, "kind": kind}
    )


# --- overview -----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not has_perm(actor, VIEW) and has_perm(actor, PARTICIPATE):
        return redirect("deliberation:portal")
    require_perm(actor, VIEW)
    counts = selectors.board_counts(actor)
    signed = sum(counts[s] for s in selectors.signed_stages())
    return render(
        request,
        "deliberation/home.html",
        {
            "matters": selectors.matter_list(actor)[:8],
            "meetings": selectors.meeting_list(actor)[:8],
            "notices": selectors.notice_list(actor)[:6],
            "votes": selectors.vote_list(actor).filter(status=VoteStatus.OPEN)[:6],
            "counts": counts,
            "signed": signed,
            "in_service": counts[Stage.IN_SERVICE],
            "meetings_held": selectors.meeting_list(actor).filter(status="held").count(),
            "can_manage": has_perm(actor, MANAGE),
            "section": "home",
        },
    )


# --- matters ------------------------------------------------------------------------------------


@login_required
def matter_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    page = Paginator(selectors.matter_list(actor), PAGE_SIZE).get_page(
        query_page(request.GET.get("page"))
    )
    return render(request, "deliberation/matters.html", {"page": page, "section": "matters"})


MATTER_ACTIONS = {
    "step": Action(
        f.StepForm,
        MANAGE,
        lambda a, m, d: services.matter_complete_step(actor=a, public_id=m.public_id, **d),
    ),
}


@login_required
def matter_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    matter = selectors.matter_get(actor, public_id)
    if request.method == "POST":
        _run(request, MATTER_ACTIONS, request.POST.get("action", ""), matter)
        return redirect("deliberation:matter", public_id=matter.public_id)
    done = {s.step for s in matter.steps.all()}
    steps = [(s, Step(s).label, s in done, s == matter.step) for s in STEP_ORDER[:-1]]
    return render(
        request,
        "deliberation/matter.html",
        {
            "matter": matter,
            "steps": steps,
            "records": matter.steps.all(),
            "step_form": f.StepForm(),
            "can_manage": has_perm(actor, MANAGE) and matter.step in STEP_ORDER[:-1],
            "section": "matters",
        },
    )


# --- meetings -----------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    page = Paginator(selectors.meeting_list(actor), PAGE_SIZE).get_page(
        query_page(request.GET.get("page"))
    )
    return render(request, "deliberation/meetings.html", {"page": page, "section": "meetings"})


MEETING_ACTIONS = {
    "sign_in": Action(
        f.SignInForm,
        RECORD,
        lambda a, m, d: services.meeting_sign_in(
            actor=a, public_id=m.public_id, household_id=d["household"]
        ),
    ),
    "hold": Action(
        f.MinutesForm,
        RECORD,
        lambda a, m, d: services.meeting_hold(actor=a, public_id=m.public_id, **d),
    ),
    "decision": Action(
        f.DecisionForm,
        RECORD,
        lambda a, m, d: services.decision_add(
            actor=a,
            meeting_public_id=m.public_id,
            text=d["text"],
            votes_for=d["votes_for"],
            votes_against=d["votes_against"] or 0,
            votes_abstain=d["votes_abstain"] or 0,
        ),
    ),
}


@login_required
def meeting_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    meeting = selectors.meeting_get(actor, public_id)
    if request.method == "POST":
        _run(request, MEETING_ACTIONS, request.POST.get("action", ""), meeting)
        return redirect("deliberation:meeting", public_id=meeting.public_id)
    checkin_url = request.build_absolute_uri(
        reverse("deliberation:checkin", args=[meeting.public_id])
    )
    return render(
        request,
        "deliberation/meeting.html",
        {
            "meeting": meeting,
            "decisions": meeting.decisions.all(),
            "can_record": has_perm(actor, RECORD),
            "minutes_form": f.MinutesForm(),
            "qr": segno.make(checkin_url, error="m").svg_inline(scale=4)
            if meeting.status == "planned"
            else "",
            "decision_form": f.DecisionForm(),
            "section": "meetings",
        },
    )


@login_required
def meeting_checkin(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Where the meeting's QR code leads: the resident signs his household in."""
    actor = actor_of(request)
    require_perm(actor, PARTICIPATE)
    meeting = selectors.meeting_for_resident(actor, public_id)
    form = f.EmptyForm(request.POST if request.method == "POST" else None)
    if submit(
        request, form, lambda d: services.meeting_check_in(actor=actor, public_id=meeting.public_id)
    ):
        messages.success(request, _("You are signed in. Welcome!"))
        return redirect("deliberation:checkin", public_id=meeting.public_id)
    return render(request, "deliberation/checkin.html", {"meeting": meeting, "form": form})


# --- notices ------------------------------------------------------------------------------------


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    page = Paginator(selectors.notice_list(actor), PAGE_SIZE).get_page(
        query_page(request.GET.get("page"))
    )
    return render(request, "deliberation/notices.html", {"page": page, "section": "notices"})


NOTICE_ACTIONS = {
    "publish": Action(
        f.EmptyForm, MANAGE, lambda a, n, d: services.notice_publish(actor=a, public_id=n.public_id)
    ),
    "object": Action(
        f.ObjectionForm,
        RECORD,
        lambda a, n, d: services.objection_lodge(
            actor=a, notice_public_id=n.public_id, about=d["about"], objector=d["objector"]
        ),
    ),
    "reply": Action(
        f.ReplyForm,
        RECORD,
        lambda a, n, d: services.objection_reply(
            actor=a, public_id=d["objection"], reply=d["reply"]
        ),
    ),
}


@login_required
def notice_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    notice = selectors.notice_get(actor, public_id)
    if request.method == "POST":
        _run(request, NOTICE_ACTIONS, request.POST.get("action", ""), notice)
        return redirect("deliberation:notice", public_id=notice.public_id)
    today = dates.local_today()
    return render(
        request,
        "deliberation/notice.html",
        {
            "notice": notice,
            "objections": notice.objections.all(),
            "today": today,
            "can_record": has_perm(actor, RECORD),
            "can_manage": has_perm(actor, MANAGE),
            "open": notice.status == "published" and notice.starts_on <= today <= notice.ends_on,
            "objection_form": f.ObjectionForm(),
            "section": "notices",
        },
    )


# --- votes --------------------------------------------------------------------------------------


def _ballot(a: Actor, v: Any, d: dict[str, Any]) -> Any:
    return services.ballot_cast(actor=a, vote_public_id=v.public_id, **d)


VOTE_ACTIONS = {
    "ballot": Action(f.BallotForm, RECORD, _ballot),
    "close": Action(
        f.EmptyForm, MANAGE, lambda a, v, d: services.vote_close(actor=a, public_id=v.public_id)
    ),
}


@login_required
def vote_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    page = Paginator(selectors.vote_list(actor), PAGE_SIZE).get_page(
        query_page(request.GET.get("page"))
    )
    return render(request, "deliberation/votes.html", {"page": page, "section": "votes"})


@login_required
def vote_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    vote = selectors.vote_get(actor, public_id)
    if request.method == "POST":
        _run(request, VOTE_ACTIONS, request.POST.get("action", ""), vote)
        return redirect("deliberation:vote", public_id=vote.public_id)
    what_if_form = f.WhatIfForm(request.GET or None)
    what_if = None
    if what_if_form.is_valid() and what_if_form.cleaned_data["objecting"].strip():
        what_if = selectors.vote_tally(
            vote, objecting=what_if_form.cleaned_data["objecting"].split()
        )
    electors = Paginator(selectors.electors_with_ballots(vote), 100).get_page(
        query_page(request.GET.get("page"))
    )
    return render(
        request,
        "deliberation/vote.html",
        {
            "vote": vote,
            "tally": selectors.vote_tally(vote),
            "electors": electors,
            "what_if": what_if,
            "what_if_form": what_if_form,
            "can_record": has_perm(actor, RECORD) and vote.status == VoteStatus.OPEN,
            "can_manage": has_perm(actor, MANAGE),
            "can_export": has_perm(actor, EXPORT),
            "section": "votes",
        },
    )


@login_required
def vote_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, EXPORT)
    return xlsx_response(exporting.export_consent_sheet(actor=actor, vote_public_id=public_id))


# --- elevator projects --------------------------------------------------------------------------


@login_required
def project_board(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    rows = list(selectors.project_list(actor).order_by("building__number", "unit__number"))
    columns = [(s, s.label, [p for p in rows if p.stage == s]) for s in Stage]
    counts = selectors.board_counts(actor)
    return render(
        request,
        "deliberation/board.html",
        {
            "columns": columns,
            "rows": rows,
            "signed": sum(counts[s] for s in selectors.signed_stages()),
            "stuck": [p for p in rows if p.stuck_reason],
            "section": "projects",
        },
    )


def _project_ballot(a: Actor, p: Any, d: dict[str, Any]) -> Any:
    if p.vote is None:
        raise Http404
    return services.ballot_cast(actor=a, vote_public_id=p.vote.public_id, **d)


PROJECT_ACTIONS = {
    "stage": Action(
        f.StageForm,
        MANAGE,
        lambda a, p, d: services.project_advance(actor=a, public_id=p.public_id, **d),
    ),
    "ballot": Action(f.BallotForm, RECORD, _project_ballot),
    "stuck": Action(
        f.StuckForm,
        RECORD,
        lambda a, p, d: services.project_stuck(actor=a, public_id=p.public_id, reason=d["reason"]),
    ),
    "funds": Action(
        f.FundsForm,
        RECORD,
        lambda a, p, d: services.funds_record(
            actor=a,
            project_public_id=p.public_id,
            household_id=d["household"],
            pledged_yuan=d["pledged_yuan"],
            collected_yuan=d["collected_yuan"],
        ),
    ),
    "objection": Action(
        f.ProjectObjectionForm,
        RECORD,
        lambda a, p, d: services.project_objection_lodge(
            actor=a,
            project_public_id=p.public_id,
            household_id=d["household"],
            reason=d["reason"],
            detail=d["detail"],
        ),
    ),
    "settle": Action(
        f.SettleForm,
        RECORD,
        lambda a, p, d: services.project_objection_settle(
            actor=a,
            public_id=d["objection"],
            settlement=d["settlement"],
            compensation_yuan=d["compensation_yuan"] or 0,
            agreement_ref=d["agreement_ref"],
            withdrawn=d["withdrawn"],
        ),
    ),
}


@login_required
def project_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, VIEW)
    project = selectors.project_get(actor, public_id)
    if request.method == "POST":
        _run(request, PROJECT_ACTIONS, request.POST.get("action", ""), project)
        return redirect("deliberation:project", public_id=project.public_id)
    shares = list(selectors.project_shares(project))
    tally = selectors.vote_tally(project.vote) if project.vote else None
    ballots = {}
    if project.vote:
        ballots = {e.owner_key: e for e in selectors.electors_with_ballots(project.vote)}
    rows = []
    for s in shares:
        rows.append(
            {
                "share": s,
                "yuan": costs.yuan(s.share_fen),
                "maint": costs.yuan(s.maintenance_fen),
                "power": costs.yuan(s.electricity_fen),
                "collected": costs.yuan(s.collected_fen),
            }
        )
    notice = project.notices.order_by("-starts_on").first()
    collected = sum(s.collected_fen for s in shares)
    transitions = PROJECT_MACHINE.available(project.stage) if has_perm(actor, MANAGE) else []
    return render(
        request,
        "deliberation/project.html",
        {
            "project": project,
            "rows": rows,
            "tally": tally,
            "electors": list(ballots.values()),
            "objections": selectors.project_objections(project),
            "notice": notice,
            "events": project.events.all(),
            "total": costs.yuan(project.total_cost_fen),
            "subsidy": costs.yuan(project.subsidy_fen),
            "owners": costs.yuan(project.owners_cost_fen),
            "collected": costs.yuan(collected),
            "collected_pct": round(collected * 100 / project.owners_cost_fen)
            if project.owners_cost_fen
            else 100,
            "transitions": [(t, PROJECT_MACHINE._label(t)) for t in transitions],
            "can_record": has_perm(actor, RECORD),
            "stage_index": list(Stage).index(Stage(project.stage)),
            "stages": list(Stage),
            "choices": ["agree", "object", "abstain", "unreachable"],
            "section": "projects",
            "vote_open": bool(project.vote and project.vote.status == VoteStatus.OPEN),
        },
    )


@login_required
def project_consent_form(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The printable written-consent form of a staircase, one line per flat."""
    actor = actor_of(request)
    require_perm(actor, VIEW)
    project = selectors.project_get(actor, public_id)
    return render(
        request,
        "deliberation/consent_form.html",
        {
            "project": project,
            "rows": [(s, costs.yuan(s.share_fen)) for s in selectors.project_shares(project)],
            "owners": costs.yuan(project.owners_cost_fen),
            "subsidy": costs.yuan(project.subsidy_fen),
        },
    )


# --- the resident -------------------------------------------------------------------------------


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PARTICIPATE)
    shares = [
        (
            s,
            costs.yuan(s.share_fen),
            costs.yuan(s.maintenance_fen),
            costs.yuan(s.electricity_fen),
            costs.yuan(s.collected_fen),
        )
        for s in selectors.shares_for_resident(actor)
    ]
    return render(
        request,
        "deliberation/portal.html",
        {
            "matters": selectors.matters_for_resident(actor)[:20],
            "notices": selectors.notices_for_resident(actor)[:20],
            "votes": selectors.votes_for_resident(actor)[:20],
            "shares": shares,
            "ballots": {b.vote_id: b for b in selectors.ballots_for_resident(actor)[:50]},
        },
    )


@login_required
def my_notice(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PARTICIPATE)
    notice = selectors.notice_for_resident(actor, public_id)
    form = f.MyObjectionForm(request.POST or None)
    if submit(
        request,
        form,
        lambda d: services.objection_lodge(
            actor=actor, notice_public_id=notice.public_id, about=d["about"]
        ),
    ):
        messages.success(
            request,
            _("Your objection is logged; the community replies within %(days)s days.")
            % {"days": notice.reply_days},
        )
        return redirect("deliberation:my_notice", public_id=notice.public_id)
    hid = selectors.resident_household_id(actor)
    mine = [o for o in notice.objections.all() if o.household_id == hid]
    today = dates.local_today()
    return render(
        request,
        "deliberation/my_notice.html",
        {
            "notice": notice,
            "form": form,
            "mine": mine,
            "open": notice.starts_on <= today <= notice.ends_on,
        },
    )


@login_required
def my_vote(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PARTICIPATE)
    vote = selectors.vote_for_resident(actor, public_id)
    elector = selectors.own_elector(actor, vote)
    form = f.MyBallotForm(request.POST or None)
    cast = (
        submit(
            request,
            form,
            lambda d: services.ballot_cast(actor=actor, vote_public_id=vote.public_id, **d),
        )
        if elector is not None
        else None
    )
    if cast is not None:
        messages.success(request, _("Your ballot is recorded."))
        return redirect("deliberation:my_vote", public_id=vote.public_id)
    ballot = getattr(elector, "ballot", None) if elector else None
    return render(
        request,
        "deliberation/my_vote.html",
        {
            "vote": vote,
            "elector": elector,
            "ballot": ballot,
            "form": form,
            "tally": selectors.vote_tally(vote),
            "area": costs.yuan(elector.area_cm) if elector else "",
        },
    )
