"""Follow-up service lines become "<domain>.<what>" (core.followups): hotline → hotline.request,
care → care.visit, venues → venues.booking, service → venues.service."""

from django.db import migrations

RENAMES = {
    "hotline": "hotline.request",
    "care": "care.visit",
    "venues": "venues.booking",
    "service": "venues.service",
}


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model in ("Survey", "FollowUp"):
        manager = apps.get_model("surveys", model).objects
        for old, new in RENAMES.items():
            manager.filter(service_line=old).update(service_line=new)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model in ("Survey", "FollowUp"):
        manager = apps.get_model("surveys", model).objects
        for old, new in RENAMES.items():
            manager.filter(service_line=new).update(service_line=old)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
