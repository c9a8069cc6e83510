"""Each choice request's status from its dates: closed once ``closed_at``, else applied once
``applied_at``, else pending."""

from django.db import migrations


def status_from_dates(apps, schema_editor):
    ChoiceRequest = apps.get_model("complementary", "ChoiceRequest")
    ChoiceRequest.objects.filter(closed_at__isnull=False).update(status="closed")
    ChoiceRequest.objects.filter(closed_at__isnull=True, applied_at__isnull=False).update(
        status="applied"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complementary", "0002_machines"),
    ]

    operations = [
        migrations.RunPython(status_from_dates, migrations.RunPython.noop),
    ]
