"""The request desk in the Django admin: categories, the duty roster and escalation contacts
are editable; requests are read-only here so that every change goes through the services
(state machine, audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from linli.core.admin import TokenAdmin
from linli.hotline.models import (
    Category,
    DutyAssignment,
    GridEscalationContact,
    RequestEvent,
    ServiceRequest,
)
from linli.hotline.routing import ROSTER
from linli.hotline.selectors import CATEGORIES


@admin.register(Category)
class CategoryAdmin(TokenAdmin[Category]):
    memo_tokens = (CATEGORIES,)
    list_display = (
        "name",
        "code",
        "community",
        "priority",
        "contact_minutes",
        "visit_minutes",
        "resolve_minutes",
        "active",
    )
    list_filter = ("community", "priority", "active")
    search_fields = ("name", "code")


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(TokenAdmin[DutyAssignment]):
    memo_tokens = (ROSTER,)
    list_display = ("community", "grid", "user", "weekday", "is_fallback")
    list_filter = ("community", "is_fallback")
    raw_id_fields = ("user",)


@admin.register(GridEscalationContact)
class GridEscalationContactAdmin(admin.ModelAdmin[GridEscalationContact]):
    list_display = ("community", "grid", "level", "name", "phone", "user")
    list_filter = ("community", "level")
    raw_id_fields = ("user",)


class RequestEventInline(admin.TabularInline[RequestEvent, ServiceRequest]):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "public", "actor_label", "text")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin[ServiceRequest]):
    list_display = ("number", "community", "grid", "category", "channel", "status", "submitted_at")
    list_filter = ("community", "status", "channel", "priority")
    date_hierarchy = "submitted_at"
    exclude = ("reporter_phone_encrypted", "reporter_phone_hash")
    inlines = [RequestEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
