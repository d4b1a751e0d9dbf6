"""The standard's data, the catalogue and the rules are readable (and correctable) in the admin."""

from django.contrib import admin

from linli.care.models import (
    AssessmentItem,
    LevelAdjustment,
    LevelBand,
    ProactiveRule,
    Service,
    ServiceCategory,
    SubsidyRule,
)


@admin.register(AssessmentItem)
class AssessmentItemAdmin(admin.ModelAdmin[AssessmentItem]):
    list_display = ("number", "name", "dimension_name", "max_points", "clause")


@admin.register(LevelBand)
class LevelBandAdmin(admin.ModelAdmin[LevelBand]):
    list_display = ("rank", "level", "min_total", "max_total", "clause")


@admin.register(LevelAdjustment)
class LevelAdjustmentAdmin(admin.ModelAdmin[LevelAdjustment]):
    list_display = ("order", "code", "condition", "subject", "value", "effect", "target")


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin[ServiceCategory]):
    list_display = ("order", "code", "name")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ("code", "name", "category", "unit", "price")
    list_filter = ("category",)


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(admin.ModelAdmin[SubsidyRule]):
    list_display = ("code", "name", "category", "units_per_month", "share")


@admin.register(ProactiveRule)
class ProactiveRuleAdmin(admin.ModelAdmin[ProactiveRule]):
    list_display = (
        "code",
        "name",
        "kind",
        "days",
        "due_hours",
        "escalate_hours",
        "assignee",
        "active",
    )
