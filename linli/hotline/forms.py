"""The request desk's page forms. Each is a real Form run through `linli.core.forms.submit`:
the form checks the shape of the input (required, numbers, choices), the service the rules,
and a service's domain error lands on the field it names.

A request's actions are one table, `REQUEST_ACTIONS`: action name → its form, the service it
runs and the permissions that may use it at all. The cleaned data of each form are exactly
the service's keyword arguments besides `actor` and `public_id`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from linli.core.escalation import CONTACT_LEVEL_CHOICES
from linli.hotline import services
from linli.hotline.choices import MAX_DESCRIPTION, Priority, QuestionKind, Status
from linli.hotline.models import Category, ServiceRequest
from linli.hotline.permissions import FILE, MANAGE, WORK

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (photos); their content is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


def _text(
    max_length: int, *, required: bool = False, message: StrOrPromise | None = None
) -> forms.CharField:
    errors = {"required": message} if message else None
    return forms.CharField(max_length=max_length, required=required, error_messages=errors)


YES_NO = (("yes", _("Yes")), ("no", _("No")))


def _yes(value: str) -> bool:
    return value == "yes"


# --- a request's actions --------------------------------------------------------------------


class NoteForm(forms.Form):
    note = _text(2000)


class ResolveForm(forms.Form):
    note = _text(4000, required=True, message=_("Say what was done."))
    photos = MultipleFileField()


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        error_messages={
            "required": _("Give 1 to 5 stars."),
            "invalid_choice": _("Give 1 to 5 stars."),
        },
    )
    solved = forms.TypedChoiceField(
        choices=YES_NO,
        coerce=_yes,
        error_messages={
            "required": _("Say whether the problem is solved."),
            "invalid_choice": _("Say whether the problem is solved."),
        },
    )
    comment = _text(1000)


class RateFromCallForm(RateForm):
    call_note = _text(
        200, required=True, message=_("Note the call: when you phoned and whom you spoke to.")
    )


class ReasonForm(forms.Form):
    reason = _text(1000, required=True, message=_("Give a reason."))


class MergeForm(forms.Form):
    into_public_id = forms.UUIDField(
        error_messages={
            "required": _("Choose the request to merge into."),
            "invalid": _("Choose the request to merge into."),
        }
    )


class ReassignForm(forms.Form):
    user_id = forms.IntegerField(
        min_value=1, error_messages={"required": _("Choose who takes it over.")}
    )
    reason = _text(200, required=True, message=_("Give a reason for the reassignment."))


class UpdateForm(forms.Form):
    text = _text(4000, required=True, message=_("Write something."))
    public = forms.BooleanField(required=False)


def _rated(req: ServiceRequest) -> str:
    if req.status == Status.CLOSED:
        return str(_("Thank you for your verdict."))
    return str(_("We are sorry. The request is open again and has been escalated."))


@dataclass(frozen=True)
class RequestAction:
    """One button on a request's page: its form, the service it runs (called with `actor`,
    `public_id` and the form's cleaned data), who may use it at all (anyone else gets a 404)
    and what the page says when it is done."""

    form: type[forms.Form]
    service: Callable[..., Any]
    perms: tuple[str, ...]
    done: Callable[[Any], str]


def _says(message: Any) -> Callable[[Any], str]:
    return lambda _result: str(message)


REQUEST_ACTIONS: Mapping[str, RequestAction] = {
    "accept": RequestAction(
        NoteForm, services.request_accept, (WORK,), _says(_("Accepted. Contact the resident now."))
    ),
    "check_in": RequestAction(
        NoteForm, services.request_check_in, (WORK,), _says(_("Checked in at the door."))
    ),
    "resolve": RequestAction(
        ResolveForm,
        services.request_resolve,
        (WORK,),
        _says(_("Resolved. The resident will be asked for his verdict.")),
    ),
    "rate": RequestAction(RateForm, services.request_rate, (FILE, WORK), _rated),
    "rate_call": RequestAction(
        RateFromCallForm,
        services.request_rate_from_call,
        (WORK,),
        _says(_("The resident's verdict is recorded.")),
    ),
    "reopen": RequestAction(
        ReasonForm, services.request_reopen, (FILE, WORK), _says(_("The request is open again."))
    ),
    "close": RequestAction(NoteForm, services.request_close, (WORK,), _says(_("Closed."))),
    "cancel": RequestAction(
        ReasonForm, services.request_cancel, (FILE, WORK), _says(_("Cancelled."))
    ),
    "merge": RequestAction(
        MergeForm, services.request_merge, (WORK,), _says(_("Merged as a duplicate."))
    ),
    "reassign": RequestAction(
        ReassignForm, services.request_reassign, (MANAGE,), _says(_("Reassigned."))
    ),
    "note": RequestAction(UpdateForm, services.request_note, (WORK,), _says(_("Added."))),
}


def first_error(form: forms.Form) -> str:
    """The first message of an invalid form, for a page that shows one message."""
    for messages in form.errors.values():
        if messages:
            return str(messages[0])
    return ""


def error_map(form: forms.Form) -> dict[str, str]:
    """Field name → its first message ("general" for the whole form), for the templates."""
    return {
        ("general" if name == NON_FIELD_ERRORS else name): str(messages[0])
        for name, messages in form.errors.items()
        if messages
    }


# --- filing ---------------------------------------------------------------------------------


def answers_from(data: Any, category: Category) -> dict[str, Any]:
    """The answers to the chosen category's questions (fields `q-<code>-<key>`)."""
    answers: dict[str, Any] = {}
    for question in category.questions:
        name = f"q-{category.code}-{question['key']}"
        if question["kind"] == QuestionKind.MULTIPLE:
            answers[question["key"]] = data.getlist(name)
        else:
            answers[question["key"]] = data.get(name, "")
    return answers


class FilingForm(forms.Form):
    """What every page that files a request asks: the category (from the community's
    catalogue), its extra questions (`answers`, typed by the service), the description and
    photos."""

    category = forms.ChoiceField(
        error_messages={
            "required": _("Choose what the problem is about."),
            "invalid_choice": _("Choose what the problem is about."),
        }
    )
    description = _text(MAX_DESCRIPTION, required=True, message=_("Describe the problem."))
    photos = MultipleFileField()

    def __init__(self, *args: Any, catalogue: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = {c.code: c for c in catalogue}
        category = cast(forms.ChoiceField, self.fields["category"])
        category.choices = [(c.code, c.name) for c in catalogue]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category = self.catalogue.get(data.get("category", ""))
        data["answers"] = answers_from(self.data, category) if category else {}
        return data


class PortalFilingForm(FilingForm):
    """The resident files for his household; he alone may let the public read his words."""

    description_public = forms.BooleanField(required=False)


class PhoneFilingForm(FilingForm):
    """Staff take a call: who called, from which phone, and where exactly."""

    reporter_name = _text(50)
    reporter_phone = _text(20)
    location_text = _text(200)


# --- settings -------------------------------------------------------------------------------


def _minutes(required: bool = False) -> Any:
    return forms.IntegerField(
        required=required,
        min_value=1,
        max_value=60 * 24 * 365,
        error_messages={"required": _("Give the time limit in minutes.")},
    )


class CategoryForm(forms.Form):
    name = _text(50, required=True, message=_("A category needs a name."))
    description = _text(200)
    priority = forms.ChoiceField(choices=Priority.choices)
    contact_minutes = _minutes()
    visit_minutes = _minutes()
    resolve_minutes = _minutes(required=True)
    questions = forms.CharField(required=False, widget=forms.Textarea)
    active = forms.BooleanField(required=False)

    def clean_questions(self) -> list[dict[str, Any]]:
        try:
            questions = json.loads(self.cleaned_data.get("questions") or "[]")
        except ValueError:
            raise forms.ValidationError(_("The questions are not valid JSON.")) from None
        if not isinstance(questions, list):
            raise forms.ValidationError(_("The questions must be a list."))
        return questions

    def category_input(self) -> services.CategoryInput:
        data = self.cleaned_data
        return services.CategoryInput(
            name=data["name"],
            priority=data["priority"],
            contact_minutes=data["contact_minutes"],
            visit_minutes=data["visit_minutes"],
            resolve_minutes=data["resolve_minutes"],
            questions=data["questions"],
            active=data["active"],
            description=data["description"],
        )


class CommunityForm(forms.Form):
    """A settings form's community (its scope is checked by the view: outside is a 404)."""

    community = forms.IntegerField(min_value=1)


class RosterForm(CommunityForm):
    grid = forms.IntegerField(required=False, min_value=1)
    user = forms.IntegerField(min_value=1, error_messages={"required": _("Choose who.")})
    weekday = forms.TypedChoiceField(
        choices=[("", "")] + [(str(n), str(n)) for n in range(7)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    is_fallback = forms.BooleanField(required=False)


class ContactForm(CommunityForm):
    grid = forms.IntegerField(required=False, min_value=1)
    level = forms.ChoiceField(choices=CONTACT_LEVEL_CHOICES)
    name = _text(100, required=True, message=_("Enter a name."))
    phone = _text(30)
    user = forms.IntegerField(required=False, min_value=1)
