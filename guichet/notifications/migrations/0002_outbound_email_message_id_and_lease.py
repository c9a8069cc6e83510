from django.db import migrations, models

import guichet.notifications.models


def give_each_email_its_message_id(apps, schema_editor):
    """One Message-ID per existing row; rows left « sending » get a lease that has passed."""
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    for email in OutboundEmail.objects.filter(message_id__isnull=True).only("pk"):
        email.message_id = guichet.notifications.models.new_message_id()
        email.save(update_fields=["message_id"])
    OutboundEmail.objects.filter(status="sending", lease_until__isnull=True).update(
        lease_until=models.F("next_attempt_at")
    )


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="message_id",
            field=models.CharField(max_length=255, null=True, verbose_name="Message-ID"),
        ),
        migrations.AddField(
            model_name="outboundemail",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="réservé jusqu'à"),
        ),
        migrations.RunPython(give_each_email_its_message_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboundemail",
            name="message_id",
            field=models.CharField(
                default=guichet.notifications.models.new_message_id,
                max_length=255,
                unique=True,
                verbose_name="Message-ID",
            ),
        ),
    ]
