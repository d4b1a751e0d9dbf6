"""Load GB/T 42195-2022 (items, points, level bands, adjustments), the 10 × 5 service
catalogue, the subsidy rules and the proactive rules as data (fixtures/*.json), so that a
correction is a data change, not a code change."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import migrations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load(apps: Any, schema_editor: Any) -> None:
    standard = json.loads((FIXTURES / "gbt42195.json").read_text(encoding="utf-8"))
    catalogue = json.loads((FIXTURES / "catalogue.json").read_text(encoding="utf-8"))
    Item = apps.get_model("care", "AssessmentItem")
    Band = apps.get_model("care", "LevelBand")
    Adjustment = apps.get_model("care", "LevelAdjustment")
    Category = apps.get_model("care", "ServiceCategory")
    Service = apps.get_model("care", "Service")
    Subsidy = apps.get_model("care", "SubsidyRule")
    Rule = apps.get_model("care", "ProactiveRule")
    Item.objects.bulk_create([Item(**row) for row in standard["items"]])
    Band.objects.bulk_create([Band(**row) for row in standard["bands"]])
    Adjustment.objects.bulk_create([Adjustment(**row) for row in standard["adjustments"]])
    categories = {}
    for row in catalogue["categories"]:
        services = row.pop("services")
        category = Category.objects.create(**row)
        categories[category.code] = category
        Service.objects.bulk_create(
            [
                Service(category=category, **{**s, "price": Decimal(str(s["price"]))})
                for s in services
            ]
        )
    for row in catalogue["subsidy_rules"]:
        Subsidy.objects.create(
            **{**row, "category": categories[row["category"]], "share": Decimal(row["share"])}
        )
    Rule.objects.bulk_create([Rule(**row) for row in catalogue["rules"]])


def unload(apps: Any, schema_editor: Any) -> None:
    for name in (
        "ProactiveRule",
        "SubsidyRule",
        "Service",
        "ServiceCategory",
        "LevelAdjustment",
        "LevelBand",
        "AssessmentItem",
    ):
        apps.get_model("care", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
