"""A lecturer is never in two sessions at once, guaranteed by PostgreSQL: an exclusion
constraint over tstzrange(starts_at, ends_at) per lecturer (cancelled sessions excluded).
SQLite has no exclusion constraints; there the service's write transaction (BEGIN IMMEDIATE)
with its overlap check is the guarantee. Applied only on PostgreSQL, so the model declares no
constraint and `makemigrations --check` stays quiet on both."""

from django.db import migrations

CONSTRAINT = "training_session_lecturer_no_overlap"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE training_session ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(lecturer_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
        "WHERE (NOT cancelled AND lecturer_id IS NOT NULL)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE training_session DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
