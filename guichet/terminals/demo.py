"""Demo kiosk (called by `manage.py seed_demo`, so by `make run`).

Every run prints a fresh one-time link that enrols the browser it is opened in as the kiosk
« Borne de démonstration » (docs/personas.md): one kiosk waits for its installation, its
code renewed at each run; kiosks already installed keep working.
"""

from typing import TextIO

from guichet.terminals import services
from guichet.terminals.enums import KioskStatus
from guichet.terminals.models import KioskDevice

DEMO_KIOSK_NAME = "Borne de démonstration"


def seed(stdout: TextIO) -> None:
    pending = KioskDevice.objects.filter(name=DEMO_KIOSK_NAME, status=KioskStatus.PENDING).first()
    if pending is None:
        enrolment = services.kiosk_enrol(name=DEMO_KIOSK_NAME, by=None)
    else:
        enrolment = services.kiosk_enrolment_renew(device_id=pending.pk)
    hours = int(services.ENROLMENT_CODE_LIFETIME.total_seconds() // 3600)
    stdout.write(
        f"Borne de démonstration : ouvrez {enrolment.link} dans le navigateur qui servira de "
        f"borne, touchez « Enregistrer cette borne », puis /borne/ (lien valable {hours} heures, "
        "renouvelé à chaque `make run`).\n"
    )
