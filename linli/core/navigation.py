"""The main menu. Each app registers its entries in `AppConfig.ready()`; the menu shows an
entry only to actors whose roles hold its permission, so no app edits the base template."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    perm: str
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_ENTRIES: list[NavEntry] = []


def register_nav(label: str | Promise, url_name: str, perm: str, order: int = 100) -> None:
    entry = NavEntry(label=label, url_name=url_name, perm=perm, order=order)
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)
        _ENTRIES.sort(key=lambda e: e.order)


def nav_for(perms: frozenset[str]) -> list[NavEntry]:
    return [e for e in _ENTRIES if e.perm in perms]


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
        return reverse(self.url_name)


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
