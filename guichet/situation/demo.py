"""Demo state of « Déclarer un changement de situation » (called by `manage.py seed_demo`).

The « bank-change » persona has asked, 3 days ago, for reimbursements to go to a new account:
the request waits in the back office's queue of the CPAM de Paris (agent « backoffice »), with
a generated RIB, past its cooling-off (SIT9), so it can be approved or refused at once. Every
other bank-details change of the personas' families is what a demo left: it is deleted with
its case and its RIB, so the personas are back to the state docs/personas.md describes.

The « name-changed » persona's usage name DUMAS was approved 10 days ago (SIT15): her page
offers « Commander une nouvelle carte Vitale ». The « newborn-provisional-nir » persona declared
Gabriel 5 weeks ago: the declaration waits in the back office's queue (SIT20), so the family's
attestation is refused (A4) until an agent certifies the NIR. Other usage-name changes,
declarations and other-parent registrations of the personas' families, and the attachments of
their children to another family (« two-parents » and « other-parent »), are what a demo left.
"""

import datetime as dt
import io
from functools import partial
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from PIL import Image, ImageDraw

from guichet.accounts.models import User
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind
from guichet.cases.models import Case
from guichet.core import clock
from guichet.demo.identifiers import french_iban
from guichet.demo.personas import persona
from guichet.reference.enums import NirStatus
from guichet.reference.models import Person, SecondParentAttachment
from guichet.situation import rules
from guichet.situation.enums import (
    BankDetailsChangeStatus,
    NewbornDeclarationStatus,
    UsageNameChangeStatus,
    UsageNameProof,
)
from guichet.situation.models import (
    BankDetailsChange,
    NewbornDeclaration,
    OtherParentRegistration,
    UsageNameChange,
)

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


def _bank_change_seed(stdout: TextIO) -> None:
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


NAME_CHANGED_KEY = "name-changed"
NEWBORN_KEY = "newborn-provisional-nir"
APPROVED_AGO = dt.timedelta(days=10)


def _document(title: str, lines: tuple[str, ...]) -> bytes:
    """A scanned civil-status document as a JPEG image."""
    image = Image.new("RGB", (1200, 500), "white")
    draw = ImageDraw.Draw(image)
    for row, text in enumerate((title, *lines)):
        draw.text((40, 40 + 60 * row), text, fill="black", font_size=36)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _requests_left_by_demos_delete() -> None:
    from guichet.demo.services import persona_families

    families = persona_families()
    for model, field, by in (
        (UsageNameChange, "proof", "person__family__in"),
        (NewbornDeclaration, "birth_certificate", "parent__family__in"),
        (OtherParentRegistration, "proof", "person__family__in"),
    ):
        requests = model.objects.filter(**{by: families})
        Case.objects.filter(
            subject_type=ContentType.objects.get_for_model(model),
            subject_id__in=requests.values("pk"),
        ).delete()
        for request in requests.exclude(**{field: ""}):
            stored = getattr(request, field)
            transaction.on_commit(partial(stored.storage.delete, stored.name))
        requests.delete()
    # SIT25: a child a demo attached to their other parent is back in one family only.
    SecondParentAttachment.objects.filter(
        Q(child__family__in=families) | Q(family__in=families)
    ).delete()


def _usage_name_seed(stdout: TextIO, person: Person, user: User) -> None:
    """SIT15: DUMAS approved, so the card's visual is outdated (V2)."""
    asked = clock.now() - APPROVED_AGO - dt.timedelta(days=2)
    change = UsageNameChange(
        person=person,
        requested_by=user,
        usage_name=person.usage_name,
        previous_usage_name="",
        proof_kind=UsageNameProof.MARRIAGE_CERTIFICATE,
        proof_content_type="image/jpeg",
        requested_at=asked,
        status=UsageNameChangeStatus.APPROVED,
        decided_at=clock.now() - APPROVED_AGO,
    )
    change.proof.save(
        "acte.jpg",
        ContentFile(_document("ACTE DE MARIAGE", (f"{person.first_names} {person.last_name}",))),
        save=False,
    )
    change.save()
    rules.USAGE_NAME_MACHINE.record(
        change, source="", target=UsageNameChangeStatus.PENDING, by=user
    )
    rules.USAGE_NAME_MACHINE.record(
        change, source=UsageNameChangeStatus.PENDING, target=UsageNameChangeStatus.APPROVED
    )
    stdout.write("Nom d'usage : DUMAS validé pour « name-changed ».\n")


def _newborn_seed(stdout: TextIO, parent: Person, user: User) -> None:
    """SIT19, SIT20: Gabriel's declaration waiting for the back office (A4 refuses)."""
    child = Person.objects.filter(
        family_id=parent.family_id, nir_status=NirStatus.PROVISIONAL
    ).first()
    if child is None:
        stdout.write("Nouveau-né : pas d'enfant au NIR provisoire, rien à faire.\n")
        return
    declared = clock.now() - dt.timedelta(days=34)
    declaration = NewbornDeclaration(
        declared_by=user,
        parent=parent,
        child=child,
        last_name=child.last_name,
        first_names=child.first_names,
        gender=child.gender,
        birth_date=child.birth_date,
        birth_certificate_content_type="image/jpeg",
        requested_at=declared,
    )
    declaration.birth_certificate.save(
        "acte.jpg",
        ContentFile(
            _document(
                "ACTE DE NAISSANCE",
                (f"{child.first_names} {child.last_name}", f"né le {child.birth_date:%d/%m/%Y}"),
            )
        ),
        save=False,
    )
    declaration.save()
    rules.NEWBORN_MACHINE.record(
        declaration, source="", target=NewbornDeclarationStatus.PENDING, by=user
    )
    case = case_services.case_open(
        kind=CaseKind.NEWBORN_DECLARATION,
        subject=declaration,
        fund=parent.family.fund,
        insured=parent,
        actor=user,
    )
    Case.objects.filter(pk=case.pk).update(
        opened_at=declared, due_at=declared + (case.due_at - case.opened_at)
    )
    stdout.write("Nouveau-né : déclaration de « newborn-provisional-nir » remise en attente.\n")


def seed(stdout: TextIO) -> None:
    _bank_change_seed(stdout)
    _requests_left_by_demos_delete()
    for key, seeder in ((NAME_CHANGED_KEY, _usage_name_seed), (NEWBORN_KEY, _newborn_seed)):
        person = Person.objects.filter(nir=persona(key).nir).select_related("family").first()
        user = User.objects.filter(person=person).first() if person else None
        if person is None or user is None:
            stdout.write(f"Persona « {key} » absent, rien à faire.\n")
            continue
        seeder(stdout, person, user)
