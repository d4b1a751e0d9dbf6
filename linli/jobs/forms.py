"""Page forms of the doorstep jobs. They parse input only; the services decide (a piece rate is
read as text so that the service refuses more than 4 decimals instead of rounding)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core import dates
from linli.core.forms import DateInput
from linli.jobs.choices import PayMethod

DATE = DateInput()


class FirmForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    product_line = forms.CharField(label=_("Products"), max_length=200, required=False)
    contact = forms.CharField(label=_("Contact person"), max_length=50, required=False)


class OrderForm(forms.Form):
    firm_id = forms.TypedChoiceField(label=_("Firm"), coerce=int)
    product = forms.CharField(label=_("Product"), max_length=100)
    quantity = forms.IntegerField(label=_("Quantity"))
    rate = forms.CharField(
        label=_("Piece rate (yuan)"), max_length=20, help_text=_("At most 4 decimals, e.g. 0.3500")
    )
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    quality_standard = forms.CharField(
        label=_("Quality standard"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    materials_issued = forms.CharField(label=_("Materials issued"), max_length=200, required=False)

    def __init__(self, *args: Any, firms: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["firm_id"].choices = firms  # type: ignore[attr-defined]


class TeamForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=50)
    leader_public_id = forms.ChoiceField(label=_("Team lead (Party member)"))

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader_public_id"].choices = members  # type: ignore[attr-defined]


class WorkerForm(forms.Form):
    resident_public_id = forms.ChoiceField(label=_("Resident"))
    team_id = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)

    def __init__(
        self,
        *args: Any,
        residents: list[tuple[str, str]],
        teams: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident_public_id"].choices = residents  # type: ignore[attr-defined]
        self.fields["team_id"].choices = [("", "—"), *teams]  # type: ignore[attr-defined]


class DispatchForm(forms.Form):
    worker_public_id = forms.ChoiceField(label=_("Worker"))
    quantity = forms.IntegerField(label=_("Pieces"))

    def __init__(self, *args: Any, workers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker_public_id"].choices = workers  # type: ignore[attr-defined]


class ReturnForm(forms.Form):
    accepted = forms.IntegerField(label=_("Accepted"), initial=0)
    rejected = forms.IntegerField(label=_("Rejected"), initial=0)
    rework = forms.IntegerField(label=_("Back for rework"), initial=0)
    defect_reason = forms.CharField(label=_("Defect reason"), max_length=200, required=False)


class CorrectionForm(forms.Form):
    order_id = forms.TypedChoiceField(label=_("Order"), coerce=int)
    pieces = forms.IntegerField(label=_("Pieces (negative to take back)"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, orders: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order_id"].choices = orders  # type: ignore[attr-defined]


class IssueForm(forms.Form):
    """Issue the statements of the month shown (a button)."""


class PayForm(forms.Form):
    method = forms.ChoiceField(label=_("Paid how"), choices=PayMethod.choices)
    reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, initial=dates.local_today)
