"""Back-office admin, read-only: every change goes through the services (encryption, audit,
the hand-over to Community 110). Children's enrolments are not in the admin at all."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from linli.riders.models import CanteenMeal, SafetyReport, Station, SummerClass, Worker


class ReadOnlyAdmin(admin.ModelAdmin[Model]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Station)
class StationAdmin(admin.ModelAdmin[Station]):
    list_display = ["name", "address", "community"]


@admin.register(Worker)
class WorkerAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "platform", "work_station", "phone_masked", "status"]
    list_filter = ["kind", "status", "community"]
    search_fields = ["name", "platform"]
    exclude = ["phone_encrypted", "phone_hash"]


@admin.register(CanteenMeal)
class CanteenMealAdmin(ReadOnlyAdmin):
    list_display = ["day", "meal", "worker", "payment", "price"]
    list_filter = ["meal", "payment"]


@admin.register(SummerClass)
class SummerClassAdmin(ReadOnlyAdmin):
    list_display = ["name", "starts_on", "ends_on", "capacity", "enrolled"]


@admin.register(SafetyReport)
class SafetyReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "category", "place", "status", "hotline_number"]
    list_filter = ["status", "category"]
