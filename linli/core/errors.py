"""Domain errors: a stable code and a message a community worker understands.

Services raise these; one handler maps them to HTTP for the API (`linli.core.api`) and views
turn them into form errors. Bad input never becomes a 500.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule refused the operation. `code` is stable for API clients."""

    code = "invalid"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
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

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    """The actor may see the object but not do this to it."""

    code = "forbidden"
    status = 403


class Conflict(DomainError):
    """Someone else changed the object first (contention settled by the database)."""

    code = "conflict"
    status = 409
