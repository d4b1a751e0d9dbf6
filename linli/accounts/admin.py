"""The admin for users and their roles. Every role change made here (the inline on a user,
the role list, deleting a user) goes through `accounts.services`, which audits it (`ROLE`) in
the admin's own transaction: no save or delete of a `RoleAssignment` bypasses the audit."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from linli.accounts import services, signin_cache
from linli.accounts.models import RoleAssignment, User
from linli.core.web import actor_of


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["household"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "display_name", "is_staff", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Linli", {"fields": ["display_name", "work_phone"]}),
    )
    inlines = [RoleAssignmentInline]

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Any],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        actor = actor_of(request)
        assignments = formset.save(commit=False)
        for gone in formset.deleted_objects:
            services.role_assignment_delete(actor=actor, assignment=gone)
        for assignment in assignments:
            services.role_assignment_save(actor=actor, assignment=assignment)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        # Every change the admin saves (the user's fields, "active", a new password) ends with
        # this: the app servers read the user again (linli.accounts.signin_cache).
        signin_cache.changed()
        return super().log_change(request, obj, message)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        services.user_roles_delete(actor=actor_of(request), user=obj)
        super().delete_model(request, obj)
        signin_cache.changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.user_roles_delete(actor=actor_of(request), user=user)
        super().delete_queryset(request, queryset)
        signin_cache.changed()


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin[RoleAssignment]):
    list_display = ["user", "role", "community", "grid", "household", "subdistrict", "title"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__display_name", "title"]
    raw_id_fields = ["user", "household"]

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: ModelForm[Any], change: bool
    ) -> None:
        services.role_assignment_save(actor=actor_of(request), assignment=obj)

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        services.role_assignment_delete(actor=actor_of(request), assignment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for obj in queryset.select_related("user"):
            services.role_assignment_delete(actor=actor_of(request), assignment=obj)
