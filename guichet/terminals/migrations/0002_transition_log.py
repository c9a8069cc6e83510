"""The kiosk log takes the one shape of core.TransitionLog (issue 15): ``by_user`` is renamed
``by`` (the rows keep their author) and a ``note`` is added, empty for the rows already there."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("terminals", "0001_kiosk_devices"),
    ]

    operations = [
        migrations.RenameField(model_name="kiosktransition", old_name="by_user", new_name="by"),
        migrations.AddField(
            model_name="kiosktransition",
            name="note",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="note"),
            preserve_default=False,
        ),

        migrations.AlterField(
            model_name='kiosktransition',
            name='by',
            field=models.ForeignKey(blank=True, help_text='Vide : changement fait par le système.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AlterField(
            model_name='kiosktransition',
            name='from_status',
            field=models.CharField(blank=True, choices=[('pending', "En attente d'installation"), ('active', 'En service'), ('revoked', 'Révoquée')], max_length=20, verbose_name='de'),
        ),
        migrations.AlterField(
            model_name='kiosktransition',
            name='to_status',
            field=models.CharField(choices=[('pending', "En attente d'installation"), ('active', 'En service'), ('revoked', 'Révoquée')], max_length=20, verbose_name='vers'),
        ),
    ]
