"""Sign-in and activation forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from linli.accounts import services
from linli.accounts.models import User


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username or phone number"),
        max_length=150,
        widget=forms.TextInput({"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput({"autocomplete": "current-password"})
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return data
        if services.login_is_locked(services.login_key(username)):
            raise forms.ValidationError(
                _("Too many failed sign-ins. This account is locked for 30 minutes."),
                code="locked",
            )
        try:
            user = authenticate(self.request, username=username, password=password)
        except PermissionDenied:
            user = None
        if user is None:
            if services.login_is_locked(services.login_key(username)):
                raise forms.ValidationError(
                    _("Too many failed sign-ins. This account is locked for 30 minutes."),
                    code="locked",
                )
            raise forms.ValidationError(_("Wrong username or password."), code="invalid")
        self.user = user  # type: ignore[assignment]
        return data


class ActivateForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=20)
    phone = forms.CharField(label=_("Your phone number"), max_length=30)
    password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput({"autocomplete": "new-password"})
    )
