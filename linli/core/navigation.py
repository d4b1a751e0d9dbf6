"""The main menu. Each app registers its entries in `AppConfig.ready()`; the menu shows an
entry only to actors whose roles hold its permission, so no app edits the base template."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The desktop menu shows at most seven top-level groups, each a dropdown of the entries placed
# in it. An entry names its group (`register_nav(..., group="service")`); one registered without
# a group is placed by its URL namespace (`DEFAULT_GROUPS`), and a namespace nobody listed lands
# in "service", so a new domain appears in a sensible group without editing this file.
GROUPS: tuple[tuple[str, str | Promise], ...] = (
    ("residents", _("Residents")),
    ("hotline", _("Community 110")),
    ("party", _("Party building")),
    ("service", _("Services")),
    ("governance", _("Governance")),
    ("data", _("Data")),
    ("admin", _("Administration")),
)
GROUP_KEYS = frozenset(key for key, _label in GROUPS)
DEFAULT_GROUPS: dict[str, str] = {
    "registry": "residents",
    "hub": "residents",
    "hotline": "hotline",
    "open311": "hotline",
    "party": "party",
    "volunteers": "service",
    "riders": "service",
    "care": "service",
    "nursery": "service",
    "jobs": "service",
    "training": "service",
    "venues": "service",
    "bookings": "service",
    "services": "service",
    "governance": "governance",
    "deliberation": "governance",
    "votes": "governance",
    "surveys": "governance",
    "consult": "governance",
    "notify": "governance",
    "cockpit": "data",
    "reports": "data",
    "stats": "data",
    "audit": "admin",
    "accounts": "admin",
    "core": "admin",
}
# Single pages whose namespace's group does not fit them.
DEFAULT_GROUPS_BY_NAME: dict[str, str] = {
    "registry:import": "admin",
    "hotline:rates": "data",
}
DEFAULT_GROUP = "service"


def default_group(url_name: str) -> str:
    if url_name in DEFAULT_GROUPS_BY_NAME:
        return DEFAULT_GROUPS_BY_NAME[url_name]
    namespace = url_name.split(":", 1)[0] if ":" in url_name else ""
    return DEFAULT_GROUPS.get(namespace, DEFAULT_GROUP)


def menu_url(url_name: str) -> str:
    """`reverse(url_name)` for a menu entry or tab, worked out once per script prefix and URL
    conf: every page shows some 30 of them (issue 16)."""
    return _menu_url(url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _menu_url(url_name: str, _prefix: str, urlconf: str) -> str:
    return reverse(url_name, urlconf=urlconf)


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    perm: str
    order: int = 100
    group: str = ""  # one of GROUP_KEYS; empty = placed by the URL namespace

    @property
    def url(self) -> str:
        return menu_url(self.url_name)

    @property
    def group_key(self) -> str:
        return self.group if self.group in GROUP_KEYS else default_group(self.url_name)


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str | Promise
    entries: tuple[NavEntry, ...]


_ENTRIES: list[NavEntry] = []
_VERSION = [0]


def version() -> int:
    """Changes whenever an entry is registered: a menu rendered once and kept
    (hub.context_processors) is kept per version."""
    return _VERSION[0]


def register_nav(
    label: str | Promise, url_name: str, perm: str, order: int = 100, *, group: str = ""
) -> None:
    entry = NavEntry(label=label, url_name=url_name, perm=perm, order=order, group=group)
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)
        _ENTRIES.sort(key=lambda e: e.order)
        _VERSION[0] += 1


def nav_for(perms: frozenset[str]) -> list[NavEntry]:
    return [e for e in _ENTRIES if e.perm in perms]


def nav_groups_for(perms: frozenset[str]) -> list[NavGroup]:
    """The actor's entries in their groups (menu order; empty groups left out)."""
    by_group: dict[str, list[NavEntry]] = {}
    for entry in nav_for(perms):
        by_group.setdefault(entry.group_key, []).append(entry)
    return [
        NavGroup(key=key, label=label, entries=tuple(by_group[key]))
        for key, label in GROUPS
        if key in by_group
    ]


# --- sub-navigation -------------------------------------------------------------------------
# A domain with several pages registers its tabs once; `{% subnav "volunteers" "store" %}`
# (core/templatetags/linli.py) renders the tabs the actor may use, the current one marked.
# No template carries permission strings or copies the tab bar.


@dataclass(frozen=True)
class SubnavEntry:
    key: str
    label: str | Promise
    url_name: str
    perms: tuple[str, ...]  # any one of them shows the tab; empty = everyone signed in

    @property
    def url(self) -> str:
        return menu_url(self.url_name)


_SUBNAVS: dict[str, list[SubnavEntry]] = {}
_SUBNAV_LABELS: dict[str, str | Promise] = {}


def register_subnav(
    group: str,
    key: str,
    label: str | Promise,
    url_name: str,
    *perms: str,
    group_label: str | Promise | None = None,
) -> None:
    """Add a tab `key` to the sub-navigation `group` (registration order is display order)."""
    entries = _SUBNAVS.setdefault(group, [])
    if group_label is not None:
        _SUBNAV_LABELS[group] = group_label
    if all(e.key != key for e in entries):
        entries.append(SubnavEntry(key=key, label=label, url_name=url_name, perms=perms))


def subnav_for(group: str, perms: frozenset[str]) -> list[SubnavEntry]:
    return [e for e in _SUBNAVS.get(group, []) if not e.perms or perms & set(e.perms)]


def subnav_label(group: str) -> str | Promise:
    return _SUBNAV_LABELS.get(group, group)
