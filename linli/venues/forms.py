"""Page forms of venues: booking, recurring booking, decisions, closures, loans, service
records and ratings. Every input of a page is one of these (run through core.forms.submit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.forms import DateInput
from linli.venues.choices import BookingTransition, ProviderKind, VenueKind, Weekday

WEEKDAYS = Weekday.choices


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"step": 1800, **(attrs or {})}, format="%H:%M")


class BookingForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    attendance = forms.IntegerField(label=_("Expected attendance"), min_value=1, max_value=100000)
    host = forms.CharField(
        label=_("For (team or organisation)"),
        max_length=100,
        required=False,
        help_text=_("Leave empty when you book for yourself."),
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["host"]


class SeriesForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Every"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())
    every_weeks = forms.IntegerField(label=_("Every n weeks"), min_value=1, max_value=8, initial=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    attendance = forms.IntegerField(label=_("Expected attendance"), min_value=1, max_value=100000)
    host = forms.CharField(label=_("For (team or organisation)"), max_length=100, required=False)


class MoveForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())


class DecideForm(forms.Form):
    transition = forms.ChoiceField(
        choices=[(t.value, t.label) for t in BookingTransition], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    visitors = forms.IntegerField(label=_("Visitors"), min_value=0, required=False)


class EmptyForm(forms.Form):
    """A button (cancel, return): nothing to fill in."""


class ClosureForm(forms.Form):
    first_day = forms.DateField(label=_("From"), widget=DateInput())
    last_day = forms.DateField(label=_("Until"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200)


class LendForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int)
    resident = forms.CharField(label=_("Resident (name or phone)"), max_length=50)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=20, initial=1)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput(), required=False)

    def __init__(
        self,
        *args: Any,
        items: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items  # type: ignore[attr-defined]


class BorrowForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=20, initial=1)


class RecordForm(forms.Form):
    category = forms.TypedChoiceField(label=_("Service"), coerce=int)
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int)
    resident = forms.CharField(label=_("Resident (name or phone)"), max_length=50)
    venue = forms.TypedChoiceField(label=_("Where"), coerce=int, required=False, empty_value=None)
    served_on = forms.DateField(label=_("Day"), widget=DateInput())
    served_time = forms.TimeField(label=_("Time"), widget=TimeInput(), initial=dt.time(9))
    what = forms.CharField(label=_("What was done"), max_length=300)

    def __init__(
        self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, values in choices.items():
            self.fields[name].choices = values  # type: ignore[attr-defined]


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), choices=[(i, str(i)) for i in range(5, 0, -1)], coerce=int
    )
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


class HoldForm(forms.Form):
    """Hold a residents' activity in a booking (sign-up by the one activity engine)."""

    title = forms.CharField(label=_("Activity"), max_length=100)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100000)
    description = forms.CharField(
        label=_("What residents will do"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VenueForm(forms.Form):
    """A venue's settings (create and edit)."""

    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=VenueKind.choices)
    grid = forms.TypedChoiceField(
        label=_("Grid"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("The grid of a micro-home."),
    )
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    area_m2 = forms.DecimalField(
        label=_("Area (m²)"), min_value=0, max_value=1_000_000, decimal_places=1, initial=0
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100_000)
    slot_minutes = forms.TypedChoiceField(
        label=_("Time grid (minutes)"),
        choices=[(n, str(n)) for n in (10, 15, 20, 30, 60)],
        coerce=int,
        initial=30,
    )
    staff_may_book = forms.BooleanField(label=_("Staff may book"), required=False, initial=True)
    teams_may_book = forms.BooleanField(
        label=_("Teams and organisations may book"), required=False, initial=True
    )
    residents_may_book = forms.BooleanField(label=_("Residents may book"), required=False)
    needs_approval = forms.BooleanField(label=_("Bookings need approval"), required=False)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, grids: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"].choices = [("", "—"), *grids]  # type: ignore[attr-defined]


class PhotoForm(forms.Form):
    """The venue's photo (its content is checked by the service)."""

    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("A JPEG, PNG or WebP photo of at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class HoursForm(forms.Form):
    """Opening hours per weekday: a weekday left empty is closed."""

    def __init__(self, *args: Any, step: int = 30, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in WEEKDAYS:
            attrs = {"step": step * 60}
            self.fields[f"opens_{value}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": label},
                required=False,
                widget=TimeInput(attrs=attrs),
            )
            self.fields[f"closes_{value}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": label},
                required=False,
                widget=TimeInput(attrs=attrs),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for value, label in WEEKDAYS:
            opens, closes = data.get(f"opens_{value}"), data.get(f"closes_{value}")
            if (opens is None) != (closes is None):
                self.add_error(
                    f"closes_{value}",
                    _("%(day)s: give both times, or neither when it is closed.") % {"day": label},
                )
        return data

    def days(self) -> list[tuple[int, dt.time, dt.time]]:
        d = self.cleaned_data
        return [
            (value, d[f"opens_{value}"], d[f"closes_{value}"])
            for value, _label in WEEKDAYS
            if d.get(f"opens_{value}") and d.get(f"closes_{value}")
        ]


class CategoryForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=50)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=100)


class ProviderForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProviderKind.choices)
    categories = forms.TypedMultipleChoiceField(
        label=_("Services"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, categories: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = categories  # type: ignore[attr-defined]


class ScheduleForm(forms.Form):
    """A regular session of a service, booked on a venue as a recurring booking."""

    category = forms.TypedChoiceField(label=_("Service"), coerce=int)
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int)
    venue = forms.TypedChoiceField(label=_("Venue"), coerce=int)
    weekday = forms.TypedChoiceField(label=_("Every"), choices=WEEKDAYS, coerce=int)
    every_weeks = forms.IntegerField(label=_("Every n weeks"), min_value=1, max_value=8, initial=1)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    attendance = forms.IntegerField(label=_("Expected attendance"), min_value=1, max_value=100000)
    skip_conflicts = forms.BooleanField(label=_("Book the free dates only"), required=False)

    def __init__(
        self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, values in choices.items():
            self.fields[name].choices = values  # type: ignore[attr-defined]
