"""Writes of « Déclarer un changement de situation »: the postal address (SIT1, SIT2), the
bank details (SIT3–SIT11) and the usage name (SIT12–SIT16). Each service checks every rule of
its step itself, whoever calls it (web, API, agent's page); docs/decisions/
situation-address-change.md, situation-bank-details.md, situation-usage-name.md and
situation-newborn.md.
"""

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from schwifty import IBAN

from guichet.accounts import services as account_services
from guichet.accounts.models import User
from guichet.cards.uploads import JPEG, PNG, clean_bank_details_proof, clean_image_or_pdf
from guichet.cases import selectors as case_selectors
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.core import clock
from guichet.core.refusals import Refusal, Refused, refuse
from guichet.frontdesk import selectors as frontdesk_selectors
from guichet.frontdesk.models import FileConsultation
from guichet.reference import selectors as reference_selectors
from guichet.reference.enums import (
    CardStatus,
    Civility,
    FamilyRole,
    Gender,
    NirStatus,
    Relationship,
)
from guichet.reference.models import Card, Family, Person, RightsPeriod, SecondParentAttachment
from guichet.reference.postal import validate_postal_code_and_city
from guichet.reference.validators import (
    normalize_iban,
    normalize_nir,
    normalize_text,
    validate_address_line,
    validate_iban,
    validate_nir,
    validate_no_control_characters,
    validate_person_name,
    validate_postal_code,
)
from guichet.situation import notifications, rules
from guichet.situation.enums import (
    BankDetailsChangeStatus,
    NewbornDeclarationStatus,
    OtherParentRegistrationStatus,
    UsageNameChangeStatus,
    UsageNameProof,
    WithdrawableKind,
)
from guichet.situation.models import (
    BackOfficeRequest,
    BankDetailsChange,
    NewbornDeclaration,
    OtherParentRegistration,
    UsageNameChange,
)

# SIT4: the code personnel typed on the form, checked again whatever the session.
WRONG_CODE = Refusal(
    account_services.WRONG_CODE, "Le code personnel saisi est incorrect.", field="code"
)


def _field_errors(checks: dict[str, tuple[str, tuple]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, (value, validators) in checks.items():
        for validate in validators:
            try:
                validate(value)
            except ValidationError as invalid:
                errors[field] = invalid.messages
                break
    return errors


@transaction.atomic
def person_address_change(
    *, person: Person, user: User, line1: str, line2: str, postal_code: str, city: str
) -> Person:
    """« Changement d'adresse postale », also A4's « Je renseigne ma nouvelle adresse ».

    SIT1: every line printable on a document, the postal code one of La Poste's and the
    commune one it serves; a bad field raises ValidationError with its French messages, by
    field. SIT2: the new address replaces the old one at once and clears NPAI, so that the
    attestation (A4) and the carte Vitale order (V4) use it from the next request; the person
    is told in the account and by email."""
    line1, line2, city, postal_code = (normalize_text(v) for v in (line1, line2, city, postal_code))
    text = (validate_no_control_characters, validate_address_line)
    errors = _field_errors(
        {
            "line1": (line1, text),
            "line2": (line2, text),
            "postal_code": (postal_code, (validate_postal_code,)),
            "city": (city, text),
        }
    )
    for field, value in (("line1", line1), ("city", city)):
        if not value and field not in errors:
            errors[field] = ["Ce champ est obligatoire."]
    if "postal_code" not in errors and "city" not in errors:
        try:
            validate_postal_code_and_city(postal_code=postal_code, city=city)
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    person.address_line1, person.address_line2 = line1, line2
    person.postal_code, person.city = postal_code, city
    person.address_npai = False
    person.save(
        update_fields=["address_line1", "address_line2", "postal_code", "city", "address_npai"]
    )
    notifications.address_changed(user=user, person=person)
    return person


def _recent_requests(person: Person) -> int:
    since = clock.now() - rules.BANK_CHANGE_WINDOW
    return BankDetailsChange.objects.filter(person=person, requested_at__gte=since).count()


def bank_details_change_refusal(*, person: Person) -> Refusal | None:
    """Whether a new change may be asked now (SIT3, SIT7, SIT8): shown before the form too."""
    refusal = rules.bank_change_refusal(person=person)
    if refusal is not None:
        return refusal
    if BankDetailsChange.objects.filter(
        person=person, status=BankDetailsChangeStatus.PENDING
    ).exists():
        return rules.ALREADY_PENDING
    if _recent_requests(person) >= rules.BANK_CHANGE_LIMIT:
        return rules.TOO_MANY_CHANGES
    return None


def _checked_iban(*, person: Person, iban: str, holder_name: str) -> tuple[str, str]:
    """SIT3 and SIT5 on the typed fields: ValidationError by field, or Refused."""
    iban, holder_name = normalize_iban(iban), normalize_text(holder_name)
    errors = _field_errors(
        {
            "iban": (iban, (validate_iban,)),
            "holder_name": (holder_name, (validate_no_control_characters, validate_address_line)),
        }
    )
    if not holder_name and "holder_name" not in errors:
        errors["holder_name"] = ["Saisissez le nom du titulaire du compte."]
    if errors:
        raise ValidationError(errors)
    if not IBAN(iban).in_sepa_zone:
        raise Refused(rules.IBAN_NOT_SEPA)
    if iban == normalize_iban(person.iban):
        raise Refused(rules.SAME_IBAN)
    if not rules.holder_matches(person=person, holder_name=holder_name):
        raise Refused(rules.HOLDER_MISMATCH)
    return iban, holder_name


def bank_details_change_request(
    *, user: User, iban: str, holder_name: str, rib: UploadedFile, code: str, ip: str
) -> BankDetailsChange:
    """« Modifier mes coordonnées bancaires »: ask for a new IBAN, checked by the back office.

    In this order: the code personnel, typed again on the form and checked like a login
    (SIT4: a wrong one counts as a failed login, a blocked account is refused even the right
    code); who may ask and how often (SIT3, SIT7, SIT8); the IBAN (schwifty, SEPA zone, not
    the current one) and its holder, the insured (SIT3, SIT5); the RIB, cleaned (SIT6, raises
    UploadRejected). Then a case for the back office of the insured's fund (SIT9); the Person
    keeps the old IBAN, where payments still go, until an agent approves; the insured is told
    by notification and email, with what to do if it was not them (SIT10)."""
    # Outside the transaction below: a wrong code stays counted when the request is refused.
    refusal = account_services.code_verify(user=user, code=code, ip=ip, wrong=WRONG_CODE)
    if refusal is not None:
        raise Refused(refusal)
    assert user.person_id is not None
    return _bank_details_change_save(
        person_id=user.person_id, requested_by=user, iban=iban, holder_name=holder_name, rib=rib
    )


def bank_details_change_record_at_desk(
    *,
    agent: User,
    consultation_id: int,
    iban: str,
    holder_name: str,
    rib: UploadedFile,
    identity_checked: bool,
) -> BankDetailsChange:
    """SIT11: at the front desk, for an insured of the agent's fund whose client file the agent
    opened, once the agent has checked their identity document (instead of the code personnel:
    the person may have no online account, which way 1 of C4 needs bank details to create).
    The same rules as online otherwise (SIT3, SIT5–SIT8), and the same back-office check by
    another agent (SIT9). Raises FileConsultation.DoesNotExist outside the agent's scope."""
    consultation = frontdesk_selectors.consultation_for(
        agent=agent, consultation_id=consultation_id
    )
    if consultation is None:
        raise FileConsultation.DoesNotExist("Fiche introuvable.")
    if not identity_checked:
        raise Refused(rules.IDENTITY_NOT_CHECKED)
    return _bank_details_change_save(
        person_id=consultation.person_id,
        requested_by=agent,
        iban=iban,
        holder_name=holder_name,
        rib=rib,
    )


@transaction.atomic
def _bank_details_change_save(
    *, person_id: int, requested_by: User, iban: str, holder_name: str, rib: UploadedFile
) -> BankDetailsChange:
    # Locks the insured's row: two requests at once are counted one after the other (SIT8).
    person = Person.objects.select_for_update().get(pk=person_id)
    refusal = bank_details_change_refusal(person=person)
    if refusal is not None:
        raise Refused(refusal)
    iban, holder_name = _checked_iban(person=person, iban=iban, holder_name=holder_name)
    clean = clean_bank_details_proof(rib)
    change = BankDetailsChange(
        person=person,
        requested_by=requested_by,
        iban=iban,
        holder_name=holder_name,
        previous_iban=person.iban,
        rib_content_type=clean.content_type,
    )
    change.rib.save(f"rib.{clean.extension}", ContentFile(clean.content), save=False)
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as error:  # SIT7: another request was saved at the same instant
        change.rib.delete(save=False)
        raise Refused(rules.ALREADY_PENDING) from error
    rules.BANK_CHANGE_MACHINE.record(
        change, source="", target=BankDetailsChangeStatus.PENDING, by=requested_by
    )
    case_services.case_open(
        kind=CaseKind.BANK_DETAILS_CHANGE,
        subject=change,
        fund=person.family.fund,
        insured=person,
        actor=requested_by,
    )
    notifications.bank_change_requested(change=change)
    return change


def _held_case(*, subject: BackOfficeRequest, agent: User) -> Case:
    """The request's open case, held by `agent` (Refused otherwise). Raises the request model's
    DoesNotExist outside the agent's fund (security-agents-scope.md). Shared by every request
    the back office decides (SIT9, SIT14, SIT20, SIT25)."""
    model = type(subject)
    cases = case_selectors.cases_for_agent(agent=agent).filter(
        subject_type=ContentType.objects.get_for_model(model), subject_id=subject.pk
    )
    if not cases.exists():
        raise model.DoesNotExist("Demande introuvable.")
    case = cases.select_for_update().exclude(status=CaseStatus.CLOSED).first()
    if case is None:  # a decision posted again once taken (a second tab, a replayed form)
        raise Refused(rules.CASE_CLOSED)
    if case.status != CaseStatus.IN_PROGRESS or case.assignee_id != agent.pk:
        raise Refused(
            Refusal("case_not_held", "Prenez d'abord l'affaire en charge pour traiter la demande.")
        )
    return case


def _case_close_after_decision(*, case: Case, agent: User, pending: str, undecided: Refusal) -> Any:
    """A request's case closes with the agent's decision only (the closers registered in
    SituationConfig.ready() for `cases.services.case_close`)."""
    model = case.subject_type.model_class()
    assert model is not None
    subject: Any = model._default_manager.get(pk=case.subject_id)
    if subject.status == pending:
        raise Refused(undecided)
    case_services.case_mark_closed(case_id=case.pk, agent=agent)
    return subject


@transaction.atomic
def bank_details_change_decide(
    *, change_id: int, agent: User, approve: bool, reason: str = ""
) -> BankDetailsChange:
    """SIT9: the agent who holds the case approves the new IBAN, having checked it and its
    holder against the RIB (not before the cooling-off delay), or refuses it with a reason the
    insured reads. Approval puts the new IBAN on the Person, where payments go from then on;
    either way the case is closed and the insured told (SIT10)."""
    change = BankDetailsChange.objects.select_for_update().get(pk=change_id)
    case = _held_case(subject=change, agent=agent)
    if change.status != BankDetailsChangeStatus.PENDING:
        raise Refused(rules.NOT_PENDING)
    if change.requested_by_id == agent.pk:  # SIT11: recorded by one agent, checked by another
        raise Refused(rules.SAME_AGENT)
    now = clock.now()
    reason = normalize_text(reason)
    if approve:
        refusal = rules.cooling_off_refusal(requested_at=change.requested_at, now=now)
        if refusal is not None:
            raise Refused(refusal)
        Person.objects.filter(pk=change.person_id).update(iban=change.iban)
        target = BankDetailsChangeStatus.APPROVED
    else:
        if not reason:
            raise Refused(rules.REASON_REQUIRED)
        validate_no_control_characters(reason)
        target = BankDetailsChangeStatus.REJECTED
    rules.BANK_CHANGE_MACHINE.move(
        change,
        target,
        by=agent,
        note=reason[:300],
        decided_at=now,
        decided_by=agent,
        rejection_reason="" if approve else reason,
    )
    change.refresh_from_db()
    case_services.case_mark_closed(case_id=case.pk, agent=agent)
    if not approve:  # a refused RIB is of no more use: not kept (cards-uploads-and-files.md)
        transaction.on_commit(partial(change.rib.storage.delete, str(change.rib.name)))
        BankDetailsChange.objects.filter(pk=change.pk).update(rib="")
    if approve:
        notifications.bank_change_approved(change=change)
    else:
        notifications.bank_change_rejected(change=change)
    return change


def bank_details_change_case_close(*, case: Case, agent: User) -> BankDetailsChange:
    """The closer of a bank-details change's case (registered in SituationConfig.ready() for
    `cases.services.case_close`): the case closes with the agent's decision only (SIT9)."""
    return _case_close_after_decision(
        case=case,
        agent=agent,
        pending=BankDetailsChangeStatus.PENDING,
        undecided=rules.DECIDE_FIRST,
    )


USAGE_NAME_PROOF_UNSUPPORTED = (
    "Le justificatif doit être un fichier PDF, JPEG ou PNG (le contenu du fichier ne correspond "
    "pas à ces formats)."
)
USAGE_NAME_MAX_LENGTH = 100


def usage_name_change_refusal(*, person: Person) -> Refusal | None:
    """Whether a new usage name may be asked now (SIT14: one pending at a time), shown before
    the form too."""
    if UsageNameChange.objects.filter(person=person, status=UsageNameChangeStatus.PENDING).exists():
        return rules.USAGE_NAME_PENDING
    return None


def _checked_usage_name(*, person: Person, usage_name: str, proof_kind: str) -> str:
    """SIT12 and SIT13 on the typed fields: ValidationError by field, or Refused."""
    usage_name = normalize_text(usage_name)
    errors = _field_errors(
        {"usage_name": (usage_name, (validate_no_control_characters, validate_person_name))}
    )
    if "usage_name" not in errors:
        if not usage_name:
            errors["usage_name"] = ["Saisissez votre nouveau nom d'usage."]
        elif len(usage_name) > USAGE_NAME_MAX_LENGTH:
            errors["usage_name"] = [
                f"Le nom d'usage ne doit pas dépasser {USAGE_NAME_MAX_LENGTH} caractères."
            ]
    if proof_kind not in UsageNameProof.values:
        errors["proof_kind"] = ["Choisissez le justificatif que vous joignez."]
    if errors:
        raise ValidationError(errors)
    if rules.usage_name_is_current(person=person, usage_name=usage_name):
        raise Refused(rules.SAME_USAGE_NAME)
    return usage_name


@transaction.atomic
def usage_name_change_request(
    *, user: User, usage_name: str, proof_kind: str, proof: UploadedFile
) -> UsageNameChange:
    """« Changement de nom d'usage »: the account's person asks for a new usage name, with the
    civil-status document that gives the right to it, checked by the back office.

    In this order: one pending at a time (SIT14); the name, a civil-status name (SIT12: the
    reference data's validator, not the one already on file); the proof's kind and file (SIT13:
    PDF, JPEG or PNG, cleaned like the RIB, raises UploadRejected). Then a case for the back
    office of the person's fund (SIT14); the Person keeps the name on file until an agent
    approves; the person is told by notification and email (SIT16)."""
    assert user.person_id is not None
    # Locks the person's row: two requests at once are one after the other (SIT14).
    person = Person.objects.select_for_update().select_related("family").get(pk=user.person_id)
    refusal = usage_name_change_refusal(person=person)
    if refusal is not None:
        raise Refused(refusal)
    usage_name = _checked_usage_name(person=person, usage_name=usage_name, proof_kind=proof_kind)
    clean = clean_image_or_pdf(
        proof, images=frozenset({JPEG, PNG}), unsupported=USAGE_NAME_PROOF_UNSUPPORTED
    )
    change = UsageNameChange(
        person=person,
        requested_by=user,
        usage_name=usage_name,
        previous_usage_name=person.usage_name,
        proof_kind=proof_kind,
        proof_content_type=clean.content_type,
    )
    change.proof.save(f"justificatif.{clean.extension}", ContentFile(clean.content), save=False)
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as error:  # SIT14: another request was saved at the same instant
        change.proof.delete(save=False)
        raise Refused(rules.USAGE_NAME_PENDING) from error
    rules.USAGE_NAME_MACHINE.record(
        change, source="", target=UsageNameChangeStatus.PENDING, by=user
    )
    case_services.case_open(
        kind=CaseKind.USAGE_NAME_CHANGE,
        subject=change,
        fund=person.family.fund,
        insured=person,
        actor=user,
    )
    notifications.usage_name_requested(change=change)
    return change


@transaction.atomic
def usage_name_change_decide(
    *, change_id: int, agent: User, approve: bool, reason: str = ""
) -> UsageNameChange:
    """SIT14: the agent who holds the case approves the usage name, having checked it against
    the proof, or refuses it with a reason the person reads. Approval puts it on the Person (a
    return to the birth name clears the usage name) and keeps on the person's active cards the
    name they print (SIT15: their visual is then outdated, so that « Commander une nouvelle
    carte Vitale » offers the change of name, V2). Either way the case is closed and the person
    told (SIT16)."""
    change = UsageNameChange.objects.select_for_update().select_related("person").get(pk=change_id)
    case = _held_case(subject=change, agent=agent)
    if change.status != UsageNameChangeStatus.PENDING:
        raise Refused(rules.USAGE_NAME_NOT_PENDING)
    reason = normalize_text(reason)
    if approve:
        person = change.person
        printed = person.card_name
        Card.objects.filter(person=person, status=CardStatus.ACTIVE, printed_name="").update(
            printed_name=printed
        )
        returns_to_birth_name = rules.usage_name_is_birth_name(
            person=person, usage_name=change.usage_name
        )
        person.usage_name = "" if returns_to_birth_name else change.usage_name
        person.save(update_fields=["usage_name"])
        target = UsageNameChangeStatus.APPROVED
    else:
        if not reason:
            raise Refused(rules.REASON_REQUIRED)
        validate_no_control_characters(reason)
        target = UsageNameChangeStatus.REJECTED
    rules.USAGE_NAME_MACHINE.move(
        change,
        target,
        by=agent,
        note=reason[:300],
        decided_at=clock.now(),
        decided_by=agent,
        rejection_reason="" if approve else reason,
    )
    change.refresh_from_db()
    case_services.case_mark_closed(case_id=case.pk, agent=agent)
    if not approve:  # a refused proof is of no more use: not kept (cards-uploads-and-files.md)
        transaction.on_commit(partial(change.proof.storage.delete, str(change.proof.name)))
        UsageNameChange.objects.filter(pk=change.pk).update(proof="")
        notifications.usage_name_rejected(change=change)
    else:
        notifications.usage_name_approved(change=change)
    return change


def usage_name_change_case_close(*, case: Case, agent: User) -> UsageNameChange:
    """The closer of a usage-name change's case (registered in SituationConfig.ready() for
    `cases.services.case_close`): the case closes with the agent's decision only (SIT14)."""
    return _case_close_after_decision(
        case=case,
        agent=agent,
        pending=UsageNameChangeStatus.PENDING,
        undecided=rules.USAGE_NAME_DECIDE_FIRST,
    )


BIRTH_CERTIFICATE_UNSUPPORTED = (
    "L'acte de naissance doit être un fichier PDF, JPEG ou PNG (le contenu du fichier ne "
    "correspond pas à ces formats)."
)
NAME_MAX_LENGTH = 100
FIRST_NAMES_MAX_LENGTH = 150


def _newborn_fields(
    *, last_name: str, first_names: str, gender: str, birth_date: dt.date | None
) -> tuple[str, str]:
    """SIT17 on the typed fields: ValidationError by field."""
    last_name, first_names = normalize_text(last_name), normalize_text(first_names)
    name = (validate_no_control_characters, validate_person_name)
    errors = _field_errors({"last_name": (last_name, name), "first_names": (first_names, name)})
    for field, value, limit, missing in (
        ("last_name", last_name, NAME_MAX_LENGTH, "Saisissez le nom de l'enfant."),
        ("first_names", first_names, FIRST_NAMES_MAX_LENGTH, "Saisissez le prénom de l'enfant."),
    ):
        if field in errors:
            continue
        if not value:
            errors[field] = [missing]
        elif len(value) > limit:
            errors[field] = [f"Ce champ ne doit pas dépasser {limit} caractères."]
    if gender not in Gender.values:
        errors["gender"] = ["Indiquez le sexe de l'enfant."]
    if birth_date is None:
        errors["birth_date"] = ["Saisissez la date de naissance de l'enfant."]
    else:
        birth_errors = rules.newborn_birth_date_errors(birth_date=birth_date, today=clock.today())
        if birth_errors:
            errors["birth_date"] = birth_errors
    if errors:
        raise ValidationError(errors)
    return last_name, first_names


@transaction.atomic
def newborn_declare(
    *,
    user: User,
    last_name: str,
    first_names: str,
    gender: str,
    birth_date: dt.date | None,
    birth_certificate: UploadedFile,
) -> NewbornDeclaration:
    """« Déclaration du nouveau-né »: the account's person declares their child, with the
    birth certificate.

    SIT17: the names are civil-status names, the sex one of the list, the child born and within
    NEWBORN_DECLARATION_MONTHS; the parent has open rights today, and no member of the family
    has these first names and this birth date. SIT18: the birth certificate, PDF, JPEG or PNG,
    cleaned like the RIB (raises UploadRejected). SIT19: the child joins the family at once, as
    a dependant of the family's rights period, with a provisional NIR status (so that A4 refuses
    the family's attestation until the NIR is certified). SIT20: a case for the back office of
    the family's fund. SIT21: the parent is told by notification and email. SIT28: the
    family's quota of declarations online."""
    assert user.person_id is not None
    parent = Person.objects.select_for_update().select_related("family").get(pk=user.person_id)
    last_name, first_names = _newborn_fields(
        last_name=last_name, first_names=first_names, gender=gender, birth_date=birth_date
    )
    assert birth_date is not None
    today = clock.today()
    period = (
        reference_selectors.open_rights_periods(person_ids=[parent.pk], day=today)
        .order_by("-start_date")
        .first()
    )
    if period is None:
        raise Refused(rules.NEWBORN_NO_RIGHTS)
    # SIT28, counted under the family's row lock: the two parents of a family cannot both pass.
    list(Family.objects.select_for_update().filter(pk=parent.family_id).values_list("pk"))
    declared = NewbornDeclaration.objects.filter(parent__family_id=parent.family_id)
    refuse(
        rules.newborn_quota_refusal(
            pending=declared.filter(status=NewbornDeclarationStatus.PENDING).count(),
            this_year=declared.filter(
                requested_at__gte=clock.now() - dt.timedelta(days=rules.NEWBORN_YEARLY_DAYS)
            ).count(),
        )
    )
    family = reference_selectors.family_members(family_id=parent.family_id)
    wanted = rules.name_words(first_names)
    if any(
        m.birth_date == birth_date and rules.name_words(m.first_names) == wanted for m in family
    ):
        raise Refused(rules.NEWBORN_ALREADY_DECLARED)
    clean = clean_image_or_pdf(
        birth_certificate,
        images=frozenset({JPEG, PNG}),
        unsupported=BIRTH_CERTIFICATE_UNSUPPORTED,
    )
    child = Person.objects.create(
        family=parent.family,
        role=FamilyRole.DEPENDANT,
        relationship=Relationship.CHILD,
        nir=None,
        nir_status=NirStatus.PROVISIONAL,
        civility=Civility.MR if gender == Gender.MALE else Civility.MRS,
        gender=gender,
        last_name=last_name,
        first_names=first_names,
        birth_date=birth_date,
        address_line1=parent.address_line1,
        address_line2=parent.address_line2,
        postal_code=parent.postal_code,
        city=parent.city,
    )
    RightsPeriod.objects.create(
        person=child, scheme=period.scheme, start_date=birth_date, end_date=period.end_date
    )
    declaration = NewbornDeclaration(
        declared_by=user,
        parent=parent,
        child=child,
        last_name=last_name,
        first_names=first_names,
        gender=gender,
        birth_date=birth_date,
        birth_certificate_content_type=clean.content_type,
    )
    declaration.birth_certificate.save(
        f"acte.{clean.extension}", ContentFile(clean.content), save=False
    )
    declaration.save()
    rules.NEWBORN_MACHINE.record(
        declaration, source="", target=NewbornDeclarationStatus.PENDING, by=user
    )
    case_services.case_open(
        kind=CaseKind.NEWBORN_DECLARATION,
        subject=declaration,
        fund=parent.family.fund,
        insured=parent,
        actor=user,
    )
    notifications.newborn_declared(declaration=declaration)
    return declaration


@transaction.atomic
def newborn_decide(
    *, declaration_id: int, agent: User, certify: bool, nir: str = "", reason: str = ""
) -> NewbornDeclaration:
    """SIT20: the agent who holds the case, having checked the birth certificate, types the
    child's NIR given by the Insee (a valid key, the child's sex, year and month of birth, no
    one else's): the child's NIR is then certified, which ends the A4 block of the family's
    attestation. Or refuses with a reason the parent reads: the child, declared by mistake,
    leaves the family. Either way the case is closed and the parent told (SIT21)."""
    declaration = NewbornDeclaration.objects.select_for_update().get(pk=declaration_id)
    case = _held_case(subject=declaration, agent=agent)
    if declaration.status != NewbornDeclarationStatus.PENDING:
        raise Refused(rules.NEWBORN_NOT_PENDING)
    reason = normalize_text(reason)
    child_id = declaration.child_id
    if child_id is None:  # the child's record was removed from the family meanwhile
        raise Refused(rules.NEWBORN_NOT_PENDING)
    if certify:
        nir = normalize_nir(nir)
        if not nir:
            raise Refused(rules.NIR_REQUIRED)
        try:
            validate_nir(nir)
        except ValidationError as invalid:
            raise Refused(Refusal("nir_invalid", invalid.messages[0], field="nir")) from None
        if not rules.nir_matches_child(
            nir=nir, gender=declaration.gender, birth_date=declaration.birth_date
        ):
            raise Refused(rules.NIR_NOT_THE_CHILDS)
        if Person.objects.filter(nir=nir).exclude(pk=child_id).exists():
            raise Refused(rules.NIR_TAKEN)
        Person.objects.filter(pk=child_id).update(nir=nir, nir_status=NirStatus.CERTIFIED)
        target = NewbornDeclarationStatus.CERTIFIED
    else:
        if not reason:
            raise Refused(rules.REASON_REQUIRED)
        validate_no_control_characters(reason)
        target = NewbornDeclarationStatus.REJECTED
    rules.NEWBORN_MACHINE.move(
        declaration,
        target,
        by=agent,
        note=reason[:300],
        decided_at=clock.now(),
        decided_by=agent,
        rejection_reason="" if certify else reason,
    )
    case_services.case_mark_closed(case_id=case.pk, agent=agent)
    if not certify:
        Person.objects.filter(pk=child_id).delete()
        name = str(declaration.birth_certificate.name)
        transaction.on_commit(partial(declaration.birth_certificate.storage.delete, name))
        NewbornDeclaration.objects.filter(pk=declaration.pk).update(birth_certificate="")
    declaration.refresh_from_db()
    if certify:
        notifications.newborn_certified(declaration=declaration)
    else:
        notifications.newborn_rejected(declaration=declaration)
    return declaration


def newborn_declaration_case_close(*, case: Case, agent: User) -> NewbornDeclaration:
    """The closer of a newborn declaration's case: it closes with the decision only (SIT20)."""
    return _case_close_after_decision(
        case=case,
        agent=agent,
        pending=NewbornDeclarationStatus.PENDING,
        undecided=rules.NEWBORN_DECIDE_FIRST,
    )


def other_parent_children(*, person: Person) -> list[Person]:
    """The children of the person's family who may be registered on their other parent's card
    (SIT22: the person a parent of the family, the child under TWO_PARENTS_MAX_AGE), with their
    attachment if any; empty when the person is no parent of the family's children."""
    if person.relationship not in (Relationship.SELF, Relationship.SPOUSE):
        return []
    today = clock.today()
    return [
        child
        for child in Person.objects.filter(
            family_id=person.family_id, relationship=Relationship.CHILD
        ).select_related("second_parent_attachment__parent")
        if child.age_on(today) < rules.TWO_PARENTS_MAX_AGE
    ]


def _other_parent_found(
    *, person: Person, nir: str, last_name: str, birth_date: dt.date | None
) -> Person:
    """SIT23: the other parent, matched in the records on all of NIR, name and birth date."""
    nir, last_name = normalize_nir(nir), normalize_text(last_name)
    errors: dict[str, list[str]] = {}
    if not nir:
        errors["nir"] = ["Saisissez le numéro de sécurité sociale de l'autre parent."]
    else:
        try:
            validate_nir(nir)
        except ValidationError as invalid:
            errors["nir"] = invalid.messages
    name_errors = _field_errors(
        {"last_name": (last_name, (validate_no_control_characters, validate_person_name))}
    )
    errors.update(name_errors)
    if not last_name and "last_name" not in errors:
        errors["last_name"] = ["Saisissez le nom de l'autre parent."]
    if birth_date is None:
        errors["birth_date"] = ["Saisissez la date de naissance de l'autre parent."]
    if errors:
        raise ValidationError(errors)
    assert birth_date is not None
    if nir == person.nir:
        raise Refused(rules.OTHER_PARENT_IS_YOU)
    candidate = Person.objects.select_related("family__fund").filter(nir=nir).first()
    if (
        candidate is None
        or not candidate.is_rights_opener
        or not rules.other_parent_matches(
            candidate=candidate, last_name=last_name, birth_date=birth_date
        )
    ):
        raise Refused(rules.OTHER_PARENT_NOT_FOUND)
    if candidate.family_id == person.family_id:
        raise Refused(rules.OTHER_PARENT_SAME_FAMILY)
    if not reference_selectors.open_rights_periods(
        person_ids=[candidate.pk], day=clock.today()
    ).exists():
        raise Refused(rules.OTHER_PARENT_NO_RIGHTS)
    return candidate


@transaction.atomic
def other_parent_registration_request(
    *,
    user: User,
    child_id: int | None,
    nir: str,
    last_name: str,
    birth_date: dt.date | None,
    proof: UploadedFile,
) -> OtherParentRegistration:
    """« Inscrire votre enfant sur la carte Vitale de l'autre parent »: a parent asks that a
    child of their family be attached to the other parent's family too.

    In this order: the child, a child of the family the person is a parent of, under
    TWO_PARENTS_MAX_AGE, their NIR certified, not already attached nor asked for (SIT22); the
    other parent, found in the records by NIR, name and birth date all together, an insured
    opening rights in another family, with open rights (SIT23: one message whatever does not
    match); the proof, a birth certificate or « livret de famille » naming both parents, cleaned
    like the RIB (SIT24, raises UploadRejected). Then a case for the back office of the other
    parent's fund, whose records change (SIT25); the person is told (SIT26)."""
    assert user.person_id is not None
    person = Person.objects.select_for_update().select_related("family").get(pk=user.person_id)
    if person.relationship not in (Relationship.SELF, Relationship.SPOUSE):
        raise Refused(rules.NOT_A_PARENT)
    child = (
        Person.objects.select_for_update()
        .filter(pk=child_id, family_id=person.family_id, relationship=Relationship.CHILD)
        .first()
        if child_id is not None
        else None
    )
    if child is None:
        raise Refused(rules.CHILD_NOT_FOUND)
    refusal = rules.two_parents_child_refusal(child=child, today=clock.today())
    if refusal is not None:
        raise Refused(refusal)
    if OtherParentRegistration.objects.filter(
        child=child, status=OtherParentRegistrationStatus.PENDING
    ).exists():
        raise Refused(rules.OTHER_PARENT_PENDING)
    other_parent = _other_parent_found(
        person=person, nir=nir, last_name=last_name, birth_date=birth_date
    )
    clean = clean_image_or_pdf(
        proof, images=frozenset({JPEG, PNG}), unsupported=rules.PARENTS_PROOF_UNSUPPORTED
    )
    registration = OtherParentRegistration(
        person=person,
        requested_by=user,
        child=child,
        other_parent=other_parent,
        proof_content_type=clean.content_type,
    )
    registration.proof.save(f"acte.{clean.extension}", ContentFile(clean.content), save=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # SIT22: another request was saved at the same instant
        registration.proof.delete(save=False)
        raise Refused(rules.OTHER_PARENT_PENDING) from error
    rules.OTHER_PARENT_MACHINE.record(
        registration, source="", target=OtherParentRegistrationStatus.PENDING, by=user
    )
    case_services.case_open(
        kind=CaseKind.OTHER_PARENT_REGISTRATION,
        subject=registration,
        fund=other_parent.family.fund,
        insured=other_parent,
        actor=user,
    )
    notifications.other_parent_requested(registration=registration)
    return registration


@transaction.atomic
def other_parent_registration_decide(
    *, registration_id: int, agent: User, approve: bool, reason: str = ""
) -> OtherParentRegistration:
    """SIT25: the agent of the other parent's fund who holds the case, having checked that the
    proof names the child and both parents, attaches the child to the other parent's family
    (`reference.SecondParentAttachment`: the child is then a beneficiary of both families), or
    refuses with a reason the parent reads (the proof is then deleted). Either way the case is
    closed; the parent is told, and on approval the other parent too (SIT26)."""
    registration = (
        OtherParentRegistration.objects.select_for_update()
        .select_related("child", "other_parent")
        .get(pk=registration_id)
    )
    case = _held_case(subject=registration, agent=agent)
    if registration.status != OtherParentRegistrationStatus.PENDING:
        raise Refused(rules.OTHER_PARENT_NOT_PENDING)
    reason = normalize_text(reason)
    if approve:
        if hasattr(registration.child, "second_parent_attachment"):
            raise Refused(rules.CHILD_ALREADY_ATTACHED)
        SecondParentAttachment.objects.create(
            child=registration.child,
            family_id=registration.other_parent.family_id,
            parent=registration.other_parent,
            start_date=clock.today(),
        )
        target = OtherParentRegistrationStatus.APPROVED
    else:
        if not reason:
            raise Refused(rules.REASON_REQUIRED)
        validate_no_control_characters(reason)
        target = OtherParentRegistrationStatus.REJECTED
    rules.OTHER_PARENT_MACHINE.move(
        registration,
        target,
        by=agent,
        note=reason[:300],
        decided_at=clock.now(),
        decided_by=agent,
        rejection_reason="" if approve else reason,
    )
    case_services.case_mark_closed(case_id=case.pk, agent=agent)
    if approve:
        notifications.other_parent_approved(registration=registration)
    else:
        _proof_forget(registration, "proof")
        notifications.other_parent_rejected(registration=registration)
    return registration


def other_parent_registration_case_close(*, case: Case, agent: User) -> OtherParentRegistration:
    """The closer of a registration's case: it closes with the decision only (SIT25)."""
    return _case_close_after_decision(
        case=case,
        agent=agent,
        pending=OtherParentRegistrationStatus.PENDING,
        undecided=rules.OTHER_PARENT_DECIDE_FIRST,
    )


def _proof_forget(request: BackOfficeRequest, field: str) -> None:
    """A refused or withdrawn request's document is of no more use: not kept
    (cards-uploads-and-files.md), deleted from the storage once the transaction commits."""
    stored = getattr(request, field)
    if stored:
        transaction.on_commit(partial(stored.storage.delete, str(stored.name)))
        type(request)._default_manager.filter(pk=request.pk).update(**{field: ""})


@dataclass(frozen=True)
class _Withdrawable:
    model: type[BackOfficeRequest]
    machine: Any
    pending: str
    withdrawn: str
    document: str


def _newborn_child_leaves(declaration: NewbornDeclaration) -> None:
    """A newborn's declaration withdrawn: the child, declared by mistake, leaves the family
    (as on a refusal, SIT20); the provisional NIR no longer blocks the attestation (A4)."""
    if declaration.child_id is not None:
        Person.objects.filter(pk=declaration.child_id).delete()


WITHDRAWABLE: dict[str, _Withdrawable] = {
    WithdrawableKind.BANK_DETAILS: _Withdrawable(
        BankDetailsChange,
        rules.BANK_CHANGE_MACHINE,
        BankDetailsChangeStatus.PENDING,
        BankDetailsChangeStatus.WITHDRAWN,
        "rib",
    ),
    WithdrawableKind.USAGE_NAME: _Withdrawable(
        UsageNameChange,
        rules.USAGE_NAME_MACHINE,
        UsageNameChangeStatus.PENDING,
        UsageNameChangeStatus.WITHDRAWN,
        "proof",
    ),
    WithdrawableKind.NEWBORN: _Withdrawable(
        NewbornDeclaration,
        rules.NEWBORN_MACHINE,
        NewbornDeclarationStatus.PENDING,
        NewbornDeclarationStatus.WITHDRAWN,
        "birth_certificate",
    ),
    WithdrawableKind.OTHER_PARENT: _Withdrawable(
        OtherParentRegistration,
        rules.OTHER_PARENT_MACHINE,
        OtherParentRegistrationStatus.PENDING,
        OtherParentRegistrationStatus.WITHDRAWN,
        "proof",
    ),
}


def withdrawable_request(*, user: User, kind: str, request_id: int) -> BackOfficeRequest:
    """The request of `kind` that is the account's person's (SIT27), whatever its status
    (the confirmation page); Refused(REQUEST_NOT_FOUND) for an unknown kind or anyone else's."""
    spec = WITHDRAWABLE.get(kind)
    if spec is None or user.person_id is None:
        raise Refused(rules.REQUEST_NOT_FOUND)
    found = spec.model._default_manager.filter(
        pk=request_id, **{spec.model.applicant_field: user.person_id}
    ).first()
    if found is None:
        raise Refused(rules.REQUEST_NOT_FOUND)
    return found


@transaction.atomic
def situation_request_withdraw(*, user: User, kind: str, request_id: int) -> BackOfficeRequest:
    """« Annuler ma demande » (SIT27), the one service of the web page and the API for every
    situation request that waits for the back office (bank details, usage name, newborn, the
    other parent's card): only the person whose request it is, only while it waits. The
    request's row is locked first (a decision at the same instant waits, then finds it
    withdrawn, or the reverse), moved to « annulée » with its log row, its case closed
    wherever it is in the queue, its document deleted; a withdrawn newborn leaves the family.
    The person is told in the account and by email."""
    spec = WITHDRAWABLE.get(kind)
    found = withdrawable_request(user=user, kind=kind, request_id=request_id)
    assert spec is not None
    request = spec.model._default_manager.select_for_update().get(pk=found.pk)
    if request.status != spec.pending:  # type: ignore[attr-defined]
        raise Refused(rules.NOT_WITHDRAWABLE)
    spec.machine.move(request, spec.withdrawn, by=user, note="Annulée en ligne par l'assuré.")
    case_services.case_close_withdrawn(subject=request, by=user)
    _proof_forget(request, spec.document)
    if isinstance(request, NewbornDeclaration):
        _newborn_child_leaves(request)
    request.refresh_from_db()
    notifications.request_withdrawn(request=request, kind=WithdrawableKind(kind))
    return request
