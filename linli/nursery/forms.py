"""Page forms of the day-care. They parse input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core import dates
from linli.core.forms import DateInput
from linli.nursery.choices import Band, HealthResult, Mood

DATE = DateInput()


class ClassForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=50)
    band = forms.ChoiceField(label=_("Band"), choices=Band.choices)
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1, max_value=20)
    room = forms.CharField(label=_("Room"), max_length=50, required=False)


class EnrolForm(forms.Form):
    class_id = forms.TypedChoiceField(label=_("Class"), coerce=int)
    start_date = forms.DateField(label=_("Start date"), widget=DATE, initial=dates.local_today)
    consent_by_public_id = forms.ChoiceField(label=_("Guardian giving consent"))
    consent_given = forms.BooleanField(
        label=_("The guardian has read and agreed to the consent text above"), required=False
    )
    health_checked_on = forms.DateField(label=_("Health check date"), widget=DATE)
    health_clinic = forms.CharField(label=_("Clinic"), max_length=100)
    health_result = forms.ChoiceField(label=_("Result"), choices=HealthResult.choices)
    allergies = forms.CharField(label=_("Allergies"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        classes: list[tuple[int, str]],
        guardians: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_id"].choices = classes  # type: ignore[attr-defined]
        self.fields["consent_by_public_id"].choices = guardians  # type: ignore[attr-defined]


class MorningForm(forms.Form):
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"), max_digits=3, decimal_places=1, initial="36.6"
    )
    hands_mouth_ok = forms.BooleanField(
        label=_("Hands and mouth fine"), required=False, initial=True
    )
    mood = forms.ChoiceField(label=_("Mood"), choices=Mood.choices)


class NoonForm(forms.Form):
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"), max_digits=3, decimal_places=1, initial="36.6"
    )
    ok = forms.BooleanField(label=_("Noon check fine"), required=False, initial=True)


OTHER = "other"


class PickupForm(forms.Form):
    """Who came: someone on the list, or someone else (then name and phone, and a refusal)."""

    person = forms.ChoiceField(label=_("Who came to collect the child"))
    name = forms.CharField(label=_("Name (if not on the list)"), max_length=50, required=False)
    relation = forms.CharField(label=_("Relation given"), max_length=30, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            *people,
            (OTHER, _("Someone not on the list")),
        ]

    def service_args(self) -> dict[str, Any]:
        data = self.cleaned_data
        person = data["person"]
        return {
            "person_id": None if person == OTHER else int(person),
            "name": data.get("name", ""),
            "relation": data.get("relation", ""),
            "phone": data.get("phone", ""),
        }


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    relation = forms.CharField(label=_("Relation"), max_length=30)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class PhotoForm(forms.Form):
    """A photo for someone already on the pickup list (its content is checked by the service)."""

    person_id = forms.TypedChoiceField(label=_("Pickup person"), coerce=int)
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person_id"].choices = people  # type: ignore[attr-defined]


class AbsenceForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE, initial=dates.local_today)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class LeaveForm(forms.Form):
    on = forms.DateField(label=_("Left on"), widget=DATE, initial=dates.local_today)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class ActionForm(forms.Form):
    """A button that runs one service."""


class RosterForm(forms.Form):
    carers = forms.TypedMultipleChoiceField(
        label=_("Carers on duty"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, carers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carers"].choices = carers  # type: ignore[attr-defined]
