"""The confirmation log without its former ``actor`` column (moved to ``by`` or ``note``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0003_actor_to_by_or_note"),
    ]

    operations = [
        migrations.RemoveField(model_name="emailconfirmationtransition", name="actor"),
        migrations.AlterField(
            model_name='emailconfirmationtransition',
            name='from_status',
            field=models.CharField(blank=True, choices=[('pending', 'En attente de validation'), ('expired', 'Lien plus actif (renvoi possible)'), ('confirmed', 'Adresse validée'), ('superseded', 'Remplacé par un nouveau lien'), ('address_deleted', 'Adresse supprimée')], max_length=20, verbose_name='de'),
        ),
        migrations.AlterField(
            model_name='emailconfirmationtransition',
            name='to_status',
            field=models.CharField(choices=[('pending', 'En attente de validation'), ('expired', 'Lien plus actif (renvoi possible)'), ('confirmed', 'Adresse validée'), ('superseded', 'Remplacé par un nouveau lien'), ('address_deleted', 'Adresse supprimée')], max_length=20, verbose_name='vers'),
        ),
    ]
