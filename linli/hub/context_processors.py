"""What the base template needs on every page: the menu in groups, the phone's bottom bar for
residents and grid workers, the unread badge, large type, and whether to show the search box.
Everything is lazy: a page that never renders the header runs none of these queries."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from linli.core import jinja, navigation
from linli.core.navigation import nav_for, nav_groups_for
from linli.core.permissions import ANONYMOUS, Actor, perms_of
from linli.core.roles import Role
from linli.hub.selectors import can_search, is_resident_only, tiles
from linli.notify import selectors as notify

# The phone's bottom bar: home, the first entries of the actor's menu, messages.
BAR_ROLES = frozenset({Role.RESIDENT, Role.GRID_WORKER})
BAR_ENTRIES = 3


@dataclass(frozen=True)
class BarItem:
    key: str
    label: Any
    url: str


def _bar(actor: Actor) -> list[BarItem]:
    """Home, three destinations, messages: a resident's first hub tiles, a grid worker's first
    menu entries."""
    if not actor.roles or not actor.roles <= BAR_ROLES:
        return []
    items = [BarItem("home", _("Home"), reverse("home"))]
    if is_resident_only(actor):
        items += [BarItem(t.key, t.label, t.url) for t in tiles(actor, badges=False)[:BAR_ENTRIES]]
    else:
        groups = nav_groups_for(perms_of(actor))
        entries = sorted((e for g in groups for e in g.entries), key=lambda e: e.order)
        items += [BarItem(e.url_name, e.label, e.url) for e in entries[:BAR_ENTRIES]]
    items.append(BarItem("inbox", _("Messages"), reverse("notify:inbox")))
    return items


def _menu(actor: Actor) -> SafeString:
    """The main menu's HTML: the same for everyone with the same permissions, in one language,
    so each process renders it once per such pair (every signed-in page shows it)."""
    return _menu_html(
        perms_of(actor),
        is_resident_only(actor),
        get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        navigation.version(),
    )


@functools.lru_cache(maxsize=512)
def _menu_html(
    perms: frozenset[str],
    resident_view: bool,
    _language: str,
    _prefix: str,
    _urlconf: str,
    _version: int,
) -> SafeString:
    context = {
        "resident_view": resident_view,
        "nav_entries": nav_for(perms),
        "nav_groups": nav_groups_for(perms),
    }
    # safe: Jinja2 escaped the menu's labels (autoescape)
    return mark_safe(jinja.render("_menu.jinja", context))


def hub(request: HttpRequest) -> dict[str, Any]:
    actor: Actor = getattr(request, "actor", ANONYMOUS)
    if actor.user_id is None:
        return {"large_type": False}
    return {
        "menu": SimpleLazyObject(lambda: _menu(actor)),
        "bottom_bar": SimpleLazyObject(lambda: _bar(actor)),
        "unread_count": SimpleLazyObject(lambda: notify.unread_count(actor)),
        "large_type": SimpleLazyObject(lambda: notify.large_type(actor.user_id)),
        "can_search": SimpleLazyObject(lambda: can_search(actor)),
    }
