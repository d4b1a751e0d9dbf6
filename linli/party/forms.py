"""Page forms of the Party organisation. They only parse input; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.dates import local_today
from linli.core.forms import DateInput
from linli.party.choices import ActivityKind, OfficeRole, OrgKind, Standing, Theme


class MemberForm(forms.Form):
    """A new member: a resident found by room code and name, or someone who does not live
    here (name and a note)."""

    room = forms.CharField(
        label=_("Room code"),
        max_length=30,
        required=False,
        help_text=_("Building-unit-room, e.g. 12-2-301; leave empty for a non-resident"),
    )
    name = forms.CharField(label=_("Name"), max_length=50)
    non_resident_note = forms.CharField(
        label=_("Note (non-resident only)"), max_length=200, required=False
    )
    joined_on = forms.DateField(label=_("Joined the Party on"), widget=DateInput)
    standing = forms.ChoiceField(label=_("Standing"), choices=Standing.choices)


class TransferOutForm(forms.Form):
    external = forms.CharField(label=_("Transferred to (organisation)"), max_length=200)
    on = forms.DateField(label=_("Date"), widget=DateInput, initial=local_today)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TransferInForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    external = forms.CharField(label=_("Transferred from (organisation)"), max_length=200)
    on = forms.DateField(label=_("Date"), widget=DateInput, initial=local_today)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: object, organisations: list[tuple[int, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Move to"), coerce=int)
    on = forms.DateField(label=_("Date"), widget=DateInput, initial=local_today)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: object, organisations: list[tuple[int, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]


class LinkByRoomForm(forms.Form):
    room = forms.CharField(
        label=_("Room code"), max_length=30, help_text=_("Building-unit-room, e.g. 12-2-301")
    )


class LinkForm(forms.Form):
    """A link or unlink button: the household or member (`target`), or for a household its
    room code."""

    target = forms.UUIDField(required=False)
    room = forms.CharField(label=_("Room code"), max_length=30, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.errors and not data.get("target") and not data.get("room"):
            raise forms.ValidationError(_("Give the room code."), code="required")
        return data


class ConfirmForm(forms.Form):
    """A button that needs no input (confirming a probationary member)."""


class OrganisationForm(forms.Form):
    """A new organisation of the tree. Which fields count depends on the kind: a grid branch
    names its grid, a building group its building (under its grid's branch), a themed branch
    its theme."""

    kind = forms.ChoiceField(label=_("Kind"), choices=OrgKind.choices)
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    parent = forms.TypedChoiceField(
        label=_("Parent organisation"), coerce=int, required=False, empty_value=None
    )
    grid = forms.TypedChoiceField(
        label=_("Grid (grid branch)"), coerce=int, required=False, empty_value=None
    )
    building = forms.TypedChoiceField(
        label=_("Building (building group)"), coerce=int, required=False, empty_value=None
    )
    theme = forms.ChoiceField(
        label=_("Theme (themed branch)"), choices=[("", "—"), *Theme.choices], required=False
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(
        self,
        *args: object,
        parents: list[tuple[int, str]],
        grids: list[tuple[int, str]],
        buildings: list[tuple[int, str]],
        **kwargs: object,
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["parent"].choices = [("", "—"), *parents]  # type: ignore[attr-defined]
        self.fields["grid"].choices = [("", "—"), *grids]  # type: ignore[attr-defined]
        self.fields["building"].choices = [("", "—"), *buildings]  # type: ignore[attr-defined]


class OfficeForm(forms.Form):
    member = forms.ChoiceField(label=_("Member"))
    role = forms.ChoiceField(label=_("Office"), choices=OfficeRole.choices)
    started_on = forms.DateField(label=_("From"), widget=DateInput, initial=local_today)
    is_action_secretary = forms.BooleanField(
        label=_("Action branch secretary (secretaries only)"), required=False
    )

    def __init__(self, *args: object, members: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["member"].choices = members  # type: ignore[attr-defined]


class OfficeEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Until"), widget=DateInput, initial=local_today)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput, initial=local_today)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    present = forms.MultipleChoiceField(
        label=_("Present"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: object, members: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["present"].choices = members  # type: ignore[attr-defined]


class CardBatchForm(forms.Form):
    """Which cards to print: a grid, a building, or the whole community."""

    grid = forms.TypedChoiceField(label=_("Grid"), coerce=int, required=False, empty_value=None)
    building = forms.TypedChoiceField(
        label=_("Building"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: object,
        grids: list[tuple[int, str]],
        buildings: list[tuple[int, str]],
        **kwargs: object,
    ):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["grid"].choices = [("", _("All grids")), *grids]  # type: ignore[attr-defined]
        self.fields["building"].choices = [("", _("All buildings")), *buildings]  # type: ignore[attr-defined]
