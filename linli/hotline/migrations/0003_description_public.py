# The resident's choice to publish his description (issue 8 item 6). Existing requests stay
# private: nobody chose otherwise.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0002_verdict_and_cancel_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="description_public",
            field=models.BooleanField(
                default=False,
                verbose_name="the resident lets the public read the description (anonymised)",
            ),
        ),
        migrations.AddConstraint(
            model_name="servicerequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("description_public", False),
                    ("channel__in", ["portal", "open311"]),
                    _connector="OR",
                ),
                name="hotline_servicerequest_public_text_channel",
            ),
        ),
    ]
