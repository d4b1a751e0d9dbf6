"""Back-office admin. Organisations, teams, store items and the points policy are editable;
volunteers, the ledger and redemptions are read-only here because every change to them must go
through the services (locking, encryption, audit)."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from linli.volunteers.models import (
    Activity,
    EarningRule,
    PointsAccount,
    PointsEntry,
    PointsPolicy,
    Redemption,
    SocialOrganisation,
    StoreItem,
    Team,
    Volunteer,
)


class ReadOnlyAdmin(admin.ModelAdmin[Model]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(PointsPolicy)
class PointsPolicyAdmin(admin.ModelAdmin[PointsPolicy]):
    list_display = ["community", "points_per_hour", "max_hours_per_activity", "expiry_months"]


@admin.register(EarningRule)
class EarningRuleAdmin(admin.ModelAdmin[EarningRule]):
    list_display = ["name", "code", "points", "active", "community"]


@admin.register(SocialOrganisation)
class SocialOrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "org_type", "stage", "applied_on", "community"]
    list_filter = ["stage", "org_type", "community"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "kind", "organisation", "community"]
    list_filter = ["kind", "community"]
    search_fields = ["name"]
    raw_id_fields = ["leader", "organisation"]
    exclude = ["members"]


@admin.register(StoreItem)
class StoreItemAdmin(ReadOnlyAdmin):
    list_display = ["name", "price", "stock", "per_person_limit", "active", "community"]


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "phone_masked", "status", "hours_total", "community"]
    list_filter = ["status", "community"]
    search_fields = ["number", "name"]
    exclude = ["phone_encrypted", "phone_hash"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_at", "place", "capacity", "seats_taken", "status"]
    list_filter = ["status", "community"]


@admin.register(PointsAccount)
class PointsAccountAdmin(ReadOnlyAdmin):
    list_display = ["name", "balance", "community"]
    search_fields = ["name"]


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "kind", "points", "balance_after"]
    list_filter = ["kind"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "item", "quantity", "points", "status"]
    list_filter = ["status"]
