"""Page forms of the workers' station. They parse input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.forms import DateInput
from linli.registry.choices import Gender
from linli.riders.choices import Meal, Payment, ReportCategory, VisitPurpose, WorkerKind

DATE = DateInput()


class ActionForm(forms.Form):
    """A button that runs one service: nothing to fill in, but a real form, so that the page
    runs the service through `core.forms.submit` and a refusal lands on the form."""


class WorkerForm(forms.Form):
    resident = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Works as"), choices=WorkerKind.choices)
    platform = forms.CharField(label=_("Platform"), max_length=50)
    work_station = forms.CharField(label=_("Work station"), max_length=100, required=False)
    name = forms.CharField(label=_("Name (worker from outside)"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone (worker from outside)"), max_length=20, required=False)


class VisitForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=VisitPurpose.choices)


class MealForm(forms.Form):
    meal = forms.ChoiceField(label=_("Meal"), choices=Meal.choices)
    payment = forms.ChoiceField(label=_("Payment"), choices=Payment.choices)


class ClassForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=100)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)


class EnrolmentForm(forms.Form):
    worker = forms.UUIDField(widget=forms.HiddenInput)
    child_name = forms.CharField(label=_("Child's name"), max_length=50)
    child_birth_date = forms.DateField(label=_("Child's birth date"), widget=DATE)
    child_gender = forms.ChoiceField(label=_("Child's gender"), choices=Gender.choices)
    notes = forms.CharField(label=_("Allergies and health notes"), max_length=200, required=False)


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("What kind of hazard"), choices=ReportCategory.choices)
    place = forms.CharField(label=_("Where"), max_length=200)
    description = forms.CharField(
        label=_("What is wrong"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # A plain file field: the service checks it with Community 110's one photo check.
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=200)
