"""Open311 clients are managed here: adding one (or ticking "new key") shows its api_key once;
only a hash is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.admin import TokenAdmin
from linli.open311.models import Open311Client
from linli.open311.selectors import CLIENTS


class Open311ClientForm(forms.ModelForm[Open311Client]):
    new_key = forms.BooleanField(
        label=gettext_lazy("Issue a new api_key (the old one stops working)"), required=False
    )

    class Meta:
        model = Open311Client
        fields = ("name", "community", "active", "contact")


@admin.register(Open311Client)
class Open311ClientAdmin(TokenAdmin[Open311Client]):
    memo_tokens = (CLIENTS,)  # a key switched off or replaced stops working on every server
    form = Open311ClientForm
    list_display = ("name", "community", "key_prefix", "active", "created_at")
    list_filter = ("active", "community")
    readonly_fields = ("key_prefix",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        raw = None
        if not change or form.cleaned_data.get("new_key"):
            raw = obj.set_key()
        super().save_model(request, obj, form, change)
        if raw:
            messages.warning(
                request,
                _("The api_key of %(name)s is %(key)s — copy it now, it is not shown again.")
                % {"name": obj.name, "key": raw},
            )
