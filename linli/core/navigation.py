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
