# Written by hand: the autodetector cannot resolve django-oauth-toolkit's swappable models
# without OAUTH2_PROVIDER_*_MODEL settings, which this project does not swap.

import django.db.models.deletion
from django.db import migrations, models

import guichet.core.clock


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RedeemedCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code_digest", models.CharField(max_length=64, unique=True)),
                ("token_family", models.UUIDField(blank=True, null=True)),
                (
                    "redeemed_at",
                    models.DateTimeField(db_index=True, default=guichet.core.clock.now),
                ),
                ("replayed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "access_token",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="oauth2_provider.accesstoken",
                    ),
                ),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="oauth2_provider.application",
                    ),
                ),
            ],
            options={
                "verbose_name": "code d'autorisation utilisé",
                "verbose_name_plural": "codes d'autorisation utilisés",
            },
        ),
    ]
