"""Helpers shared by every app's page forms."""

from __future__ import annotations

from django import forms

from linli.core.errors import DomainError


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's domain error on the field it names, or on the whole form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
