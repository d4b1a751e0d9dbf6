"""Page forms of notifications and notices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from linli.notify.models import Audience
from linli.registry.choices import Tag

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; type and size are checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


class NoticeForm(forms.Form):
    audience = forms.ChoiceField(label=_("For"), choices=Audience.choices)
    grid_id = forms.TypedChoiceField(label=_("Grid"), coerce=int, required=False, empty_value=None)
    building_id = forms.IntegerField(label=_("Building number (id)"), required=False)
    tag = forms.ChoiceField(label=_("Group"), choices=[("", "—"), *Tag.choices], required=False)
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    starts_at = forms.DateTimeField(label=_("Starts"), required=False, widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=DATETIME)
    pinned = forms.BooleanField(label=_("Pinned at the top"), required=False)
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args: Any, grids: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid_id"].choices = [("", "—"), *grids]  # type: ignore[attr-defined]


class PreferenceForm(forms.Form):
    sms = forms.BooleanField(label=_("Text messages to my phone"), required=False)
    push = forms.BooleanField(label=_("Notifications in this browser"), required=False)
    large_type = forms.BooleanField(label=_("Large type (elder mode)"), required=False)


class PushForm(forms.Form):
    """A browser's Push API subscription as its JavaScript posts it (flattened)."""

    endpoint = forms.CharField(max_length=500)
    p256dh = forms.CharField(max_length=200, required=False)
    auth = forms.CharField(max_length=100, required=False)
    remove = forms.BooleanField(required=False)
