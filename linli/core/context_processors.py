"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from linli.core.permissions import ANONYMOUS, perms_of


def actor(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "actor", ANONYMOUS)
    return {
        "actor": current,
        "actor_perms": SimpleLazyObject(lambda: perms_of(current)),
    }
