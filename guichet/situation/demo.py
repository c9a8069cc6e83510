"""Demo state of « Modifier mes coordonnées bancaires » (called by `manage.py seed_demo`).

The « bank-change » persona has asked, 3 days ago, for reimbursements to go to a new account:
the request waits in the back office's queue of the CPAM de Paris (agent « backoffice »), with
a generated RIB, past its cooling-off (SIT9), so it can be approved or refused at once. Every
other bank-details change of the personas' families is what a demo left: it is deleted with
its case and its RIB, so the personas are back to the state docs/personas.md describes.
"""

import datetime as dt
import io
from functools import partial
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw

from guichet.accounts.models import User
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind
from guichet.cases.models import Case
from guichet.core import clock
from guichet.demo.identifiers import french_iban
from guichet.demo.personas import persona
from guichet.reference.models import Person
from guichet.situation import rules
from guichet.situation.enums import BankDetailsChangeStatus
from guichet.situation.models import BankDetailsChange

PERSONA_KEY = "bank-change"
ASKED_AGO = dt.timedelta(days=3)
NEW_IBAN = french_iban(bank="20041", branch="01005", account="05000130260")


def _rib(holder: str, iban: str) -> bytes:
    """A RIB as a JPEG image: what the back office compares with what was typed."""
    image = Image.new("RGB", (1200, 500), "white")
    draw = ImageDraw.Draw(image)
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    for row, text in enumerate(
        ("RELEVÉ D'IDENTITÉ BANCAIRE", "Banque de démonstration", f"Titulaire : {holder}")
    ):
        draw.text((40, 40 + 60 * row), text, fill="black", font_size=36)
    draw.text((40, 300), f"IBAN : {grouped}", fill="black", font_size=36)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _left_by_demos_delete(*, keep: BankDetailsChange | None) -> None:
    from guichet.demo.services import persona_families

    changes = BankDetailsChange.objects.filter(person__family__in=persona_families())
    if keep is not None:
        changes = changes.exclude(pk=keep.pk)
    Case.objects.filter(
        subject_type=ContentType.objects.get_for_model(BankDetailsChange),
        subject_id__in=changes.values("pk"),
    ).delete()
    for change in changes.exclude(rib=""):
        transaction.on_commit(partial(change.rib.storage.delete, change.rib.name))
    changes.delete()


def _documented(person: Person) -> BankDetailsChange | None:
    change = BankDetailsChange.objects.filter(
        person=person, status=BankDetailsChangeStatus.PENDING, iban=NEW_IBAN
    ).first()
    if (
        change is None
        or not Case.objects.filter(
            subject_id=change.pk, kind=CaseKind.BANK_DETAILS_CHANGE, status="open"
        ).exists()
    ):
        return None
    return change


def seed(stdout: TextIO) -> None:
    person = Person.objects.filter(nir=persona(PERSONA_KEY).nir).first()
    user = User.objects.filter(person=person).first() if person else None
    if person is None or user is None:
        stdout.write("Coordonnées bancaires : persona « bank-change » absent, rien à faire.\n")
        return
    kept = _documented(person)
    _left_by_demos_delete(keep=kept)
    if kept is not None:
        stdout.write("Coordonnées bancaires : la demande de « bank-change » est en attente.\n")
        return
    asked = clock.now() - ASKED_AGO
    holder = f"M. {person.first_names} {person.last_name}"
    change = BankDetailsChange(
        person=person,
        requested_by=user,
        iban=NEW_IBAN,
        holder_name=holder,
        previous_iban=person.iban,
        rib_content_type="image/jpeg",
        requested_at=asked,
    )
    change.rib.save("rib.jpg", ContentFile(_rib(holder, NEW_IBAN)), save=False)
    change.save()
    rules.BANK_CHANGE_MACHINE.record(
        change, source="", target=BankDetailsChangeStatus.PENDING, by=user
    )
    case = case_services.case_open(
        kind=CaseKind.BANK_DETAILS_CHANGE,
        subject=change,
        fund=person.family.fund,
        insured=person,
        actor=user,
    )
    Case.objects.filter(pk=case.pk).update(
        opened_at=asked, due_at=asked + (case.due_at - case.opened_at)
    )
    stdout.write("Coordonnées bancaires : demande de « bank-change » remise en attente.\n")
