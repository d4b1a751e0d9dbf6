from typing import Any, TypeVar

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from linli.core.memo import Token
from linli.core.models import AuditEvent

M = TypeVar("M", bound=Model)


class TokenAdmin(admin.ModelAdmin[M]):
    """An admin whose saves and deletions change `memo_tokens`: every app server reads the
    rows again instead of remembering the old ones (linli.core.memo)."""

    memo_tokens: tuple[Token, ...] = ()

    def _changed(self) -> None:
        for token in self.memo_tokens:
            token.changed()

    def save_model(self, request: HttpRequest, obj: M, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._changed()

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        super().delete_model(request, obj)
        self._changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        super().delete_queryset(request, queryset)
        self._changed()


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """The audit trail is append-only, in the admin as everywhere."""

    list_display = ["at", "actor_label", "action", "object_type", "object_label", "field"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label", "object_id"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
