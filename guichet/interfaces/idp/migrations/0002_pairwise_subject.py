# Written by hand, as 0001: the autodetector cannot resolve django-oauth-toolkit's swappable
# models without OAUTH2_PROVIDER_*_MODEL settings, which this project does not swap.

import django.db.models.deletion
from django.db import migrations, models

import guichet.core.clock
import guichet.interfaces.idp.models


class Migration(migrations.Migration):
    dependencies = [
        ("idp", "0001_redeemed_code"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
        ("reference", "0002_card_printed_name_card_printed_nir"),
    ]

    operations = [
        migrations.CreateModel(
            name="PairwiseSubject",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "sub",
                    models.CharField(
                        default=guichet.interfaces.idp.models.new_subject,
                        editable=False,
                        max_length=64,
                        unique=True,
                    ),
                ),
                ("created_at", models.DateTimeField(default=guichet.core.clock.now)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="oauth2_provider.application",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pairwise_subjects",
                        to="reference.person",
                    ),
                ),
            ],
            options={
                "verbose_name": "identifiant de l'assuré chez un partenaire",
                "verbose_name_plural": "identifiants des assurés chez les partenaires",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("person", "application"),
                        name="idp_one_subject_per_person_and_client",
                    )
                ],
            },
        ),
    ]
