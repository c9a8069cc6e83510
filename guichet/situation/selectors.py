"""Reads of « Déclarer un changement de situation »."""

from guichet.accounts.models import User
from guichet.cases.enums import CaseKind
from guichet.cases.models import Case
from guichet.core.http import StoredFile
from guichet.reference.models import Person
from guichet.situation.models import (
    BankDetailsChange,
    NewbornDeclaration,
    OtherParentRegistration,
    UsageNameChange,
)


def latest_bank_change(*, person: Person) -> BankDetailsChange | None:
    """The insured's last bank-details change, whatever its status (the démarche's page)."""
    return BankDetailsChange.objects.filter(person=person).first()


def bank_change_for_case(*, case: Case) -> BankDetailsChange | None:
    """The change a case of the agent's queue is about (the case already scoped to the agent)."""
    if case.kind != CaseKind.BANK_DETAILS_CHANGE:
        return None
    return (
        BankDetailsChange.objects.select_related("person", "decided_by")
        .filter(pk=case.subject_id)
        .first()
    )


def bank_change_rib(*, case: Case, agent: User) -> StoredFile | None:
    """The RIB of a case's change, for the back-office agent whose fund's queue holds the case
    (the caller got the case through cases.selectors.case_for_agent); None: nothing to serve."""
    change = bank_change_for_case(case=case)
    if change is None or not change.rib or not agent.is_agent:
        return None
    extension = change.rib.name.rsplit(".", 1)[-1]
    return StoredFile(change.rib, change.rib_content_type, f"rib-affaire-{case.pk}.{extension}")


def latest_usage_name_change(*, person: Person) -> UsageNameChange | None:
    """The person's last usage-name change, whatever its status (the démarche's page)."""
    return UsageNameChange.objects.filter(person=person).first()


def usage_name_change_for_case(*, case: Case) -> UsageNameChange | None:
    """The change a case of the agent's queue is about (the case already scoped to the agent)."""
    if case.kind != CaseKind.USAGE_NAME_CHANGE:
        return None
    return (
        UsageNameChange.objects.select_related("person", "decided_by")
        .filter(pk=case.subject_id)
        .first()
    )


def usage_name_proof(*, case: Case, agent: User) -> StoredFile | None:
    """The proof of a case's usage-name change, for the back-office agent whose fund's queue
    holds the case (SIT13; the caller got the case through cases.selectors.case_for_agent)."""
    change = usage_name_change_for_case(case=case)
    if change is None or not change.proof or not agent.is_agent:
        return None
    extension = change.proof.name.rsplit(".", 1)[-1]
    return StoredFile(
        change.proof, change.proof_content_type, f"justificatif-affaire-{case.pk}.{extension}"
    )


def newborn_declarations(*, person: Person) -> list[NewbornDeclaration]:
    """The children a person declared, the latest first (the démarche's page, one query)."""
    return list(NewbornDeclaration.objects.filter(parent=person))


def newborn_for_case(*, case: Case) -> NewbornDeclaration | None:
    """The declaration a case of the agent's queue is about (the case already scoped)."""
    if case.kind != CaseKind.NEWBORN_DECLARATION:
        return None
    return (
        NewbornDeclaration.objects.select_related("parent", "decided_by", "child")
        .filter(pk=case.subject_id)
        .first()
    )


def newborn_birth_certificate(*, case: Case, agent: User) -> StoredFile | None:
    """The birth certificate of a case's declaration, for the fund's back office (SIT18)."""
    declaration = newborn_for_case(case=case)
    if declaration is None or not declaration.birth_certificate or not agent.is_agent:
        return None
    extension = declaration.birth_certificate.name.rsplit(".", 1)[-1]
    return StoredFile(
        declaration.birth_certificate,
        declaration.birth_certificate_content_type,
        f"acte-naissance-affaire-{case.pk}.{extension}",
    )


def other_parent_registrations(*, person: Person) -> list[OtherParentRegistration]:
    """The registrations on the other parent's card a person asked, latest first (one query)."""
    return list(
        OtherParentRegistration.objects.filter(person=person).select_related(
            "child", "other_parent"
        )
    )


def other_parent_registration_for_case(*, case: Case) -> OtherParentRegistration | None:
    """The registration a case of the agent's queue is about (the case already scoped)."""
    if case.kind != CaseKind.OTHER_PARENT_REGISTRATION:
        return None
    return (
        OtherParentRegistration.objects.select_related(
            "person", "child", "other_parent__family__fund", "decided_by"
        )
        .filter(pk=case.subject_id)
        .first()
    )


def other_parent_proof(*, case: Case, agent: User) -> StoredFile | None:
    """The proof of a case's registration, for the other parent's fund's back office (SIT24)."""
    registration = other_parent_registration_for_case(case=case)
    if registration is None or not registration.proof or not agent.is_agent:
        return None
    extension = registration.proof.name.rsplit(".", 1)[-1]
    return StoredFile(
        registration.proof,
        registration.proof_content_type,
        f"justificatif-affaire-{case.pk}.{extension}",
    )
