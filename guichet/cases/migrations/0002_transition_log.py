"""The case log takes the one shape of core.TransitionLog (issue 15): ``actor`` is renamed
``by`` (the rows keep their author) and a ``note`` is added, empty for the rows already there."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="casetransition", old_name="actor", new_name="by"),
        migrations.AddField(
            model_name="casetransition",
            name="note",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="note"),
            preserve_default=False,
        ),

        migrations.AlterModelOptions(
            name='casetransition',
            options={'ordering': ['at', 'pk'], 'verbose_name': "changement de statut d'affaire"},
        ),
        migrations.AlterField(
            model_name='casetransition',
            name='by',
            field=models.ForeignKey(blank=True, help_text='Vide : changement fait par le système.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AlterField(
            model_name='casetransition',
            name='from_status',
            field=models.CharField(blank=True, choices=[('open', 'À traiter'), ('in_progress', 'En cours de traitement'), ('closed', 'Clôturée')], max_length=20, verbose_name='de'),
        ),
        migrations.AlterField(
            model_name='casetransition',
            name='to_status',
            field=models.CharField(choices=[('open', 'À traiter'), ('in_progress', 'En cours de traitement'), ('closed', 'Clôturée')], max_length=20, verbose_name='vers'),
        ),
    ]
