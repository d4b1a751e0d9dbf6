"""Reads of the day-care. Staff lists start from `for_actor(VIEW/VIEW_CHILDREN)`; a guardian's
reads from `for_actor(GUARDIAN)` (his own household); the grid worker's only read is
`household_has_child` (a yes or no)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from linli.accounts.selectors import community_staff_labels
from linli.core.permissions import Actor, access, for_actor, has_perm
from linli.core.roles import Role
from linli.nursery.choices import ChildStatus, Presence
from linli.nursery.models import (
    Attendance,
    Child,
    NurseryClass,
    PickupPerson,
    PickupRefusal,
    RosterEntry,
)
from linli.nursery.permissions import ENROLLED_FLAG, GUARDIAN, MANAGE, VIEW, VIEW_CHILDREN
from linli.registry.choices import ResidentStatus
from linli.registry.models import Resident


def carers_needed(present: int, children_per_carer: int) -> int:
    """How many carers `present` children need at `children_per_carer` each."""
    return math.ceil(present / children_per_carer) if present > 0 else 0


def in_ratio(present: int, carers: int, children_per_carer: int) -> bool:
    """Whether `carers` on duty are enough for `present` children (the standard's ratio)."""
    return present <= carers * children_per_carer


def class_list(actor: Actor) -> QuerySet[NurseryClass]:
    return for_actor(actor, VIEW, NurseryClass.objects.all()).annotate(
        enrolled=Count("children", filter=Q(children__status=ChildStatus.ENROLLED)),
        waiting=Count("children", filter=Q(children__status=ChildStatus.WAITING)),
    )


def class_get(actor: Actor, class_id: int) -> NurseryClass:
    return access(actor, VIEW, NurseryClass.objects.all(), pk=class_id)


@dataclass
class ClassDay:
    """One class on one day: who is enrolled, present and on duty, and whether the ratio holds."""

    cls: NurseryClass
    enrolled: int = 0
    present: int = 0
    absent: int = 0
    carers: list[str] = field(default_factory=list)

    @property
    def needed(self) -> int:
        return carers_needed(self.present, self.cls.children_per_carer)

    @property
    def ok(self) -> bool:
        return in_ratio(self.present, len(self.carers), self.cls.children_per_carer)


def day_board(actor: Actor, day: dt.date) -> list[ClassDay]:
    """Every class of the actor's day-care on `day` (three queries whatever the size). Present
    means checked in and not yet collected."""
    classes = list(class_list(actor))
    board = {c.id: ClassDay(cls=c, enrolled=c.enrolled) for c in classes}  # type: ignore[attr-defined]
    counts = (
        Attendance.objects.filter(nursery_class_id__in=list(board), day=day)
        .values("nursery_class_id")
        .annotate(
            present=Count("id", filter=Q(presence=Presence.PRESENT, picked_up_at__isnull=True)),
            absent=Count("id", filter=Q(presence=Presence.ABSENT)),
        )
    )
    for row in counts:
        board[row["nursery_class_id"]].present = row["present"]
        board[row["nursery_class_id"]].absent = row["absent"]
    for entry in RosterEntry.objects.filter(nursery_class_id__in=list(board), day=day).order_by(
        "carer_label"
    ):
        board[entry.nursery_class_id].carers.append(entry.carer_label)
    return [board[c.id] for c in classes]


@dataclass(frozen=True)
class ChildDay:
    child: Child
    attendance: Attendance | None


def class_children_on(actor: Actor, cls: NurseryClass, day: dt.date) -> list[ChildDay]:
    """The enrolled children of a class with their attendance of `day` (staff only)."""
    children = list(
        for_actor(actor, VIEW_CHILDREN, Child.objects.all())
        .filter(nursery_class=cls, status=ChildStatus.ENROLLED)
        .select_related("resident")
        .order_by("seat")
    )
    rows = {
        a.child_id: a
        for a in Attendance.objects.filter(child__in=children, day=day).select_related(
            "picked_up_by"
        )
    }
    return [ChildDay(child=c, attendance=rows.get(c.id)) for c in children]


def child_list(actor: Actor, status: str | None = None) -> QuerySet[Child]:
    qs = for_actor(actor, VIEW_CHILDREN, Child.objects.all()).select_related(
        "resident", "nursery_class"
    )
    if status in ChildStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("nursery_class_id", "status", "seat", "waiting_since", "id")


def pickup_people(child: Child) -> QuerySet[PickupPerson]:
    """The child's active pickup list (call only with a child loaded through the scope)."""
    return PickupPerson.objects.filter(child=child, active=True).order_by("-is_guardian", "id")


def refusals(child: Child) -> QuerySet[PickupRefusal]:  # the last 20
    return PickupRefusal.objects.filter(child=child).order_by("-at")[:20]


def attendance_history(child: Child, limit: int = 30) -> list[Attendance]:
    return list(
        Attendance.objects.filter(child=child)
        .select_related("picked_up_by")
        .order_by("-day")[:limit]
    )


def children_for_resident(actor: Actor) -> list[Child]:
    """A guardian's own children at the day-care (his household's)."""
    if not has_perm(actor, GUARDIAN):
        return []
    return list(
        for_actor(actor, GUARDIAN, Child.objects.exclude(status=ChildStatus.LEFT))
        .select_related("resident", "nursery_class")
        .order_by("id")
    )


def today_for_children(children: list[Child], day: dt.date) -> dict[int, Attendance]:
    return {
        a.child_id: a
        for a in Attendance.objects.filter(child__in=children, day=day).select_related(
            "picked_up_by"
        )
    }


def pickup_lists(children: list[Child]) -> dict[int, list[PickupPerson]]:
    lists: dict[int, list[PickupPerson]] = defaultdict(list)
    for p in PickupPerson.objects.filter(child__in=children, active=True).order_by(
        "-is_guardian", "id"
    ):
        lists[p.child_id].append(p)
    return lists


def household_has_child(actor: Actor, household_id: int) -> bool:
    """Only whether the household has a child enrolled (the grid worker's whole view)."""
    if not has_perm(actor, ENROLLED_FLAG):
        return False
    return (
        for_actor(actor, ENROLLED_FLAG, Child.objects.filter(status=ChildStatus.ENROLLED))
        .filter(household_id=household_id)
        .exists()
    )


def carer_choices(community_id: int) -> list[tuple[int, str]]:
    return community_staff_labels(community_id, [Role.NURSERY_CARER])


def can_manage(actor: Actor) -> bool:
    return has_perm(actor, MANAGE)


def attendance_rate(community_ids: frozenset[int], start: dt.date, end: dt.date) -> Any:
    """(present days, recorded days) of the communities' children between two dates."""
    row = Attendance.objects.filter(
        child__community_id__in=sorted(community_ids), day__gte=start, day__lt=end
    ).aggregate(
        present=Count("id", filter=Q(presence=Presence.PRESENT)),
        total=Count("id"),
    )
    return row["present"], row["total"]


def enrolled_count(community_ids: frozenset[int]) -> int:
    return Child.objects.filter(
        community_id__in=sorted(community_ids), status=ChildStatus.ENROLLED
    ).count()


def eligible_children(actor: Actor, on: dt.date) -> list[tuple[str, str]]:
    """(public id, label) of the registry's children under 36 months on `on` in the actor's
    day-care community who are not enrolled or waiting: the enrolment form's choices."""
    if not has_perm(actor, MANAGE):
        return []
    youngest = dt.date(on.year - 3, on.month, min(on.day, 28))
    taken = Child.objects.exclude(status=ChildStatus.LEFT).values("resident_id")
    rows = (
        Resident.objects.filter(
            community_id__in=sorted(actor.community_ids),
            status=ResidentStatus.ACTIVE,
            birth_date__gt=youngest,
            birth_date__lte=on,
        )
        .exclude(id__in=taken)
        .select_related("household")
        .order_by("-birth_date")[:200]
    )
    return [(str(r.public_id), f"{r.name} · {r.birth_date.isoformat()}") for r in rows]


def household_adults(actor: Actor, resident_public_id: Any, on: dt.date) -> list[tuple[str, str]]:
    """(public id, name) of the adults in the child's household: who may give consent."""
    if not has_perm(actor, MANAGE):
        return []
    child = Resident.objects.filter(
        public_id=resident_public_id, community_id__in=sorted(actor.community_ids)
    ).first()
    if child is None:
        return []
    adult_born = dt.date(on.year - 18, on.month, min(on.day, 28))
    return [
        (str(r.public_id), f"{r.name}（{r.get_relation_display()}）")
        for r in Resident.objects.filter(
            household_id=child.household_id,
            status=ResidentStatus.ACTIVE,
            birth_date__lte=adult_born,
        ).order_by("id")
    ]


def resident_label(actor: Actor, resident_public_id: Any) -> str:
    child = Resident.objects.filter(
        public_id=resident_public_id, community_id__in=sorted(actor.community_ids)
    ).first()
    return f"{child.name} · {child.birth_date.isoformat()}" if child else ""
