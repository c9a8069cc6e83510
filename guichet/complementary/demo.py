"""Demo state: the overlaps of the demo personas, pending as documented, so they see the
interstitial (O2) each time `manage.py seed_demo` runs.

A choice sent during a demo (its request, its back-office case) and the conflicts it
resolved are deleted, then the detection runs again on the personas' families only (seed_demo
has already put back their contracts, transmission blocked): « overlap-two » can choose again.
"""

from typing import TextIO

from django.contrib.contenttypes.models import ContentType

from guichet.cases.models import Case
from guichet.complementary.detection import conflicts_detect
from guichet.complementary.models import ChoiceRequest, Conflict


def seed(stdout: TextIO) -> None:
    from guichet.demo.services import persona_families

    family_ids = list(persona_families().values_list("pk", flat=True))
    requests = ChoiceRequest.objects.filter(family_id__in=family_ids)
    Case.objects.filter(
        subject_type=ContentType.objects.get_for_model(ChoiceRequest),
        subject_id__in=requests.values("pk"),
    ).delete()
    requests.delete()
    Conflict.objects.filter(family_id__in=family_ids).delete()
    result = conflicts_detect(family_ids=family_ids)
    stdout.write(
        f"Chevauchements de complémentaires : {result.pending} en attente "
        f"(dont {result.excluded} exclus du service en ligne, règle O4).\n"
    )
