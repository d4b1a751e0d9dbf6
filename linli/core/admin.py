from django.contrib import admin

from linli.core.models import AuditEvent


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
