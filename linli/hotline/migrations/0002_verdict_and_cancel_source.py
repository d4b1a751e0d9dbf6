# Who gave a verdict and who cancelled (issue 8 item 5: staff must not grade themselves).

from django.db import migrations, models


def verdict_sources(apps, schema_editor):
    """Existing verdicts: the resident's, unless the rating event says staff recorded it.
    Historic cancellations keep an empty source (unknown: they stay out of the rates, as
    they were)."""
    ServiceRequest = apps.get_model("hotline", "ServiceRequest")
    RequestEvent = apps.get_model("hotline", "RequestEvent")
    rated = ServiceRequest.objects.filter(rating__isnull=False)
    rated.update(verdict_source="resident")
    by_staff = set()
    for request_id, data in (
        RequestEvent.objects.filter(kind="rated", request__rating__isnull=False)
        .order_by("request_id", "at", "id")
        .values_list("request_id", "data")
    ):
        if (data or {}).get("by_staff"):
            by_staff.add(request_id)
        else:
            by_staff.discard(request_id)
    if by_staff:
        rated.filter(pk__in=by_staff).update(verdict_source="staff_recorded_call")


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="cancel_source",
            field=models.CharField(
                blank=True,
                choices=[("resident", "The resident"), ("staff", "Staff")],
                max_length=10,
                verbose_name="cancelled by",
            ),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="verdict_source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("resident", "The resident"),
                    ("staff_recorded_call", "Recorded by staff from a call"),
                ],
                max_length=20,
                verbose_name="verdict given by",
            ),
        ),
        migrations.RunPython(verdict_sources, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="servicerequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("rating__isnull", True), ("verdict_source", "")),
                    models.Q(
                        ("rating__isnull", False),
                        ("verdict_source__in", ["resident", "staff_recorded_call"]),
                    ),
                    _connector="OR",
                ),
                name="hotline_servicerequest_verdict_source",
            ),
        ),
    ]
