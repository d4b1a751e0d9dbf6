"""Page forms of the registry. They only parse input; services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core import dates
from linli.core.exporting import XLSX_MIME
from linli.core.forms import DateInput
from linli.registry.choices import DisabilityLevel, Gender, MoveReason, Relation, Tenure
from linli.registry.models import Community

DATE_WIDGET = DateInput(attrs={"class": "form-control"})


class ResidentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    citizen_id = forms.CharField(
        label=_("Citizen ID number"),
        max_length=18,
        required=False,
        help_text=_("Gender and birth date are read from it."),
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE_WIDGET)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    relation = forms.ChoiceField(label=_("Relation to household head"), choices=Relation.choices)
    disability_level = forms.ChoiceField(
        label=_("Disability level"), choices=DisabilityLevel.choices, required=False
    )
    is_low_income = forms.BooleanField(label=_("Low-income / hardship"), required=False)
    is_unemployed = forms.BooleanField(label=_("Unemployed"), required=False)
    is_land_lost_farmer = forms.BooleanField(label=_("Land-lost farmer"), required=False)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    is_new_employment_worker = forms.BooleanField(label=_("New-employment worker"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))


class ResidentEditForm(ResidentForm):
    """Editing a resident never prefills a protected value (DESIGN.md rule 10): the ID number
    and phone fields start empty with the masked value on file as a hint, and a blank field
    keeps what is stored. The full values stay behind the audited reveal dialog."""

    clear_phone = forms.BooleanField(label=_("Remove the phone number"), required=False)

    def __init__(self, *args: Any, citizen_id_masked: str, phone_masked: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        keep = _("Leave blank to keep %(value)s; type a new number to replace it.")
        for name, masked in (("citizen_id", citizen_id_masked), ("phone", phone_masked)):
            field = self.fields[name]
            field.initial = ""
            if masked:
                field.help_text = keep % {"value": masked}
                field.widget.attrs["placeholder"] = masked
            field.widget.attrs["autocomplete"] = "off"
        if not phone_masked:
            del self.fields["clear_phone"]

    def changes(self, current: dict[str, Any]) -> dict[str, Any]:
        """The service input: `current` (the stored values) with what the worker typed; a
        blank ID or phone keeps the stored one, "remove" clears the phone."""
        data = dict(self.cleaned_data)
        values = {**current, **data}
        values.pop("clear_phone", None)
        if not data.get("citizen_id"):
            values["citizen_id"] = current.get("citizen_id", "")
        if data.get("clear_phone"):
            values["phone"] = ""
        elif not data.get("phone"):
            values["phone"] = current.get("phone", "")
        return values


class MoveInForm(ResidentForm):
    moved_in = forms.DateField(
        label=_("Moved in on"), initial=dates.local_today, widget=DATE_WIDGET
    )
    move_in_reason = forms.ChoiceField(label=_("Reason"), choices=MoveReason.choices)


class MoveOutForm(forms.Form):
    date = forms.DateField(label=_("Moved out on"), initial=dates.local_today, widget=DATE_WIDGET)
    reason = forms.ChoiceField(label=_("Reason"), choices=MoveReason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see it?"),
        max_length=500,
        min_length=2,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. calling about a repair visit")}),
    )


class HouseholdForm(forms.Form):
    room = forms.CharField(label=_("Room"), max_length=20)
    floor = forms.IntegerField(label=_("Floor"), required=False, min_value=1, max_value=99)
    area_m2 = forms.DecimalField(
        label=_("Registered floor area (m²)"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
    )
    tenure = forms.ChoiceField(label=_("Tenure"), choices=Tenure.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))


class HouseholdEditForm(forms.Form):
    area_m2 = forms.DecimalField(
        label=_("Registered floor area (m²)"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
    )
    tenure = forms.ChoiceField(label=_("Tenure"), choices=Tenure.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_MIME}"}),
    )
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), required=False
    )

    def __init__(self, *args: Any, communities: list[Community], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Community.objects.filter(pk__in=[c.pk for c in communities])
        if len(communities) == 1:
            field.widget = forms.HiddenInput()
            field.initial = communities[0].pk
        else:
            field.required = True
