"""Jinja2 for the hot row loops of list pages (issue 16).

A page keeps its Django template (it extends `base.html`, uses the Django tags it likes); only a
loop that renders one block per row, where Django's template engine spends most of a list page's
time, moves to a `.jinja` fragment included with `{% jinja "app/_rows.jinja" %}`
(`linli/core/templatetags/linli.py`). The fragment sees the same context as the Django template.

The environment is the one place these fragments get their helpers:

- autoescape is on (a resident's name is text, never markup); Django's `SafeString` has
  `__html__`, so a string Django marked safe (`status_badge`) is not escaped twice;
- `_()`, `gettext()` and `ngettext()` are Django's, so a fragment's strings come from the same
  catalogue (`locale/zh_Hans/LC_MESSAGES/django.po`) as the Django templates' (newstyle: named
  placeholders, `ngettext("%(counter)s x", "%(counter)s xs", n, counter=n)`);
- `url(name, *args)` is Django's `reverse`; `status_badge(label, tone, testid)` is the tag the
  Django templates use; the `date` filter formats like Django's `|date` in the current time
  zone; `truncatechars`, `floatformat` and `default` behave like Django's;
  `display(obj, "status")` is `obj.get_status_display()` with the labels looked up once per
  language; a domain adds its own filters
  with `register_filter` (hotline's `status_tone`);
- a missing variable, or an attribute of one or of None (`row.building.grid.name` with no
  building), renders as nothing, as in Django.

Templates are found in `linli/templates` and each installed app's `templates/` folder, compiled
once and kept (`auto_reload` only with DEBUG).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.template import defaultfilters
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import formats
from django.utils.hashable import make_hashable
from django.utils.timezone import is_naive, localtime
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import ChainableUndefined, Environment, FileSystemLoader, Template

from linli.core.templatetags.linli import status_badge


def url(name: str, *args: Any) -> str:
    """`{% url name arg ... %}`: the path of a named route.

    A list page links each of its rows and `reverse` costs ~65 µs, a tenth of a list page's
    time for 50 rows. So when every argument is an id (a UUID, or an int ≥ 0: text that needs
    no quoting and that every route converter taking it accepts), the route is reversed once
    per kind of arguments with stand-ins, and each call fills the real ids in. Anything else
    goes through `reverse`."""
    if args and all(isinstance(a, UUID) or (type(a) is int and a >= 0) for a in args):
        kinds = tuple(type(a) is int for a in args)
        parts = _path_parts(name, kinds, get_script_prefix())
        if parts is not None:
            filled = [parts[0]]
            for arg, part in zip(args, parts[1:], strict=True):
                filled += [str(arg), part]
            return "".join(filled)
    return reverse(name, args=args)


_STAND_IN_INT = 970_000_000_000_000_000
_STAND_IN_UUID = 0x5EED_0000_0000_4000_8000_0000_0000_0000


@functools.lru_cache(maxsize=1024)
def _path_parts(name: str, kinds: tuple[bool, ...], prefix: str) -> tuple[str, ...] | None:
    """The path of `name` cut where its arguments go (None: the route takes no such
    arguments, and `reverse` will say why)."""
    stand_ins = [
        _STAND_IN_INT + i if is_int else UUID(int=_STAND_IN_UUID + i)
        for i, is_int in enumerate(kinds)
    ]
    try:
        rest = reverse(name, args=stand_ins)
    except NoReverseMatch:
        return None
    parts: list[str] = []
    for stand_in in stand_ins:
        before, found, rest = rest.partition(str(stand_in))
        if not found:
            return None
        parts.append(before)
    return (*parts, rest)


# Django's date format letters that strftime writes alike in every language (zero-padded
# numbers), and what they become.
_NUMERIC_DATE_LETTERS = {"Y": "%Y", "m": "%m", "d": "%d", "H": "%H", "i": "%M", "s": "%S"}


@functools.lru_cache(maxsize=64)
def _strftime_format(fmt: str) -> str | None:
    """`fmt` as a strftime format when it has only the letters above and separators; None
    for anything else (names of months and days, named formats such as DATE_FORMAT)."""
    out: list[str] = []
    for ch in fmt:
        if ch in _NUMERIC_DATE_LETTERS:
            out.append(_NUMERIC_DATE_LETTERS[ch])
        elif ch.isalpha() or ch in "\\%":
            return None
        else:
            out.append(ch)
    return "".join(out)


def date_filter(value: date | datetime | None, fmt: str | None = None) -> str:
    """`|date:"fmt"`: an aware datetime is shown in the current time zone; None shows as "".
    A list page formats a time on every row, and a numeric format ("m-d H:i") is written by
    strftime, which gives what Django's formatter gives at a tenth of its cost."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and settings.USE_TZ and not is_naive(value):
        value = localtime(value)
    quick = _strftime_format(fmt) if fmt else None
    if quick is not None and value.year >= 1000 and isinstance(value, datetime):
        return value.strftime(quick)
    return formats.date_format(value, fmt)


def truncatechars(value: object, length: int) -> str:
    """`|truncatechars:n` (n characters including the ellipsis). Text that fits (most of a
    list's rows) is returned as it is, as Django's filter returns it."""
    text = str(value)
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return str(defaultfilters.truncatechars(text, length))


def floatformat(value: object, arg: int | str = -1) -> str:
    """`|floatformat:n`, localized as Django does."""
    return str(defaultfilters.floatformat(value, arg))


@functools.cache
def _choice_labels(model: type[Model], field: str, language: str | None) -> dict[Any, str]:
    return {
        make_hashable(value): str(label)
        for value, label in model._meta.get_field(field).flatchoices  # type: ignore[union-attr]
    }


def display(obj: Model, field: str) -> str:
    """`obj.get_<field>_display()`, the label of a choice field's value in the current language,
    without translating every label of the field on each call (Django does: issue 16)."""
    value = getattr(obj, field)
    labels = _choice_labels(type(obj), field, get_language())
    return labels.get(make_hashable(value), str(value))


def default(value: object, fallback: object) -> object:
    """`|default:x`: x when the value is falsy (Jinja's own `default` only replaces undefined)."""
    return value or fallback


# Filters a domain adds for its own fragments (`register_filter` in its AppConfig.ready()),
# so core does not import the domains.
_FILTERS: dict[str, Callable[..., Any]] = {}


def register_filter(name: str, func: Callable[..., Any]) -> None:
    """Make `func` the filter `name` in every fragment (call it from `AppConfig.ready()`)."""
    _FILTERS[name] = func
    if environment.cache_info().currsize:
        environment().filters[name] = func


def _template_dirs() -> list[str]:
    dirs = [str(Path(settings.BASE_DIR) / "linli" / "templates")]
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        if folder.is_dir():
            dirs.append(str(folder))
    return dirs


@functools.cache
def environment() -> Environment:
    """The one Jinja2 environment, built on first use."""
    env = Environment(
        loader=FileSystemLoader(_template_dirs()),
        autoescape=True,
        undefined=ChainableUndefined,
        auto_reload=settings.DEBUG,
        cache_size=-1,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(url=url, status_badge=status_badge, display=display)
    env.filters.update(
        date=date_filter, truncatechars=truncatechars, default=default, floatformat=floatformat
    )
    env.filters.update(_FILTERS)
    return env


def get_template(name: str) -> Template:
    return environment().get_template(name)


def render(name: str, context: dict[Any, Any]) -> str:
    """A fragment rendered with `context` (the Django template's context, flattened)."""
    return get_template(name).render(context)
