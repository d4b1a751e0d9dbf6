"""Domain errors: a stable code and a message a community worker understands.

Services raise these; one handler maps them to HTTP for the API (`linli.core.api`) and
`linli.core.forms.submit` turns them into form errors on pages. Bad input never becomes a 500.

Error codes are part of the API contract. Every code is a member of a `TextChoices` subclass of
`ErrorCodes`: the generic ones below (`CoreError`), and each domain's own in its `errors.py`
(`class HotlineError(ErrorCodes)`). One code per meaning; `manage.py error_codes` writes the
table that `docs/api-errors.md` publishes for API clients (a test keeps the two in step).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ErrorCodes(models.TextChoices):
    """Base of every app's error codes (an enum without members can be subclassed)."""


class CoreError(ErrorCodes):
    """Codes any domain may use; prefer these to a domain-specific synonym."""

    INVALID = "invalid", _("The input breaks a business rule (see the message).")
    INVALID_INPUT = "invalid_input", _("The request body or parameters do not match the schema.")
    REQUIRED = "required", _("A required value is missing.")
    TOO_LONG = "too_long", _("A text is longer than allowed.")
    INVALID_CHOICE = "invalid_choice", _("A value is not one of the allowed choices.")
    INVALID_NUMBER = "invalid_number", _("A number is out of range or not a number.")
    INVALID_DATE = (
        "invalid_date",
        _("A date or time is malformed, out of range or in the wrong order."),
    )
    INVALID_PHONE = "invalid_phone", _("A phone number is not valid.")
    INVALID_FILE = "invalid_file", _("An uploaded file is of the wrong type or too large.")
    INVALID_TRANSITION = (
        "invalid_transition",
        _("The object's state does not allow this action now."),
    )
    NOT_FOUND = "not_found", _("The object does not exist or lies outside your scope.")
    FORBIDDEN = "forbidden", _("You may see the object but not do this to it.")
    CONFLICT = "conflict", _("Someone else changed the object first; reload and retry.")
    UNAUTHENTICATED = "unauthenticated", _("Sign in first.")
    RATE_LIMITED = "rate_limited", _("Too many attempts; wait and try again.")
    PAYLOAD_TOO_LARGE = "payload_too_large", _("The request body is too large.")


class DomainError(Exception):
    """A business rule refused the operation. `code` is stable for API clients."""

    code: str = CoreError.INVALID
    status = 400

    def __init__(
        self,
        message: str,
        *,
        # TODO(issue 9): narrow to `ErrorCodes | None` once every app has its errors.py.
        code: ErrorCodes | str | None = None,
        field: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = str(code)
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.details is not None:
            data["details"] = self.details
        return data


class NotFound(DomainError):
    """The object does not exist or lies outside the actor's scope (never say which)."""

    code = CoreError.NOT_FOUND
    status = 404


class PermissionDenied(DomainError):
    """The actor may see the object but not do this to it."""

    code = CoreError.FORBIDDEN
    status = 403


class Conflict(DomainError):
    """Someone else changed the object first (contention settled by the database)."""

    code = CoreError.CONFLICT
    status = 409


def all_error_codes() -> list[tuple[str, str, str]]:
    """(code, owner, meaning) for every declared code, for docs/api-errors.md."""
    rows: list[tuple[str, str, str]] = []
    for cls in ErrorCodes.__subclasses__():
        for member in cls:
            rows.append((member.value, cls.__name__, str(member.label)))
    return rows
