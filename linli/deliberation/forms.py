"""Page forms of deliberation (every page input is a real form; services validate rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core.forms import DateInput
from linli.deliberation.choices import (
    BaseRule,
    Channel,
    Choice,
    MeetingKind,
    ObjectionReason,
    StageTransition,
    StepOutcome,
)


class BallotForm(forms.Form):
    owner_key = forms.CharField(label=_("Owner"), max_length=64)
    choice = forms.ChoiceField(label=_("Choice"), choices=Choice.choices)
    channel = forms.ChoiceField(
        label=_("Signed"),
        choices=[(Channel.PAPER, Channel.PAPER.label), (Channel.PROXY, Channel.PROXY.label)],
        initial=Channel.PAPER,
    )
    proxy_name = forms.CharField(label=_("Proxy"), max_length=60, required=False)
    authorisation_ref = forms.CharField(
        label=_("Written authorisation"), max_length=100, required=False
    )
    signature_ref = forms.CharField(label=_("Signature record"), max_length=100, required=False)
    change = forms.BooleanField(label=_("Change the ballot"), required=False)


class MyBallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("My choice"),
        choices=[(c.value, c.label) for c in (Choice.AGREE, Choice.OBJECT, Choice.ABSTAIN)],
        widget=forms.RadioSelect,
    )
    change = forms.BooleanField(label=_("Change my ballot"), required=False)


class WhatIfForm(forms.Form):
    objecting = forms.CharField(
        label=_("Owners who might object (keys, separated by spaces)"),
        max_length=2000,
        required=False,
    )


class StageForm(forms.Form):
    transition = forms.ChoiceField(label=_("Action"), choices=StageTransition.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    documents = forms.CharField(label=_("Documents"), max_length=300, required=False)


class StuckForm(forms.Form):
    reason = forms.CharField(label=_("Why it is stuck"), max_length=300)


class FundsForm(forms.Form):
    household = forms.IntegerField(label=_("Household"), min_value=1)
    pledged_yuan = forms.DecimalField(
        label=_("Pledged (yuan)"), min_value=0, decimal_places=2, max_digits=12, required=False
    )
    collected_yuan = forms.DecimalField(
        label=_("Collected (yuan)"), min_value=0, decimal_places=2, max_digits=12, required=False
    )


class ProjectObjectionForm(forms.Form):
    household = forms.IntegerField(label=_("Household"), min_value=1)
    reason = forms.ChoiceField(label=_("Reason"), choices=ObjectionReason.choices)
    detail = forms.CharField(label=_("Detail"), max_length=1000, required=False)


class SettleForm(forms.Form):
    objection = forms.UUIDField(label=_("Objection"))
    settlement = forms.CharField(label=pgettext_lazy("deliberation", "Settlement"), max_length=1000)
    compensation_yuan = forms.DecimalField(
        label=_("Compensation (yuan)"), min_value=0, decimal_places=2, max_digits=12, required=False
    )
    agreement_ref = forms.CharField(
        label=_("Compensation agreement"), max_length=100, required=False
    )
    withdrawn = forms.BooleanField(label=_("Withdrawn by the owner"), required=False)


class ObjectionForm(forms.Form):
    objector = forms.CharField(label=_("Objector"), max_length=60)
    about = forms.CharField(
        label=_("About"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class MyObjectionForm(forms.Form):
    about = forms.CharField(
        label=_("My objection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ReplyForm(forms.Form):
    objection = forms.UUIDField(label=_("Objection"))
    reply = forms.CharField(
        label=_("Reply"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class EmptyForm(forms.Form):
    pass


class StepForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=StepOutcome.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)
    documents = forms.CharField(label=_("Documents"), max_length=300, required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=pgettext_lazy("deliberation", "Minutes"), widget=forms.Textarea(attrs={"rows": 4})
    )
    attendees = forms.IntegerField(label=_("Signed in (paper count)"), min_value=0, required=False)


class SignInForm(forms.Form):
    household = forms.IntegerField(label=_("Household"), min_value=1)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=1000)
    votes_for = forms.IntegerField(label=pgettext_lazy("deliberation", "For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstaining"), min_value=0, required=False)


PLACE_HELP = _("Empty: the whole community; 12: building 12; 12-2: its unit (staircase) 2.")
RULE_SETS = [
    ("art278-major", _("Civil Code art. 278, major matter")),
    ("art278-ordinary", _("Civil Code art. 278, ordinary matter")),
    ("yangzhou-elevator", _("Yangzhou elevator pilot (staircase unanimity)")),
]


class NewMatterForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Where"), max_length=20, required=False, help_text=PLACE_HELP)
    base_rule = forms.ChoiceField(label=_("Kind of matter"), choices=BaseRule.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class NewVoteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Where"), max_length=20, required=False, help_text=PLACE_HELP)
    rule_set_code = forms.ChoiceField(label=_("Rule set"), choices=RULE_SETS)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())


class NewProjectForm(forms.Form):
    place = forms.CharField(
        label=_("Staircase (building-unit)"), max_length=20, help_text=PLACE_HELP
    )
    total_cost_yuan = forms.DecimalField(
        label=_("Total cost (yuan)"), min_value=0, decimal_places=2, max_digits=12
    )
    maintenance_yuan = forms.DecimalField(
        label=_("Maintenance per year (yuan)"),
        min_value=0,
        decimal_places=2,
        max_digits=12,
        required=False,
    )
    electricity_yuan = forms.DecimalField(
        label=_("Electricity per year (yuan)"),
        min_value=0,
        decimal_places=2,
        max_digits=12,
        required=False,
    )


class NewNoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Where"), max_length=20, required=False, help_text=PLACE_HELP)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    on_board = forms.BooleanField(label=_("Posted on the board"), required=False, initial=True)
    on_portal = forms.BooleanField(label=_("Posted in the portal"), required=False, initial=True)


class NewMeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    place = forms.CharField(
        label=pgettext_lazy("deliberation place", "For"),
        max_length=20,
        required=False,
        help_text=PLACE_HELP,
    )
    starts_on = forms.DateField(label=_("Date"), widget=DateInput())
    starts_time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place_name = forms.CharField(label=_("Place"), max_length=100)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}))
    invited = forms.IntegerField(label=_("Households invited"), min_value=1)
