"""Page forms of surveys: the designer, and the questionnaire built from a survey's
questions (answered online or entered from paper)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.core.forms import DateInput
from linli.registry.choices import Tag
from linli.surveys.choices import AgeBand, QuestionKind, SurveyKind, Unit
from linli.surveys.models import Question

EXAMPLE = (
    "[rating10*:gain] 过去三个月，您在社区生活中的获得感如何？（0–10）\n"
    "[single*] 您是否独居？ | 是 | 否\n"
    "[multiple] 您需要哪些上门服务？ | 助餐 | 助浴 | 助医 ?if q2=是\n"
    "[text] 您还有什么建议？"
)


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (SurveyKind.GENERAL, SurveyKind.GENERAL.label),
            (SurveyKind.WELLBEING, SurveyKind.WELLBEING.label),
        ],
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput())
    unit = forms.ChoiceField(label=_("Who answers"), choices=Unit.choices)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    grid = forms.TypedChoiceField(
        label=_("Only grid"), coerce=int, required=False, empty_value=None
    )
    tag = forms.ChoiceField(
        label=_("Only residents tagged"), required=False, choices=[("", "—"), *Tag.choices]
    )
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": EXAMPLE}),
        help_text=_(
            "One question per line: [single], [multiple], [rating5], [rating10] or [text]; "
            "* = required; :gain / :happiness / :security / :satisfaction for what a rating "
            "measures; choices after |; ?if q2=是 shows a question only after that answer."
        ),
    )

    def __init__(
        self, *args: Any, grids: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        grid = self.fields["grid"]
        assert isinstance(grid, forms.TypedChoiceField)
        grid.choices = [("", _("The whole community")), *(grids or [])]


def _field(q: Question) -> forms.Field:
    label = q.text
    if q.kind == QuestionKind.RATING5:
        return forms.ChoiceField(
            label=label,
            required=False,
            widget=forms.RadioSelect,
            choices=[(str(i), str(i)) for i in range(1, 6)],
        )
    if q.kind == QuestionKind.RATING10:
        return forms.ChoiceField(
            label=label,
            required=False,
            widget=forms.RadioSelect,
            choices=[(str(i), str(i)) for i in range(0, 11)],
        )
    if q.kind == QuestionKind.SINGLE:
        return forms.ChoiceField(
            label=label,
            required=False,
            widget=forms.RadioSelect,
            choices=[(c, c) for c in q.choices],
        )
    if q.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(c, c) for c in q.choices],
        )
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    """One field per question, named by its key; whether an answer is required depends on the
    skip logic, so the service checks it (its error lands on the question's field)."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[q.key] = _field(q)

    def answers(self) -> dict[str, Any]:
        return {q.key: self.cleaned_data.get(q.key) for q in self.questions}

    def rows(self) -> list[tuple[Question, forms.BoundField]]:
        return [(q, self[q.key]) for q in self.questions]


class PaperForm(AnswerForm):
    """A paper questionnaire: for a named survey the respondent (name or room, e.g.
    3-1-201); for an anonymous one only the grid and age band written on the sheet."""

    def __init__(
        self,
        *args: Any,
        questions: list[Question],
        anonymous: bool,
        grids: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, questions=questions, **kwargs)
        if anonymous:
            self.fields["grid"] = forms.TypedChoiceField(
                label=_("Grid (from the sheet)"),
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "—"), *grids],
            )
            self.fields["age_band"] = forms.ChoiceField(
                label=_("Age band (from the sheet)"), required=False, choices=AgeBand.choices
            )
        else:
            self.fields["resident"] = forms.CharField(
                label=_("Respondent (name or room, e.g. 3-1-201)"), max_length=50
            )
