"""Reads of deliberation, each starting from the actor's scope (`for_actor`), and the live
tally: the database counts heads and areas per choice in ONE aggregate query, the engine in
`tally.py` decides."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, Model, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from linli.core import dates
from linli.core.errors import NotFound
from linli.core.permissions import Actor, access, for_actor, has_perm
from linli.core.roles import Role
from linli.deliberation import tally as engine
from linli.deliberation.choices import NoticeStatus, ObjectionStatus, Stage, VoteStatus
from linli.deliberation.models import (
    Ballot,
    CostShare,
    Elector,
    ElevatorProject,
    Matter,
    Meeting,
    Notice,
    Objection,
    Property,
    Vote,
)
from linli.deliberation.permissions import PARTICIPATE, VIEW
from linli.registry.models import Household, Resident

HUNDRED = Decimal(100)
M = TypeVar("M", bound=Model)


# --- the live tally -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One threshold for the page: the figure, what it must reach, and whether it does."""

    label: str
    part: str
    whole: str
    need: str
    ok: bool
    percent: float


@dataclass(frozen=True)
class VoteTally:
    main: engine.Tally
    unanimity: engine.Tally | None
    by_choice: dict[str, tuple[int, Decimal]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.main.passed and (self.unanimity is None or self.unanimity.passed)

    def bars(self) -> list[Bar]:
        c = self.main.counts
        rule = engine.rule_for(self.main.rule)
        p_need = rule.participation.label()
        a_need = rule.approval.label()
        out = [
            Bar(
                _("Participation by area"),
                _area(c.participating_area),
                _area(c.total_area),
                p_need,
                self.main.participation_area_ok,
                _pct(c.participating_area, c.total_area),
            ),
            Bar(
                _("Participation by owners"),
                str(c.participating_owners),
                str(c.total_owners),
                p_need,
                self.main.participation_owners_ok,
                _pct(c.participating_owners, c.total_owners),
            ),
            Bar(
                _("Agreement by area"),
                _area(c.agreeing_area),
                _area(c.participating_area),
                a_need,
                self.main.approval_area_ok,
                _pct(c.agreeing_area, c.participating_area),
            ),
            Bar(
                _("Agreement by owners"),
                str(c.agreeing_owners),
                str(c.participating_owners),
                a_need,
                self.main.approval_owners_ok,
                _pct(c.agreeing_owners, c.participating_owners),
            ),
        ]
        if self.unanimity is not None:
            u = self.unanimity.counts
            out.append(
                Bar(
                    _("Whole staircase consents"),
                    str(u.agreeing_owners),
                    str(u.total_owners),
                    "= 1/1",
                    self.unanimity.passed,
                    _pct(u.agreeing_owners, u.total_owners),
                )
            )
        return out

    def missing_text(self) -> str:
        missing = [b.label for b in self.bars() if not b.ok]
        return _("Consent not reached yet: %(missing)s.") % {"missing": ", ".join(missing)}

    def as_dict(self) -> dict[str, Any]:
        data = self.main.as_dict()
        data["rule"] = self.main.rule
        data["staircase_unanimous"] = None if self.unanimity is None else self.unanimity.passed
        data["passed"] = self.passed
        return data


def _area(value: Decimal) -> str:
    return str(value.quantize(engine.CENT))


def _pct(part: Decimal | int, whole: Decimal | int) -> float:
    return round(float(part) * 100 / float(whole), 1) if whole else 0.0


def counts_from_rows(
    rows: Iterable[tuple[str | None, int, int]],
) -> tuple[engine.Counts, dict[str, tuple[int, Decimal]]]:
    """Counts from (choice or None, heads, area in 0.01 m²) aggregate rows."""
    total_cm = part_cm = agree_cm = 0
    total = part = agree = 0
    by_choice: dict[str, tuple[int, Decimal]] = {}
    for choice, heads, area_cm in rows:
        key = choice or engine.UNREACHABLE
        prev = by_choice.get(key, (0, Decimal(0)))
        by_choice[key] = (prev[0] + heads, prev[1] + Decimal(area_cm) / HUNDRED)
        total += heads
        total_cm += area_cm
        if key in engine.PARTICIPATING:
            part += heads
            part_cm += area_cm
            if key == engine.AGREE:
                agree += heads
                agree_cm += area_cm
    counts = engine.Counts(
        Decimal(total_cm) / HUNDRED,
        total,
        Decimal(part_cm) / HUNDRED,
        part,
        Decimal(agree_cm) / HUNDRED,
        agree,
    )
    return counts, by_choice


def vote_tally(vote: Vote, *, objecting: Iterable[str] = ()) -> VoteTally:
    """The live tally of a vote: one aggregate query whatever the electorate's size. With
    `objecting` (owner keys): what if these heads objected?"""
    keys = list(objecting)
    qs = Elector.objects.filter(vote_id=vote.pk)
    if keys:
        rows = list(
            qs.exclude(owner_key__in=keys)
            .values_list("ballot__choice")
            .annotate(n=Count("id"), a=Sum("area_cm"))
        )
        rows += [(engine.OBJECT, n, a) for n, a in [_objectors(qs, keys)] if n]
    else:
        rows = list(qs.values_list("ballot__choice").annotate(n=Count("id"), a=Sum("area_cm")))
    counts, by_choice = counts_from_rows((c, n, a or 0) for c, n, a in rows)
    main = engine.decide(engine.rule_for(vote.base_rule), counts)
    unanimity = (
        engine.decide(engine.rule_for(engine.UNANIMOUS), counts)
        if vote.staircase_unanimous
        else None
    )
    return VoteTally(main, unanimity, by_choice)


def _objectors(qs: QuerySet[Elector], keys: list[str]) -> tuple[int, int]:
    agg = qs.filter(owner_key__in=keys).aggregate(n=Count("id"), a=Sum("area_cm"))
    return agg["n"] or 0, agg["a"] or 0


# --- the resident -------------------------------------------------------------------------------


def resident_household_id(actor: Actor) -> int | None:
    """The household of a resident actor (None for staff)."""
    for g in actor.grants:
        if g.role == Role.RESIDENT and g.household_id:
            return g.household_id
    return None


def _resident_building(actor: Actor) -> Household | None:
    hid = resident_household_id(actor)
    if hid is None or not has_perm(actor, PARTICIPATE):
        return None
    return Household.objects.filter(pk=hid).first()


def _for_building(qs: QuerySet[M], h: Household) -> QuerySet[M]:
    """Rows about the resident's staircase, building, grid or community."""
    return qs.filter(community_id=h.community_id).filter(
        Q(unit_id=h.unit_id)
        | Q(unit__isnull=True, building_id=h.building_id)
        | Q(building__isnull=True, grid_id=h.building.grid_id)
        | Q(grid__isnull=True)
    )


def matters_for_resident(actor: Actor) -> QuerySet[Matter]:
    h = _resident_building(actor)
    if h is None:
        return Matter.objects.none()
    return _for_building(Matter.objects.select_related("building", "unit", "grid", "community"), h)


def notices_for_resident(actor: Actor) -> QuerySet[Notice]:
    h = _resident_building(actor)
    if h is None:
        return Notice.objects.none()
    return _for_building(
        Notice.objects.filter(status=NoticeStatus.PUBLISHED, on_portal=True).select_related(
            "building", "unit", "grid", "community"
        ),
        h,
    )


def meeting_for_resident(actor: Actor, public_id: Any) -> Meeting:
    """A meeting about the resident's staircase, building, grid or community."""
    h = _resident_building(actor)
    if h is None:
        raise NotFound(_("Not found."))
    return access_qs(_for_building(Meeting.objects.all(), h), public_id)


def notice_for_resident(actor: Actor, public_id: Any) -> Notice:
    return access_qs(notices_for_resident(actor), public_id)


def _own_flat(actor: Actor) -> tuple[str, int | None] | None:
    """(owner key, owner resident id) of the resident's flat, if it has a registered owner."""
    hid = resident_household_id(actor)
    if hid is None or not has_perm(actor, PARTICIPATE):
        return None
    row = (
        Property.objects.filter(household_id=hid)
        .values_list("owner_key", "owner_resident_id")
        .first()
    )
    return (row[0], row[1]) if row else None


def votes_for_resident(actor: Actor) -> QuerySet[Vote]:
    """The votes whose electorate holds the owner of the resident's flat."""
    own = _own_flat(actor)
    if own is None:
        return Vote.objects.none()
    h = _resident_building(actor)
    assert h is not None
    return Vote.objects.filter(
        community_id=h.community_id, electors__owner_key=own[0]
    ).select_related("building", "unit", "grid", "community")


def vote_for_resident(actor: Actor, public_id: Any) -> Vote:
    return access_qs(votes_for_resident(actor), public_id)


def own_elector(actor: Actor, vote: Vote) -> Elector | None:
    """The resident's head in the vote, if he is the registered owner of his flat (a tenant or
    a family member sees the vote but the owner casts the ballot)."""
    own = _own_flat(actor)
    if own is None or own[1] is None or own[1] != actor.resident_id:
        return None
    return Elector.objects.filter(vote=vote, owner_key=own[0]).select_related("ballot").first()


def shares_for_resident(actor: Actor) -> QuerySet[CostShare]:
    hid = resident_household_id(actor)
    if hid is None or not has_perm(actor, PARTICIPATE):
        return CostShare.objects.none()
    return CostShare.objects.filter(household_id=hid).select_related(
        "project__building", "project__unit"
    )


def ballots_for_resident(actor: Actor) -> QuerySet[Ballot]:
    own = _own_flat(actor)
    if own is None:
        return Ballot.objects.none()
    return (
        Ballot.objects.filter(elector__owner_key=own[0], vote__community_id__in=actor.community_ids)
        .select_related("vote")
        .order_by("-recorded_at")
    )


def open_votes_without_ballot(actor: Actor) -> list[Vote]:
    own = _own_flat(actor)
    if own is None or own[1] != actor.resident_id:
        return []
    today = dates.local_today()
    return list(
        Vote.objects.filter(
            status=VoteStatus.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
            community_id__in=actor.community_ids,
            electors__owner_key=own[0],
            electors__ballot__isnull=True,
        ).order_by("closes_on")[:10]
    )


def access_qs(qs: QuerySet[M], public_id: Any) -> M:
    try:
        return qs.get(public_id=public_id)
    except Exception as exc:
        raise NotFound(_("Not found.")) from exc


def elector_user_ids(vote: Vote) -> list[int]:
    """Accounts of the electorate's owners living here (for the "vote opened" message)."""
    ids = Elector.objects.filter(vote=vote, resident__isnull=False).values_list(
        "resident_id", flat=True
    )
    return [
        uid
        for uid in Resident.objects.filter(pk__in=ids, account__isnull=False).values_list(
            "account__id", flat=True
        )
        if uid
    ]


# --- staff lists --------------------------------------------------------------------------------


def matter_list(actor: Actor, *, step: str = "") -> QuerySet[Matter]:
    qs = for_actor(
        actor, VIEW, Matter.objects.select_related("building", "unit", "grid", "community")
    )
    return qs.filter(step=step) if step else qs


def matter_get(actor: Actor, public_id: Any) -> Matter:
    return access(
        actor,
        VIEW,
        Matter.objects.select_related("building", "unit", "grid", "community").prefetch_related(
            "steps", "decisions__meeting", "votes"
        ),
        public_id=public_id,
    )


def meeting_list(actor: Actor) -> QuerySet[Meeting]:
    return for_actor(
        actor,
        VIEW,
        Meeting.objects.select_related("building", "unit", "grid", "community", "matter"),
    )


def meeting_get(actor: Actor, public_id: Any) -> Meeting:
    return access(
        actor,
        VIEW,
        Meeting.objects.select_related(
            "building", "unit", "grid", "community", "matter"
        ).prefetch_related("decisions"),
        public_id=public_id,
    )


def notice_list(actor: Actor) -> QuerySet[Notice]:
    today = dates.local_today()
    return (
        for_actor(
            actor, VIEW, Notice.objects.select_related("building", "unit", "grid", "community")
        )
        .order_by("-starts_on", "-id")
        .annotate(
            objection_count=Count("objections", distinct=True),
            overdue_count=Count(
                "objections",
                filter=Q(objections__replied_on__isnull=True, objections__due_on__lt=today),
                distinct=True,
            ),
        )
    )


def notice_get(actor: Actor, public_id: Any) -> Notice:
    return access(
        actor,
        VIEW,
        Notice.objects.select_related(
            "building", "unit", "grid", "community", "project"
        ).prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.select_related("household__building", "household__unit"),
            )
        ),
        public_id=public_id,
    )


def vote_list(actor: Actor) -> QuerySet[Vote]:
    return for_actor(
        actor, VIEW, Vote.objects.select_related("building", "unit", "grid", "community", "matter")
    )


def vote_get(actor: Actor, public_id: Any) -> Vote:
    return access(
        actor,
        VIEW,
        Vote.objects.select_related("building", "unit", "grid", "community", "matter", "rule_set"),
        public_id=public_id,
    )


def electors_with_ballots(vote: Vote) -> QuerySet[Elector]:
    return Elector.objects.filter(vote=vote).select_related("ballot").order_by("-top_floor", "id")


def project_list(actor: Actor) -> QuerySet[ElevatorProject]:
    return for_actor(
        actor,
        VIEW,
        ElevatorProject.objects.select_related("building", "unit", "grid", "community", "vote"),
    ).annotate(
        collected=Sum("shares__collected_fen"),
        open_objections=Count(
            "objections", filter=Q(objections__status=ObjectionStatus.OPEN), distinct=True
        ),
    )


def project_get(actor: Actor, public_id: Any) -> ElevatorProject:
    return access(
        actor,
        VIEW,
        ElevatorProject.objects.select_related(
            "building", "unit", "grid", "community", "vote", "rule_set"
        ).prefetch_related("events"),
        public_id=public_id,
    )


def project_shares(project: ElevatorProject) -> QuerySet[CostShare]:
    return (
        CostShare.objects.filter(project=project)
        .select_related("household__building", "household__unit")
        .order_by("-floor", "household__room")
    )


def project_objections(project: ElevatorProject) -> QuerySet[Any]:
    return project.objections.select_related("household__building", "household__unit").all()


def board_counts(actor: Actor) -> dict[str, int]:
    rows = (
        project_list(actor).order_by().values_list("stage").annotate(n=Count("id", distinct=True))
    )
    counts = {s.value: 0 for s in Stage}
    for stage, n in rows:
        counts[stage] = n
    return counts


def signed_stages() -> tuple[str, ...]:
    return (Stage.CONSENT, Stage.NOTICE, Stage.FILED, Stage.CONSTRUCTION, Stage.IN_SERVICE)
