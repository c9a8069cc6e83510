"""The constraints on the request's status, and the two transition logs. The rows already
there get no back-filled history: their dates say what happened, their logs start now
(docs/decisions/one-transition-mechanism.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import guichet.core.clock


class Migration(migrations.Migration):
    dependencies = [
        ("complementary", "0003_request_status_from_dates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChoiceRequestTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=guichet.core.clock.now, verbose_name='le')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('from_status', models.CharField(blank=True, choices=[('pending', 'Demande en cours'), ('applied', 'Choix appliqués'), ('closed', 'Traitée')], max_length=20, verbose_name='de')),
                ('to_status', models.CharField(choices=[('pending', 'Demande en cours'), ('applied', 'Choix appliqués'), ('closed', 'Traitée')], max_length=20, verbose_name='vers')),
            ],
            options={
                'verbose_name': 'changement de statut de choix',
                'verbose_name_plural': 'changements de statut de choix',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ConflictTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=guichet.core.clock.now, verbose_name='le')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('from_status', models.CharField(blank=True, choices=[('pending', 'À choisir'), ('requested', 'Choix envoyé'), ('resolved', 'Résolu')], max_length=20, verbose_name='de')),
                ('to_status', models.CharField(choices=[('pending', 'À choisir'), ('requested', 'Choix envoyé'), ('resolved', 'Résolu')], max_length=20, verbose_name='vers')),
            ],
            options={
                'verbose_name': 'changement de statut de chevauchement',
                'verbose_name_plural': 'changements de statut de chevauchement',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
        migrations.AddConstraint(
            model_name='choicerequest',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'applied', 'closed'])), name='choice_request_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='choicerequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('applied_at__isnull', True), ('status', 'pending')), models.Q(('applied_at__isnull', False), ('status', 'applied')), models.Q(('applied_at__isnull', False), ('status', 'closed')), _connector='OR'), name='choice_request_applied_has_date'),
        ),
        migrations.AddConstraint(
            model_name='choicerequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', False), ('status', 'closed')), models.Q(models.Q(('status', 'closed'), _negated=True), ('closed_at__isnull', True)), _connector='OR'), name='choice_request_closed_has_date'),
        ),
        migrations.AddField(
            model_name='choicerequesttransition',
            name='by',
            field=models.ForeignKey(blank=True, help_text='Vide : changement fait par le système.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AddField(
            model_name='choicerequesttransition',
            name='request',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='complementary.choicerequest'),
        ),
        migrations.AddField(
            model_name='conflicttransition',
            name='by',
            field=models.ForeignKey(blank=True, help_text='Vide : changement fait par le système.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AddField(
            model_name='conflicttransition',
            name='conflict',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='complementary.conflict'),
        ),
    ]
