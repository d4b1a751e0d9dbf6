"""Page forms of volunteering. They parse input only; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core import dates
from linli.core.forms import DateInput
from linli.volunteers.choices import OrgStage, OrgType, TeamKind, VolunteerStatus

DATE = DateInput()


class ActionForm(forms.Form):
    """A button that runs one service: nothing to fill in, but a real form, so that the page
    runs the service through `core.forms.submit` and a refusal lands on the form."""


class SignupForm(forms.Form):
    """Sign up; a resident who is not a volunteer yet asks to be registered explicitly."""

    register_as_volunteer = forms.BooleanField(required=False)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    org_type = forms.ChoiceField(label=_("Type"), choices=OrgType.choices)
    guiding_party_org = forms.CharField(
        label=_("Guiding Party organisation"), max_length=100, initial="文昌花园社区党委"
    )
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE, initial=dates.local_today)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Next stage"), choices=OrgStage.choices)
    on = forms.DateField(label=_("Date"), widget=DATE, initial=dates.local_today)

    def __init__(self, *args: Any, allowed: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = allowed  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("The community itself")), *organisations]  # type: ignore[attr-defined]


class VolunteerForm(forms.Form):
    resident = forms.UUIDField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name (volunteer from outside)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Phone (volunteer from outside)"), max_length=20, required=False
    )
    skills = forms.CharField(
        label=_("Skills"), max_length=200, required=False, help_text=_("Separate with commas.")
    )
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)


class VolunteerEditForm(forms.Form):
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=VolunteerStatus.choices)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=100)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    hours_cap = forms.DecimalField(
        label=_("Most hours a volunteer can earn"),
        required=False,
        min_value=Decimal("0.25"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Leave empty to use the community's rule."),
    )
    description = forms.CharField(
        label=_("What volunteers will do"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, teams: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("The community")), *teams]  # type: ignore[attr-defined]


class ConfirmHoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal(0),
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to confirm the hours between check-in and check-out."),
    )


class AdjustForm(forms.Form):
    points = forms.IntegerField(
        label=_("Points (negative to take away)"), min_value=-100000, max_value=100000
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class StoreItemForm(forms.Form):
    """A new store item."""

    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    price = forms.IntegerField(label=_("Price (points)"), min_value=1)
    stock = forms.IntegerField(label=_("In stock"), min_value=0)
    per_person_limit = forms.IntegerField(
        label=_("Most one person may redeem"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    active = forms.BooleanField(label=_("On offer"), required=False, initial=True)


class StoreItemEditForm(forms.Form):
    """Changing a store item: stock is added or removed, never set, so that items redeemed
    while the form was open are not written back."""

    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    price = forms.IntegerField(label=_("Price (points)"), min_value=1)
    stock_change = forms.IntegerField(
        label=_("Add to stock (negative to remove)"),
        min_value=-100000,
        max_value=100000,
        required=False,
        initial=0,
    )
    per_person_limit = forms.IntegerField(
        label=_("Most one person may redeem"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    active = forms.BooleanField(label=_("On offer"), required=False)

    def __init__(self, *args: Any, in_stock: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stock_change"].help_text = _("Now in stock: %(n)s.") % {"n": in_stock}

    def clean_stock_change(self) -> int:
        return self.cleaned_data.get("stock_change") or 0


class RedeemForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10, initial=1)


class CounterForm(forms.Form):
    code = forms.CharField(
        label=_("Pickup code"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
