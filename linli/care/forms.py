"""Page forms of elderly care (each runs one service through `core.forms.submit`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.care.choices import ArrangementKind, AssessmentReason, DischargeReason
from linli.care.models import AssessmentItem, Provider, Service
from linli.core.forms import DateInput


class AssessmentForm(forms.Form):
    """The 26 items of GB/T 42195-2022 (built from the stored items) and the adjustment facts.
    Items are not `required` here: the service refuses a missing answer naming the item."""

    reason = forms.ChoiceField(label=_("Reason"), choices=AssessmentReason.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, items: list[AssessmentItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.code] = forms.TypedChoiceField(
                label=f"{item.number}. {item.name}",
                choices=[("", "—")]
                + [(o["points"], f"{o['points']} · {o['label']}") for o in item.options],
                coerce=int,
                required=False,
            )
        self.fields["dementia"] = forms.BooleanField(
            label=_("Diagnosed dementia or another mental disorder"), required=False
        )
        self.fields["risk_events"] = forms.IntegerField(
            label=_("Care-risk events in the last 30 days (falls, choking, wandering…)"),
            min_value=0,
            max_value=99,
            initial=0,
        )
        self.fields["notes"] = forms.CharField(
            label=_("Notes"),
            widget=forms.Textarea(attrs={"rows": 2}),
            required=False,
            max_length=2000,
        )

    def answers(self) -> dict[str, Any]:
        return {i.code: self.cleaned_data.get(i.code) for i in self.items}

    def dimensions(self) -> list[tuple[str, list[forms.BoundField]]]:
        groups: dict[str, list[forms.BoundField]] = {}
        for item in self.items:
            groups.setdefault(item.dimension_name, []).append(self[item.code])
        return list(groups.items())


class PlanForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), required=False)

    ROWS = 8

    def __init__(self, *args: Any, providers: Any, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        choices = [("", "—")] + [(s.pk, f"{s.category.name} · {s.name}") for s in services]
        for i in range(self.ROWS):
            self.fields[f"service_{i}"] = forms.TypedChoiceField(
                label=_("Service"), choices=choices, coerce=int, required=False
            )
            self.fields[f"per_week_{i}"] = forms.TypedChoiceField(
                label=_("Times a week"),
                choices=[(n, n) for n in range(1, 8)],
                coerce=int,
                initial=1,
            )
            self.fields[f"hour_{i}"] = forms.TypedChoiceField(
                label=_("At"), choices=[(h, f"{h}:00") for h in range(6, 21)], coerce=int, initial=9
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"service_{i}"], self[f"per_week_{i}"], self[f"hour_{i}"])
            for i in range(self.ROWS)
        ]

    def lines(self) -> list[tuple[int, int, int]]:
        d = self.cleaned_data
        return [
            (d[f"service_{i}"], d[f"per_week_{i}"], d[f"hour_{i}"])
            for i in range(self.ROWS)
            if d.get(f"service_{i}")
        ]


class ElderForm(forms.Form):
    emergency_name = forms.CharField(label=_("Emergency contact"), max_length=50, required=False)
    emergency_phone = forms.CharField(
        label=_("Emergency contact's phone"), max_length=20, required=False
    )
    health_notes = forms.CharField(
        label=_("Health notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ArrangementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Arrangement"), choices=ArrangementKind.choices)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    started_on = forms.DateField(label=_("From"), widget=DateInput())


class CheckInForm(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=100, required=False)


class CheckOutForm(forms.Form):
    notes = forms.CharField(
        label=_("Care notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class CallBackForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("The elder confirms the visit took place"), required=False
    )
    answer = forms.CharField(label=_("What the elder said"), max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the visit?"),
        choices=[(5, "★★★★★"), (4, "★★★★"), (3, "★★★"), (2, "★★"), (1, "★")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)


class VisitLogForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    met = forms.CharField(label=_("Who was met"), max_length=100, required=False)
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    file_request = forms.BooleanField(
        label=_("File a Community 110 request for the finding"), required=False
    )
    category_code = forms.ChoiceField(
        label=_("Request category"), choices=[("", "—")], required=False
    )

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category_code"].choices = [("", "—"), *categories]  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    elder = forms.CharField(label=_("Elder (register id)"), max_length=40)
    meals = forms.TypedChoiceField(
        label=_("Meals"), choices=[(n, n) for n in range(0, 4)], coerce=int, initial=1
    )


class AdmitForm(forms.Form):
    bed = forms.IntegerField(label=_("Bed"), min_value=1)
    elder = forms.CharField(label=_("Elder (register id)"), max_length=40)


class DischargeForm(forms.Form):
    admission = forms.CharField(label=_("Admission"), max_length=40)
    reason = forms.ChoiceField(label=_("Reason"), choices=DischargeReason.choices)


class WaitForm(forms.Form):
    elder = forms.CharField(label=_("Elder (register id)"), max_length=40)
