"""The confirmation log takes the one shape of core.TransitionLog (issue 15), in three steps
(schema, data, schema: PostgreSQL does not alter a table with row changes pending in the same
transaction).

``source``/``target`` are renamed ``from_status``/``to_status``; ``by`` and ``note`` are added.
``actor`` gets a default only so that this can be reversed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="emailconfirmationtransition", old_name="source", new_name="from_status"
        ),
        migrations.RenameField(
            model_name="emailconfirmationtransition", old_name="target", new_name="to_status"
        ),
        migrations.AddField(
            model_name="emailconfirmationtransition",
            name="by",
            field=models.ForeignKey(
                blank=True,
                help_text="Vide : changement fait par le système.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="par",
            ),
        ),
        migrations.AddField(
            model_name="emailconfirmationtransition",
            name="note",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="note"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="emailconfirmationtransition",
            name="actor",
            field=models.CharField(default="", max_length=60, verbose_name="par"),
        ),
    ]
