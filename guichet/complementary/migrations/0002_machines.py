"""The choice request and the conflict become state machines (issue 15), in three steps
(schema, data, schema). Here: the request's stored ``status``, « pending » by default."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complementary", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="choicerequest",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Demande en cours"),
                    ("applied", "Choix appliqués"),
                    ("closed", "Traitée"),
                ],
                default="pending",
                max_length=10,
                verbose_name="statut",
            ),
        ),
    ]
