"""Page forms of the training base. They parse input only; the services decide (a reversed
stay, a trainee count ≤ 0, a fee with three decimals reach the service, which refuses them with
a clear message on the form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput
from linli.training.choices import PROVINCES, ClassTransition, CourseFormat, LecturerKind

DATE = DateInput()
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActionForm(forms.Form):
    """A button that runs one service (a real form, so a refusal lands on it)."""


class TransitionForm(forms.Form):
    transition = forms.ChoiceField(choices=ClassTransition.choices, widget=forms.HiddenInput)


class ClassForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=120)
    organisation = forms.CharField(label=_("Visiting organisation"), max_length=120)
    province = forms.ChoiceField(
        label=_("Province"), choices=[("", "—"), *((p, p) for p in PROVINCES)]
    )
    city = forms.CharField(label=_("City"), max_length=30, required=False)
    contact_name = forms.CharField(label=_("Contact"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    starts_on = forms.DateField(label=_("Arrives on"), widget=DATE)
    ends_on = forms.DateField(label=_("Leaves on"), widget=DATE)
    trainee_count = forms.IntegerField(label=_("Trainees"))
    dietary_notes = forms.CharField(label=_("Dietary notes"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SessionForm(forms.Form):
    course = forms.TypedChoiceField(label=_("Course"), coerce=int)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    lecturer = forms.TypedChoiceField(
        label=_("Lecturer"), coerce=int, required=False, empty_value=None
    )
    room = forms.CharField(
        label=_("Classroom or site"), max_length=80, required=False, initial="一号教室"
    )

    def __init__(
        self,
        *args: Any,
        courses: list[tuple[int, str]],
        lecturers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = courses  # type: ignore[attr-defined]
        self.fields["lecturer"].choices = [("", "—"), *lecturers]  # type: ignore[attr-defined]


class CancelSessionForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)


class LodgingForm(forms.Form):
    beds = forms.IntegerField(label=_("Beds"))
    first_night = forms.DateField(label=_("First night"), widget=DATE, required=False)
    last_night = forms.DateField(label=_("Last night"), widget=DATE, required=False)


class MealForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE)
    breakfasts = forms.IntegerField(label=_("Breakfasts"), initial=0)
    lunches = forms.IntegerField(label=_("Lunches"), initial=0)
    dinners = forms.IntegerField(label=_("Dinners"), initial=0)
    dietary_notes = forms.CharField(label=_("Dietary notes"), max_length=200, required=False)


class RosterForm(forms.Form):
    names = forms.CharField(
        label=_("Names, one per line (name, post)"), widget=forms.Textarea(attrs={"rows": 4})
    )


class CheckInForm(forms.Form):
    trainees = forms.TypedMultipleChoiceField(
        label=_("Trainees"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, trainees: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainees"].choices = trainees  # type: ignore[attr-defined]


class CourseForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=120)
    format = forms.ChoiceField(label=_("Format"), choices=CourseFormat.choices)
    site = forms.CharField(label=_("Site"), max_length=80, required=False)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=90)
    fee = forms.CharField(label=_("Fee per trainee (yuan)"), max_length=20)
    lecturers = forms.TypedMultipleChoiceField(label=_("Lecturers"), coerce=int, required=False)

    def __init__(
        self,
        *args: Any,
        categories: list[tuple[int, str]],
        lecturers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = categories  # type: ignore[attr-defined]
        self.fields["lecturers"].choices = lecturers  # type: ignore[attr-defined]


class LecturerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=LecturerKind.choices)
    affiliation = forms.CharField(label=_("Affiliation and title"), max_length=120, required=False)
    topics = forms.CharField(label=_("Topics"), max_length=200, required=False)
