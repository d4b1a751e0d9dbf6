"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from linli.core.navigation import nav_for
from linli.core.permissions import ANONYMOUS, role_perms


def actor(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "actor", ANONYMOUS)

    def perms() -> frozenset[str]:
        held: set[str] = set()
        for role in current.roles:
            held |= role_perms(role)
        return frozenset(held)

    return {
        "actor": current,
        "actor_perms": SimpleLazyObject(perms),
        "nav_entries": SimpleLazyObject(lambda: nav_for(perms())),
    }
