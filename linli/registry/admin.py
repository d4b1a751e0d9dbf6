"""Back-office admin. Places are editable; households and residents are read-only here because
every change to them must go through the services (validation, encryption, audit)."""

from typing import TypeVar

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from linli.registry.models import Building, Community, Grid, Household, Residency, Resident, Unit

M = TypeVar("M", bound=models.Model)


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin[Community]):
    list_display = ["name", "code", "subdistrict", "district", "city"]
    search_fields = ["name", "code"]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin[Grid]):
    list_display = ["name", "number", "community"]
    list_filter = ["community"]


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin[Building]):
    list_display = ["number", "grid", "floors", "has_elevator", "year_built"]
    list_filter = ["community", "grid", "has_elevator"]
    search_fields = ["number"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["building", "number"]
    list_select_related = ["building"]


class ReadOnlyAdmin(admin.ModelAdmin[M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin[Household]):
    list_display = ["__str__", "floor", "tenure", "status"]
    list_filter = ["community", "status", "tenure"]
    list_select_related = ["building", "unit"]


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin[Resident]):
    list_display = ["name", "gender", "birth_date", "citizen_id_masked", "phone_masked", "status"]
    list_filter = ["community", "status", "gender"]
    search_fields = ["name", "name_initials"]
    exclude = ["citizen_id_encrypted", "citizen_id_hash", "phone_encrypted", "phone_hash"]


@admin.register(Residency)
class ResidencyAdmin(ReadOnlyAdmin[Residency]):
    list_display = ["resident", "household", "moved_in", "moved_out"]
    list_select_related = ["resident", "household__building", "household__unit"]
