"""The order log takes the one shape of core.TransitionLog (issue 15): its columns were
already from/to/at/by/note, only their definitions align (length, help text)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cards', '0002_cardorder_reason'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='cardordertransition',
            name='by',
            field=models.ForeignKey(blank=True, help_text='Vide : changement fait par le système.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AlterField(
            model_name='cardordertransition',
            name='from_status',
            field=models.CharField(blank=True, choices=[('draft', 'En cours de saisie'), ('received', 'Commande reçue'), ('photo_checked', "Photo et pièce d'identité vérifiées"), ('in_production', 'En fabrication'), ('sent', 'Envoyée'), ('delivered', 'Remise'), ('rejected', 'Refusée')], max_length=20, verbose_name='de'),
        ),
        migrations.AlterField(
            model_name='cardordertransition',
            name='to_status',
            field=models.CharField(choices=[('draft', 'En cours de saisie'), ('received', 'Commande reçue'), ('photo_checked', "Photo et pièce d'identité vérifiées"), ('in_production', 'En fabrication'), ('sent', 'Envoyée'), ('delivered', 'Remise'), ('rejected', 'Refusée')], max_length=20, verbose_name='vers'),
        ),
    ]
