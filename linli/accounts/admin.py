from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from linli.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["household"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "is_staff", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Linli", {"fields": ["display_name", "work_phone"]}),
    )
    inlines = [RoleAssignmentInline]
