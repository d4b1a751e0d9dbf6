"""The one way to declare a state machine and move an object along it.

A domain declares its machine in `choices.py`:

    REQUEST_MACHINE = StateMachine(
        field="status",
        status_labels=Status,
        transition_labels=Transition,
        allowed_from={Transition.ACCEPT: (Status.SUBMITTED,), ...},
    )

and its services move an object with one conditional UPDATE, so that of two people acting at
once exactly one wins and the other is told (by name where the service knows it):

    REQUEST_MACHINE.move(req, Transition.ACCEPT, to=Status.ACCEPTED, accepted_at=now,
                         on_conflict=lambda: _already_accepted(req.pk))

Where the destination depends on the input (a rating of 1–2 reopens), the service decides `to`;
the machine only says where a transition may start from. Other conditional writes (a seat taken
only while seats remain, a balance spent only while it suffices) use `update_if`, which is the
only place in the product code that writes `filter(...).update(...)` as a guard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import Conflict, CoreError, DomainError

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class StateMachine:
    """Which transitions may start from which statuses, for one status field."""

    allowed_from: Mapping[str, tuple[str, ...]]
    status_labels: type[models.TextChoices]
    transition_labels: type[models.TextChoices] | None = None
    field: str = "status"

    def can(self, transition: str, current: str) -> bool:
        return current in self.allowed_from.get(transition, ())

    def available(self, current: str) -> list[str]:
        """The transitions open from `current`, in declaration order (for pages and APIs)."""
        return [t for t, starts in self.allowed_from.items() if current in starts]

    def check(self, transition: str, current: str) -> None:
        """Raise a domain error a worker understands when `transition` is not allowed now."""
        if transition not in self.allowed_from:
            raise ValueError(f"unknown transition {transition!r}")
        if not self.can(transition, current):
            raise DomainError(
                _("It is “%(status)s” now, so “%(action)s” is not possible.")
                % {"status": self._status_label(current), "action": self._label(transition)},
                code=CoreError.INVALID_TRANSITION,
            )

    def move(
        self,
        obj: M,
        transition: str,
        *,
        to: str,
        on_conflict: Callable[[], DomainError] | None = None,
        touch: bool = True,
        **values: Any,
    ) -> M:
        """Check the transition from the object's current status, then write the new status
        (and `values`) with one UPDATE conditioned on the status read. If someone moved the
        object meanwhile, raise `on_conflict()` (or a generic Conflict). The object's fields
        are updated in place; returns it."""
        current = getattr(obj, self.field)
        self.check(transition, current)
        changes: dict[str, Any] = {self.field: to, **values}
        if touch and _has_field(type(obj), "updated_at"):
            changes.setdefault("updated_at", timezone.now())
        if not update_if(type(obj), pk=obj.pk, where={self.field: current}, **changes):
            raise on_conflict() if on_conflict else stale_conflict()
        for name, value in changes.items():
            if not hasattr(value, "resolve_expression"):
                setattr(obj, name, value)
        if any(hasattr(v, "resolve_expression") for v in changes.values()):
            obj.refresh_from_db(fields=[k for k in changes if "__" not in k])
        return obj

    def _label(self, transition: str) -> str:
        if self.transition_labels is not None and transition in self.transition_labels.values:
            return str(self.transition_labels(transition).label)
        return transition

    def _status_label(self, status: str) -> str:
        if status in self.status_labels.values:
            return str(self.status_labels(status).label)
        return status


def stale_conflict() -> Conflict:
    return Conflict(
        _("Someone changed this a moment ago; reload the page and try again."),
        code=CoreError.CONFLICT,
    )


def update_if(
    model: type[models.Model],
    *,
    pk: Any,
    where: Mapping[str, Any] | Q | None = None,
    **values: Any,
) -> bool:
    """UPDATE one row only if it still matches `where`; True if it did. The database settles
    the race: of two callers, one sees True and the other False."""
    qs = model._default_manager.filter(pk=pk)
    if isinstance(where, Q):
        qs = qs.filter(where)
    elif where:
        qs = qs.filter(**where)
    return qs.update(**values) == 1


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True
