"""The one way the workers' station moves a status (safety report, summer-class enrolment):
the machine's table in `choices.py` says whether the move is allowed, then one conditional
UPDATE on the status the caller saw settles a race (the loser gets a Conflict).

TODO(issue 9): replaced by `linli.core.states` once the shared foundation lands.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.utils import timezone

from linli.core.errors import Conflict, DomainError


def check_transition(
    table: Mapping[str, frozenset[str]],
    current: str,
    to: str,
    *,
    invalid: str | DomainError,
    field: str | None = None,
) -> None:
    """Refuse a move the machine's table does not list: `invalid` is the message of the
    DomainError (code `bad_transition`), or the error itself."""
    if to not in table.get(current, frozenset()):
        if isinstance(invalid, DomainError):
            raise invalid
        raise DomainError(invalid, code="bad_transition", field=field)


def transition(
    obj: Model,
    table: Mapping[str, frozenset[str]],
    to: str,
    *,
    invalid: str | DomainError,
    conflict: str | Conflict,
    state_field: str = "status",
    error_field: str | None = None,
    **changes: Any,
) -> None:
    """Move `obj` from the state it was loaded in to `to` (with `changes`), or raise: a
    DomainError when the table forbids it, a Conflict when someone moved it first. `obj` is
    left as loaded; refresh it to read the new state."""
    current = getattr(obj, state_field)
    check_transition(table, current, to, invalid=invalid, field=error_field)
    changed = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, **{state_field: current})
        .update(**{state_field: to}, updated_at=timezone.now(), **changes)
    )
    if not changed:
        raise conflict if isinstance(conflict, Conflict) else Conflict(conflict)
