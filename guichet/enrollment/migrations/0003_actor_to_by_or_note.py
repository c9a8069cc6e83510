"""The ``actor`` string of the confirmation log becomes ``by`` when it named the insured
(« assuré <id> », the confirmation's own account: every change the insured made) and goes to
``note`` otherwise (« tâche périodique »): nothing is lost."""

import re

from django.db import migrations

INSURED = re.compile(r"^assuré (\d+)$")


def actor_to_by_or_note(apps, schema_editor):
    Transition = apps.get_model("enrollment", "EmailConfirmationTransition")
    rows = Transition.objects.select_related("confirmation").only("actor", "confirmation__user_id")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        match = INSURED.match(row.actor)
        if match and int(match.group(1)) == row.confirmation.user_id:
            row.by_id, row.note = row.confirmation.user_id, ""
        else:
            row.by_id, row.note = None, row.actor
        changed.append(row)
        if len(changed) >= 2000:
            Transition.objects.bulk_update(changed, ["by", "note"])
            changed = []
    Transition.objects.bulk_update(changed, ["by", "note"])


def by_or_note_to_actor(apps, schema_editor):
    Transition = apps.get_model("enrollment", "EmailConfirmationTransition")
    changed = []
    for row in Transition.objects.only("by", "note").iterator(chunk_size=2000):
        row.actor = f"assuré {row.by_id}" if row.by_id else (row.note or "système")[:60]
        changed.append(row)
        if len(changed) >= 2000:
            Transition.objects.bulk_update(changed, ["actor"])
            changed = []
    Transition.objects.bulk_update(changed, ["actor"])


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0002_transition_log"),
    ]

    operations = [
        migrations.RunPython(actor_to_by_or_note, by_or_note_to_actor),
    ]
