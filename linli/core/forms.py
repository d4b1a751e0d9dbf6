"""Helpers shared by every app's page forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest

from linli.core.errors import DomainError

T = TypeVar("T")


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's domain error on the field it names, or on the whole form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def submit(
    request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], T]
) -> T | None:
    """The one way a page runs a service from a form: for a valid POST, call
    `action(form.cleaned_data)` and return its result; a domain error goes onto the form and
    the result is None (as for a GET or an invalid form), so the view shows the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


def attempt(form: forms.Form, action: Callable[[], T]) -> T | None:
    """Run `action` for a form that is already valid but not being submitted (a preview, say):
    its result, or None with the domain error put onto the form."""
    try:
        return action()
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


class DateInput(forms.DateInput):
    """The browser's date picker. `<input type="date">` only accepts an ISO value, so the
    widget never uses the active language's date format (zh-Hans writes 2026/03/05, which the
    browser would drop, leaving an edit form's date empty)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
