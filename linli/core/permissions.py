"""The one permission engine (DESIGN.md rule 3).

Apps declare, in their own `permissions.py`, which permissions each role holds
(`grant(role, *perms)`) and how their rows map to community / grid / household
(`register_scope(Model, community=..., grid=..., household=...)`). Everything that reads or
writes asks the engine:

- `for_actor(actor, perm, queryset)` narrows a queryset to the actor's scope;
- `access(actor, perm, queryset, **lookup)` loads one object or raises `NotFound` (outside the
  scope is indistinguishable from absent);
- `has_perm(actor, perm)` says whether any of the actor's roles holds the permission at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from linli.core.errors import NotFound
from linli.core.roles import ROLE_REACH, Reach, Role

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Grant:
    """One role held over one reach. `community_ids` is always filled (for a grid or household
    grant it holds the community of those grids / that household)."""

    role: str
    community_ids: frozenset[int]
    grid_ids: frozenset[int] = frozenset()
    household_id: int | None = None
    resident_id: int | None = None

    @property
    def reach(self) -> str:
        return ROLE_REACH[self.role]


@dataclass(frozen=True)
class Actor:
    """Who is acting, with every grant they hold. Built once per request by accounts."""

    user_id: int | None
    label: str
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    is_superuser: bool = False
    # The API token the request was authenticated with (None: a session or a task); the audit
    # trail records it beside the token's user.
    token_id: int | None = None

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    @property
    def community_ids(self) -> frozenset[int]:
        ids: set[int] = set()
        for g in self.grants:
            ids |= g.community_ids
        return frozenset(ids)

    @property
    def resident_id(self) -> int | None:
        for g in self.grants:
            if g.resident_id:
                return g.resident_id
        return None


ANONYMOUS = Actor(user_id=None, label="")


def system_actor(label: str, *, community_ids: Iterable[int] = ()) -> Actor:
    """The actor of work no person does (a periodic sweep, a task, the demo seed), recorded in
    the audit trail under `label`. With `community_ids` it reads as those communities' admin
    (a task that counts or sweeps a community's rows); without, it holds no grant at all and
    can only be named as the author of a write its service has already authorised."""
    ids = frozenset(community_ids)
    grants = (Grant(role=Role.COMMUNITY_ADMIN, community_ids=ids),) if ids else ()
    return Actor(user_id=None, label=label, grants=grants)


@dataclass(frozen=True)
class ScopeMap:
    """ORM paths from a model to the community id, grid id and household id it belongs to."""

    community: str
    grid: str | None = None
    household: str | None = None


_ROLE_PERMS: dict[str, set[str]] = defaultdict(set)
_SCOPES: dict[type[models.Model], ScopeMap] = {}
_ALL_PERMS: set[str] = set()


def grant(role: str, *perms: str) -> None:
    """Declare that `role` holds `perms` (called from each app's permissions.py)."""
    _ROLE_PERMS[role].update(perms)
    _ALL_PERMS.update(perms)


def register_scope(
    model: type[models.Model],
    *,
    community: str,
    grid: str | None = None,
    household: str | None = None,
) -> None:
    _SCOPES[model] = ScopeMap(community=community, grid=grid, household=household)


def role_perms(role: str) -> frozenset[str]:
    return frozenset(_ROLE_PERMS.get(role, ()))


def perms_of(actor: Actor) -> frozenset[str]:
    """Every permission the actor's roles hold, whatever their reach."""
    held: set[str] = set()
    for role in actor.roles:
        held |= _ROLE_PERMS.get(role, set())
    return frozenset(held)


def known_perms() -> frozenset[str]:
    return frozenset(_ALL_PERMS)


def _grants_for(actor: Actor, perm: str) -> list[Grant]:
    return [g for g in actor.grants if perm in _ROLE_PERMS.get(g.role, ())]


def has_perm(actor: Actor, perm: str) -> bool:
    return bool(_grants_for(actor, perm))


def _grant_q(g: Grant, scope: ScopeMap) -> Q | None:
    reach = g.reach
    if reach == Reach.GRID:
        if scope.grid:
            return Q(**{f"{scope.grid}__in": sorted(g.grid_ids)})
        # A model that knows no grid (a community, say) is seen through the grids' community.
        return Q(**{f"{scope.community}__in": sorted(g.community_ids)})
    if reach == Reach.HOUSEHOLD:
        if scope.household and g.household_id:
            return Q(**{scope.household: g.household_id})
        return None
    return Q(**{f"{scope.community}__in": sorted(g.community_ids)})


def scope_q(actor: Actor, perm: str, model: type[models.Model]) -> Q | None:
    """The filter that limits `model` to what `actor` may `perm`; None means nothing."""
    scope = _SCOPES.get(model)
    if scope is None:
        raise LookupError(f"{model.__name__} has no registered scope")
    parts = [q for g in _grants_for(actor, perm) if (q := _grant_q(g, scope)) is not None]
    if not parts:
        return None
    combined = parts[0]
    for q in parts[1:]:
        combined |= q
    return combined


def narrowed(actor: Actor, perm: str) -> Actor:
    """The actor as `for_actor(actor, perm, ...)` sees him: only the grants that hold `perm`,
    nothing that names him. It is equal for everyone whose grants scope `perm` alike, so it
    keys what a scoped statement compiles to (`core.db.Prepared`)."""
    return Actor(user_id=None, label="", grants=tuple(_grants_for(actor, perm)))


def for_actor(actor: Actor, perm: str, queryset: QuerySet[M]) -> QuerySet[M]:
    """Narrow `queryset` to the rows the actor may `perm`."""
    q = scope_q(actor, perm, queryset.model)
    if q is None:
        return queryset.none()
    return queryset.filter(q)


def access(actor: Actor, perm: str, queryset: QuerySet[M], **lookup: Any) -> M:
    """Load one object inside the actor's scope or raise NotFound (404). Malformed lookups
    (a bad UUID, say) are NotFound too, never a 500."""
    try:
        return for_actor(actor, perm, queryset).get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("Not found.")) from exc


def require(actor: Actor, *perms: str) -> None:
    """For services: an operation the actor may not use at all is NotFound (404), like anything
    outside the actor's scope. Holding any one of `perms` suffices."""
    if not any(has_perm(actor, p) for p in perms):
        raise NotFound(_("Not found."))


def can(actor: Actor, perm: str, obj: models.Model) -> bool:
    """Whether `obj` lies in the actor's scope for `perm` (one query)."""
    return for_actor(actor, perm, type(obj)._default_manager.all()).filter(pk=obj.pk).exists()


def allows(
    actor: Actor,
    perm: str,
    model: type[models.Model],
    *,
    community_id: int | None,
    grid_id: int | None = None,
    household_id: int | None = None,
) -> bool:
    """Whether a row of `model` lies in the actor's scope for `perm`, given the values of the
    model's registered scope paths that the caller has already read with the row (its
    community, grid and household ids): the same rule as `for_actor`, without a query, for a
    hot path that reads the row by a unique key anyway (a filing's household). Where a scope
    path is registered, its value must be passed."""
    scope = _SCOPES.get(model)
    if scope is None:
        raise LookupError(f"{model.__name__} has no registered scope")
    for g in _grants_for(actor, perm):
        reach = g.reach
        if reach == Reach.GRID and scope.grid:
            if grid_id is not None and grid_id in g.grid_ids:
                return True
        elif reach == Reach.HOUSEHOLD:
            if scope.household and g.household_id and household_id == g.household_id:
                return True
        elif community_id is not None and community_id in g.community_ids:
            return True
    return False


def communities_for(actor: Actor, perm: str) -> Iterable[int]:
    """Community ids where the actor holds `perm` through any grant."""
    ids: set[int] = set()
    for g in _grants_for(actor, perm):
        ids |= g.community_ids
    return sorted(ids)
