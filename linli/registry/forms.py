"""Page forms of the registry. They only parse input; services validate and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.registry.choices import DisabilityLevel, Gender, MoveReason, Relation, Tenure

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "form-control"})


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


class MoveInForm(ResidentForm):
    moved_in = forms.DateField(
        label=_("Moved in on"), initial=timezone.localdate, widget=DATE_WIDGET
    )
    move_in_reason = forms.ChoiceField(label=_("Reason"), choices=MoveReason.choices)


class MoveOutForm(forms.Form):
    date = forms.DateField(label=_("Moved out on"), initial=timezone.localdate, widget=DATE_WIDGET)
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
