"""Sign-in and activation forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.accounts import services
from linli.accounts.models import ApiToken, Invitation, User
from linli.core.errors import CoreError


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
        wait = services.login_wait(self.request, username)
        if wait:
            raise forms.ValidationError(
                services.throttled_message(wait), code=CoreError.RATE_LIMITED
            )
        try:
            user = authenticate(self.request, username=username, password=password)
        except PermissionDenied:
            user = None
        if user is None:
            raise forms.ValidationError(_("Wrong username or password."), code=CoreError.INVALID)
        self.user = user
        return data


class ActivateForm(forms.Form):
    code = forms.CharField(
        label=_("One-time code"),
        max_length=30,
        help_text=_("12 letters and digits, e.g. ABCD-EFGH-JKLM"),
        widget=forms.TextInput({"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput({"autocomplete": "new-password"})
    )


class PasswordResetForm(ActivateForm):
    """Same fields as activation; the code is a reset code."""


class CodeIssueForm(forms.Form):
    """Staff issue a code to one member of a household."""

    resident = forms.UUIDField(widget=forms.HiddenInput)
    purpose = forms.ChoiceField(
        choices=Invitation.Purpose.choices,
        initial=Invitation.Purpose.ACTIVATION,
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("How did the member prove who he is?"), max_length=500, required=False
    )


class SignInCodeForm(forms.Form):
    """A resident who forgot his password asks for a code on his phone."""

    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        widget=forms.TextInput({"autocomplete": "tel", "inputmode": "tel"}),
    )


TOKEN_DAYS_CHOICES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("180 days")),
    (365, _("365 days")),
]


class ApiTokenForm(forms.Form):
    """A new API token: for oneself, or (for an admin) for a service account."""

    owner = forms.TypedChoiceField(label=_("For"), coerce=int)
    name = forms.CharField(
        label=pgettext_lazy("thing", "Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the district 12345 platform."),
    )
    access_level = forms.ChoiceField(
        label=_("Access"), choices=ApiToken.Access.choices, initial=ApiToken.Access.READ
    )
    domains = forms.MultipleChoiceField(
        label=_("Domains"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The parts of the API the token may use (/api/<domain>/...)."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"), choices=TOKEN_DAYS_CHOICES, coerce=int, initial=90
    )

    def __init__(
        self,
        *args: Any,
        domains: list[str],
        owners: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        domain_field: Any = self.fields["domains"]
        domain_field.choices = [(d, d) for d in domains]
        owner: Any = self.fields["owner"]
        owner.choices = [(0, _("Myself")), *owners]


class ServiceAccountForm(forms.Form):
    community_id = forms.TypedChoiceField(label=_("Community"), coerce=int)
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("The other system, e.g. District 12345.")
    )
    role = forms.ChoiceField(label=_("Role"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        communities: list[tuple[int, str]],
        roles: list[tuple[str, Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        community: Any = self.fields["community_id"]
        community.choices = communities
        role: Any = self.fields["role"]
        role.choices = roles
