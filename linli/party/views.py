"""Party organisation pages: the tree, an organisation, a member, central households and
their links, the coverage of the 三带 network, organisational life and the warm service
cards, and the management of the tree (new organisations, offices). Views parse input, call
selectors and services through `core.forms.submit`, and render; a domain error becomes a form
error, or for a button a message.

Query parameters are bounded: a number that is not an id (or a year) the page could use, a
filter outside its offered values or text with control characters is ignored as if absent,
never a 500 (issue 8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from linli.core import dates
from linli.core.errors import CoreError, DomainError
from linli.core.exporting import xlsx_response
from linli.core.forms import submit
from linli.core.permissions import Actor, can, communities_for, has_perm
from linli.core.web import CountedPaginator, actor_of, query_int, query_page, require_perm
from linli.party import cards as card_builder
from linli.party import exporting, selectors, services
from linli.party.choices import (
    RELATION_MACHINE,
    STANDING_MACHINE,
    OrgKind,
    Relation,
    Standing,
)
from linli.party.forms import (
    ActivityForm,
    CardBatchForm,
    ConfirmForm,
    LinkByRoomForm,
    LinkForm,
    MemberForm,
    MoveForm,
    OfficeEndForm,
    OfficeForm,
    OrganisationForm,
    TransferInForm,
    TransferOutForm,
)
from linli.party.models import Organisation
from linli.party.permissions import CHANGE, EXPORT, PRINT_CARDS, VIEW
from linli.party.selectors import Community
from linli.registry import selectors as registry

PAGE_SIZE = 50


def _search(value: str | None) -> str:
    """A name search: its first 30 printable characters."""
    return "".join(c for c in (value or "") if ord(c) >= 32).strip()[:30]


# The community a multi-community actor (a subdistrict viewer) last chose stays chosen from tab
# to tab: the shared sub-navigation links carry no query string.
SESSION_COMMUNITY = "party_community"


def _community(request: HttpRequest, perm: str = VIEW) -> Community:
    actor = actor_of(request)
    require_perm(actor, perm)
    asked = query_int(request.GET.get("community"), minimum=1)
    if asked is None:
        asked = request.session.get(SESSION_COMMUNITY)
    community = selectors.community_for(actor, asked)
    if community is None:
        raise Http404
    if request.session.get(SESSION_COMMUNITY) != community.id:
        request.session[SESSION_COMMUNITY] = community.id
    return community


def _can_change(actor: Actor, community: Community) -> bool:
    return community.id in communities_for(actor, CHANGE)


def _org_choices(actor: Actor, community_id: int) -> list[tuple[int, str]]:
    return [
        (o.pk, o.name)
        for o in selectors.organisations(actor, community_id).order_by("kind", "grid_id", "id")
    ]


def _button(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], Any],
    success: str,
) -> None:
    """Run a service from a button through `submit`; the outcome becomes a message (the
    page the button sits on is shown again)."""
    if submit(request, form, lambda cd: action(cd) or True):
        messages.success(request, success)
        return
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# ---------------------------------------------------------------- tree and organisations


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The tree browser: committee → grid branches → building groups, and themed branches."""
    actor = actor_of(request)
    community = _community(request)
    return render(
        request,
        "party/home.html",
        {
            "tree": selectors.org_tree(actor, community),
            "community": community,
            "communities": selectors.party_communities(actor),
            "can_print": has_perm(actor, PRINT_CARDS),
            "can_change": _can_change(actor, community),
        },
    )


@login_required
def organisation_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = actor_of(request)
    org = selectors.organisation_get(actor, org_id)
    members = Paginator(
        selectors.member_list(actor, selectors.MemberFilters(organisation_id=org.pk)), PAGE_SIZE
    ).get_page(query_page(request.GET.get("page")))
    return render(
        request,
        "party/organisation_detail.html",
        {
            "org": org,
            "children": selectors.organisation_children(actor, org),
            "offices": selectors.active_offices(actor, [org.pk]),
            "members": members,
            "activities": selectors.activity_list(
                actor, selectors.ActivityFilters(organisation_id=org.pk)
            )[:12],
            "can_change": can(actor, CHANGE, org),
            "can_export": has_perm(actor, EXPORT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    """Add an organisation to the tree: a committee, a grid or themed branch, or a building
    group (community admins and Party organisers)."""
    actor = actor_of(request)
    community = _community(request, CHANGE)
    if not _can_change(actor, community):
        raise Http404
    grids = list(registry.grid_list(actor, community.id))
    form = OrganisationForm(
        request.POST or None,
        parents=[
            (o.pk, o.name)
            for o in selectors.organisations(actor, community.id)
            .filter(kind__in=[OrgKind.COMMITTEE, OrgKind.GRID_BRANCH])
            .order_by("kind", "grid__number", "id")
        ],
        grids=[(g.id, g.name) for g in grids],
        buildings=[
            (b.id, f"{g.name} · {b}") for g in grids for b in registry.building_list(actor, g.id)
        ],
    )
    org = submit(
        request,
        form,
        lambda cd: services.organisation_create(
            actor=actor,
            community_id=community.id,
            kind=cd["kind"],
            name=cd["name"],
            parent_id=cd["parent"],
            grid_id=cd["grid"],
            building_id=cd["building"],
            theme=cd["theme"],
            description=cd["description"],
        ),
    )
    if org:
        messages.success(request, _("%(name)s is added.") % {"name": org.name})
        return redirect("party:organisation", org_id=org.pk)
    return render(
        request,
        "party/form.html",
        {"form": form, "title": _("New organisation"), "back": community.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_new(request: HttpRequest, org_id: int) -> HttpResponse:
    """Give a member an office in the organisation."""
    actor = actor_of(request)
    org = selectors.organisation_get(actor, org_id)
    if not can(actor, CHANGE, org):
        raise Http404
    people = selectors.member_list(actor, selectors.MemberFilters(community_id=org.community_id))
    form = OfficeForm(
        request.POST or None,
        members=[(str(m.public_id), f"{m.display_name} · {m.organisation.name}") for m in people],
    )
    office = submit(
        request,
        form,
        lambda cd: services.office_assign(
            actor=actor,
            organisation_id=org.pk,
            member_public_id=cd["member"],
            role=cd["role"],
            started_on=cd["started_on"],
            is_action_secretary=cd["is_action_secretary"],
        ),
    )
    if office:
        messages.success(request, _("The office is assigned."))
        return redirect("party:organisation", org_id=org.pk)
    return render(
        request, "party/form.html", {"form": form, "title": _("Assign an office"), "back": org}
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_end(request: HttpRequest, office_id: int) -> HttpResponse:
    """End an office (the holder steps down; the history keeps it)."""
    actor = actor_of(request)
    office = selectors.office_get(actor, office_id)
    if not can(actor, CHANGE, office):
        raise Http404
    form = OfficeEndForm(request.POST or None)
    ended = submit(
        request,
        form,
        lambda cd: services.office_end(actor=actor, office_id=office.pk, ended_on=cd["ended_on"]),
    )
    if ended:
        messages.success(request, _("The office has ended."))
        return redirect("party:organisation", org_id=office.organisation_id)
    title = _("End the office of %(name)s (%(role)s)") % {
        "name": office.member.display_name,
        "role": office.get_role_display(),
    }
    return render(
        request, "party/form.html", {"form": form, "title": title, "back": office.organisation}
    )


# ---------------------------------------------------------------- members


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    community = _community(request)
    standing = request.GET.get("standing", "")
    relation = request.GET.get("relation", Relation.ACTIVE)
    filters = selectors.MemberFilters(
        community_id=community.id,
        grid_id=query_int(request.GET.get("grid"), minimum=1),
        standing=standing if standing in Standing.values else "",
        relation=relation if relation in Relation.values else Relation.ACTIVE,
        q=_search(request.GET.get("q")),
    )
    page = Paginator(selectors.member_list(actor, filters), PAGE_SIZE).get_page(
        query_page(request.GET.get("page"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "party/member_list.html",
        {
            "page": page,
            "filters": filters,
            "community": community,
            "query": query.urlencode(),
            "grids": registry.grid_list(actor, community.id),
            "standings": Standing.choices,
            "relations": Relation.choices,
        },
    )


@login_required
def member_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    member = selectors.member_get(actor, public_id)
    can_change = can(actor, CHANGE, member)
    # The buttons are the moves the machines allow now, for an actor who may change members.
    actions = set(RELATION_MACHINE.available(member.relation)) if can_change else set()
    if can_change and member.relation == Relation.ACTIVE:
        actions |= set(STANDING_MACHINE.available(member.standing))
    return render(
        request,
        "party/member_detail.html",
        {
            "member": member,
            "offices": selectors.member_offices(actor, member),
            "transfers": selectors.member_transfers(actor, member),
            "attendance": selectors.member_attendance(actor, member)[:20],
            "participation": selectors.member_participation(actor, member),
            "central": selectors.member_central(actor, member),
            "actions": actions,
            "standing_tone": "red" if member.standing == Standing.FULL else "orange",
            "can_see_resident": member.resident is not None
            and can(actor, "registry.view_resident", member.resident),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_new(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = actor_of(request)
    org = selectors.organisation_get(actor, org_id)
    if not can(actor, CHANGE, org):
        raise Http404
    form = MemberForm(request.POST or None)

    def create(cd: dict[str, Any]) -> Any:
        resident_id = None
        if cd["room"]:
            resident_id = _resident_by_room(actor, cd["room"], cd["name"])
        return services.member_create(
            actor=actor,
            organisation_id=org.pk,
            joined_on=cd["joined_on"],
            standing=cd["standing"],
            resident_public_id=resident_id,
            name="" if resident_id else cd["name"],
            non_resident_note="" if resident_id else cd["non_resident_note"],
        )

    member = submit(request, form, create)
    if member:
        messages.success(request, _("%(name)s is recorded.") % {"name": member.display_name})
        return redirect("party:member", public_id=member.public_id)
    return render(request, "party/form.html", {"form": form, "title": _("New member"), "back": org})


def _resident_by_room(actor: Actor, room: str, name: str) -> Any:
    household = registry.household_list(actor, q=room).first()
    resident = (
        registry.household_members(actor, household).filter(name=name.strip()).first()
        if household
        else None
    )
    if resident is None:
        raise DomainError(
            _("Nobody of that name lives at that room code."),
            code=CoreError.NOT_FOUND,
            field="room",
        )
    return resident.public_id


@login_required
@require_POST
def member_confirm(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    member = selectors.member_get(actor, public_id)
    if not can(actor, CHANGE, member):
        raise Http404
    _button(
        request,
        ConfirmForm(request.POST),
        lambda cd: services.member_confirm_full(actor=actor, member_public_id=public_id),
        _("Confirmed as a full member."),
    )
    return redirect("party:member", public_id=public_id)


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer_out(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    member = selectors.member_get(actor, public_id)
    if not can(actor, CHANGE, member):
        raise Http404
    form = TransferOutForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda cd: services.member_transfer_out(actor=actor, member_public_id=public_id, **cd),
    )
    if done:
        messages.success(request, _("The relation has been transferred out."))
        return redirect("party:member", public_id=public_id)
    return render(
        request,
        "party/form.html",
        {"form": form, "title": _("Transfer the relation out"), "back": member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer_in(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    member = selectors.member_get(actor, public_id)
    if not can(actor, CHANGE, member):
        raise Http404
    form = TransferInForm(
        request.POST or None, organisations=_org_choices(actor, member.community_id)
    )
    done = submit(
        request,
        form,
        lambda cd: services.member_transfer_in(
            actor=actor,
            organisation_id=cd["organisation"],
            external=cd["external"],
            on=cd["on"],
            note=cd["note"],
            member_public_id=public_id,
        ),
    )
    if done:
        messages.success(request, _("The relation has been transferred in."))
        return redirect("party:member", public_id=public_id)
    return render(
        request,
        "party/form.html",
        {"form": form, "title": _("Transfer the relation in"), "back": member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_move(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    member = selectors.member_get(actor, public_id)
    if not can(actor, CHANGE, member):
        raise Http404
    form = MoveForm(request.POST or None, organisations=_org_choices(actor, member.community_id))
    done = submit(
        request,
        form,
        lambda cd: services.member_move(
            actor=actor,
            member_public_id=public_id,
            organisation_id=cd["organisation"],
            on=cd["on"],
            note=cd["note"],
        ),
    )
    if done:
        messages.success(request, _("Moved."))
        return redirect("party:member", public_id=public_id)
    return render(
        request,
        "party/form.html",
        {"form": form, "title": _("Move to another organisation"), "back": member},
    )


# ---------------------------------------------------------------- central households


@login_required
def central_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    community = _community(request)
    return render(
        request,
        "party/central_list.html",
        {
            "community": community,
            "centrals": selectors.central_list(actor, community.id),
            "min_members": selectors.MIN_MEMBERS,
            "min_households": selectors.MIN_HOUSEHOLDS,
        },
    )


@login_required
def central_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    central = selectors.central_get(actor, public_id)
    can_change = can(actor, CHANGE, central)
    households = list(selectors.central_households_linked(actor, central))
    members = list(selectors.central_members_linked(actor, central))
    return render(
        request,
        "party/central_detail.html",
        {
            "central": central,
            "households": households,
            "members": members,
            "can_change": can_change,
            "suggested_households": selectors.suggest_households(actor, central)
            if can_change
            else [],
            "suggested_members": selectors.suggest_members(actor, central) if can_change else [],
            "room_form": LinkByRoomForm(),
            "min_members": selectors.MIN_MEMBERS,
            "min_households": selectors.MIN_HOUSEHOLDS,
        },
    )


@login_required
@require_POST
def central_link(request: HttpRequest, public_id: UUID, what: str) -> HttpResponse:
    """Link or unlink a household or member (`what` is `household`, `member`,
    `unlink-household` or `unlink-member`); the household may be given by room code."""
    actor = actor_of(request)
    central = selectors.central_get(actor, public_id)
    if not can(actor, CHANGE, central):
        raise Http404

    def household(cd: dict[str, Any]) -> UUID:
        if cd["target"]:
            return UUID(str(cd["target"]))
        found = registry.household_list(actor, q=cd["room"]).first()
        if found is None:
            raise DomainError(
                _("No household has that room code."), code=CoreError.NOT_FOUND, field="room"
            )
        return found.public_id

    form = LinkForm(request.POST)
    actions: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
        "household": (
            lambda cd: services.central_link_household(
                actor=actor, central_public_id=public_id, household_public_id=household(cd)
            ),
            _("Household linked."),
        ),
        "unlink-household": (
            lambda cd: services.central_unlink_household(
                actor=actor, central_public_id=public_id, household_public_id=household(cd)
            ),
            _("Household unlinked."),
        ),
        "member": (
            lambda cd: services.central_link_member(
                actor=actor, central_public_id=public_id, member_public_id=cd["target"]
            ),
            _("Member linked."),
        ),
        "unlink-member": (
            lambda cd: services.central_unlink_member(
                actor=actor, central_public_id=public_id, member_public_id=cd["target"]
            ),
            _("Member unlinked."),
        ),
    }
    if what not in actions:
        raise Http404
    action, success = actions[what]
    _button(request, form, action, success)
    return redirect("party:central", public_id=public_id)


# ---------------------------------------------------------------- coverage


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    community = _community(request)
    show = request.GET.get("show", "households")
    show = show if show in ("households", "members") else "households"
    figures = selectors.coverage(actor, community.id)
    rows: QuerySet[Any]
    if show == "households":
        rows = selectors.unlinked_households(actor, community.id)
        count = figures.households_unlinked
    else:
        rows = selectors.unlinked_members(actor, community.id)
        count = figures.members_unlinked
    page = CountedPaginator(rows, PAGE_SIZE, count=count).get_page(
        query_page(request.GET.get("page"))
    )
    return render(
        request,
        "party/coverage.html",
        {
            "community": community,
            "figures": figures,
            # The list is read only when the figures count some (usually none are weak).
            "weak": (
                selectors.weak_central_households(actor, community.id)
                if figures.weak_central_households
                else ()
            ),
            "show": show,
            "page": page,
            "query": f"community={community.id}&show={show}",
            "min_members": selectors.MIN_MEMBERS,
            "min_households": selectors.MIN_HOUSEHOLDS,
        },
    )


# ---------------------------------------------------------------- organisational life


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = actor_of(request)
    activity = selectors.activity_get(actor, activity_id)
    return render(
        request,
        "party/activity_detail.html",
        {"activity": activity, "attendance": selectors.activity_attendance(actor, activity)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = actor_of(request)
    org: Organisation = selectors.organisation_get(actor, org_id)
    if not can(actor, CHANGE, org):
        raise Http404
    people = selectors.member_list(actor, selectors.MemberFilters(organisation_id=org.pk))
    form = ActivityForm(
        request.POST or None, members=[(str(m.public_id), m.display_name) for m in people]
    )
    activity = submit(
        request,
        form,
        lambda cd: services.activity_create(actor=actor, organisation_id=org.pk, **cd),
    )
    if activity:
        messages.success(request, _("Activity recorded."))
        return redirect("party:activity", activity_id=activity.pk)
    return render(
        request, "party/form.html", {"form": form, "title": _("New activity"), "back": org}
    )


@login_required
def activity_export(request: HttpRequest) -> HttpResponse:
    """Activities and each member's participation of one year as .xlsx (audited)."""
    actor = actor_of(request)
    community = _community(request, EXPORT)
    year = query_int(request.GET.get("year"))
    if year is None or not dates.year_in_range(year):
        year = dates.local_today().year
    return xlsx_response(exporting.export_activities(actor=actor, community=community, year=year))


# ---------------------------------------------------------------- warm service cards


@login_required
def cards(request: HttpRequest) -> HttpResponse:
    """The form to choose a batch: a grid, a building, or everything."""
    actor = actor_of(request)
    community = _community(request, PRINT_CARDS)
    grids = registry.grid_list(actor, community.id)
    grid_id = query_int(request.GET.get("grid"), minimum=1)
    buildings = registry.building_list(actor, grid_id) if grid_id else []
    form = CardBatchForm(
        request.GET or None,
        grids=[(g.id, g.name) for g in grids],
        buildings=[(b.id, str(b)) for b in buildings],
    )
    return render(
        request,
        "party/cards.html",
        {
            "form": form,
            "community": community,
            "grids": grids,
            "grid_id": grid_id,
            "buildings": buildings,
        },
    )


@login_required
def cards_print(request: HttpRequest) -> HttpResponse:
    """A printable batch: one card per household of the grid, the building or (with
    `all=1`) the whole community."""
    actor = actor_of(request)
    community = _community(request, PRINT_CARDS)
    grid_id = query_int(request.GET.get("grid"), minimum=1)
    building_id = query_int(request.GET.get("building"), minimum=1)
    if not (grid_id or building_id or request.GET.get("all")):
        return redirect("party:cards")
    households = card_builder.card_households(
        actor, community_id=community.id, grid_id=grid_id, building_id=building_id
    )
    batch = card_builder.build_cards(households, request.build_absolute_uri("/"))
    what = f"cards grid={grid_id or ''} building={building_id or ''}"
    services.cards_record_print(actor=actor, community_id=community.id, what=what, cards=len(batch))
    return render(request, "party/cards_print.html", {"cards": batch, "community": community})


@login_required
def card_household(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    require_perm(actor, PRINT_CARDS)
    households = card_builder.card_households(actor, household_public_id=public_id)
    batch = card_builder.build_cards(households, request.build_absolute_uri("/"))
    if not batch:
        raise Http404
    return render(request, "party/cards_print.html", {"cards": batch, "single": True})
