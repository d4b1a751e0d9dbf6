"""Page forms of notifications and notices."""

from __future__ import annotations

from collections.abc import Sequence
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
    """Texts and browser notifications on or off, per kind and channel (`kinds`: the kinds
    this person may get), the quiet hours and large type."""

    sms = forms.BooleanField(label=_("Text messages to my phone"), required=False)
    push = forms.BooleanField(label=_("Notifications in this browser"), required=False)
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    large_type = forms.BooleanField(label=_("Large type (elder mode)"), required=False)

    def __init__(
        self, *args: Any, kinds: Sequence[tuple[str, Any]], muted: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = list(kinds)
        off = set(muted)
        for i, (kind, label) in enumerate(self.kinds):
            for channel, name in (("sms", _("SMS")), ("push", _("Browser"))):
                self.fields[f"{channel}_{i}"] = forms.BooleanField(
                    label=f"{label}: {name}",
                    required=False,
                    initial=kind not in off and f"{kind}:{channel}" not in off,
                )

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("sms", "push", "quiet_start", "quiet_end", "large_type")]

    def kind_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"sms_{i}"], self[f"push_{i}"]) for i, (_k, label) in enumerate(self.kinds)
        ]

    def values(self) -> dict[str, Any]:
        """What `services.preference_set` takes: the switches, the quiet hours, and the
        channels switched off per kind ("<kind>:<channel>")."""
        data = self.cleaned_data
        muted = [
            f"{kind}:{channel}"
            for i, (kind, _label) in enumerate(self.kinds)
            for channel in ("sms", "push")
            if not data.get(f"{channel}_{i}")
        ]
        return {
            "sms": data["sms"],
            "push": data["push"],
            "large_type": data["large_type"],
            "quiet_start": data["quiet_start"],
            "quiet_end": data["quiet_end"],
            "muted_kinds": muted,
        }


class PushForm(forms.Form):
    """A browser's Push API subscription as its JavaScript posts it (flattened)."""

    endpoint = forms.CharField(max_length=500)
    p256dh = forms.CharField(max_length=200, required=False)
    auth = forms.CharField(max_length=100, required=False)
    remove = forms.BooleanField(required=False)
