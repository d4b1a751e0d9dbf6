"""No two bookings that hold time overlap on one venue, guaranteed by PostgreSQL itself: an
exclusion constraint over the booking's time range (needs btree_gist for the `venue_id =`
part). On SQLite nothing is added: there every write transaction starts with BEGIN IMMEDIATE
(config/settings.py), so `booking_create`'s overlap check and its insert run alone."""

from django.db import migrations

# Keep in step with linli.venues.choices.HOLDING.
HOLDING = "('requested', 'approved', 'checked_in', 'done', 'no_show')"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE venues_booking ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (venue_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status IN {HOLDING});
"""
DROP = "ALTER TABLE venues_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
