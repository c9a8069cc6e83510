"""Notices in the account and emails through the outbox (SIT2, SIT10, SIT16, SIT21, SIT26,
SIT27).

An email names no IBAN in full and no postal address line: the new IBAN is masked
(« FR76 •••• … 12 345 »), the address is given by its postal code and commune only; each says
what to do if the change was not asked by the person (docs/decisions/situation-bank-details.md).
"""

from guichet.accounts.models import User
from guichet.core import clock
from guichet.core.masking import mask_iban
from guichet.notifications.links import web_path, web_url
from guichet.notifications.services import account_email_queue, notification_post
from guichet.reference.models import Person
from guichet.situation.enums import WithdrawableKind
from guichet.situation.models import (
    BackOfficeRequest,
    BankDetailsChange,
    NewbornDeclaration,
    OtherParentRegistration,
    UsageNameChange,
)

ADDRESS_URL_NAME = "web:situation_address"
BANK_URL_NAME = "web:situation_bank_details"
ADDRESS_SUBJECT = "Votre adresse postale a été modifiée"
BANK_REQUESTED_SUBJECT = "Votre demande de changement de coordonnées bancaires"
BANK_APPROVED_SUBJECT = "Vos nouvelles coordonnées bancaires sont enregistrées"
BANK_REJECTED_SUBJECT = "Votre demande de changement de coordonnées bancaires est refusée"
USAGE_NAME_URL_NAME = "web:situation_usage_name"
CARD_ORDER_URL_NAME = "web:card_order_start"
NEWBORN_URL_NAME = "web:situation_newborn"
NEWBORN_DECLARED_SUBJECT = "Votre déclaration de nouveau-né"
NEWBORN_CERTIFIED_SUBJECT = "Le numéro de sécurité sociale de votre enfant est certifié"
NEWBORN_REJECTED_SUBJECT = "Votre déclaration de nouveau-né est refusée"
USAGE_NAME_REQUESTED_SUBJECT = "Votre demande de changement de nom d'usage"
USAGE_NAME_APPROVED_SUBJECT = "Votre nom d'usage est enregistré"
USAGE_NAME_REJECTED_SUBJECT = "Votre demande de changement de nom d'usage est refusée"


def address_changed(*, user: User, person: Person) -> None:
    where = f"{person.postal_code} {person.city}"
    notification_post(
        recipient=user,
        title="Adresse postale modifiée",
        body=f"Votre nouvelle adresse postale ({where}) est enregistrée.",
        link_url=web_path("web:information"),
        link_label="Voir mes informations",
    )
    account_email_queue(
        recipient=user,
        subject=ADDRESS_SUBJECT,
        template="emails/address_changed",
        context={
            "where": where,
            "changed_on": clock.now().astimezone(clock.PARIS),
            "url": web_url(ADDRESS_URL_NAME),
        },
        category="address_changed",
    )


def _account(change: BankDetailsChange) -> User | None:
    """The insured's online account: who asked online, or, for a change recorded at the front
    desk (SIT11), the person's account if they have one."""
    if not change.requested_by.is_agent:
        return change.requested_by
    return User.objects.filter(person_id=change.person_id).first()


def _bank(change: BankDetailsChange, *, title: str, body: str, subject: str, template: str) -> None:
    account = _account(change)
    if account is None:  # no online account: the fund's letter is outside this project
        return
    notification_post(
        recipient=account,
        title=title,
        body=body,
        link_url=web_path(BANK_URL_NAME),
        link_label="Mes coordonnées bancaires",
        about=change,
    )
    account_email_queue(
        recipient=account,
        subject=subject,
        template=f"emails/{template}",
        context={
            "new_iban": mask_iban(change.iban),
            "previous_iban": mask_iban(change.previous_iban) if change.previous_iban else "",
            "requested_on": change.requested_at.astimezone(clock.PARIS),
            "reason": change.rejection_reason,
            "url": web_url(BANK_URL_NAME),
        },
        category=template,
    )


def bank_change_requested(*, change: BankDetailsChange) -> None:
    _bank(
        change,
        title="Changement de coordonnées bancaires demandé",
        body=(
            f"Votre demande (nouvel IBAN {mask_iban(change.iban)}) est en cours de "
            "vérification par votre caisse. Vos remboursements restent versés sur votre compte "
            "actuel jusqu'à sa validation."
        ),
        subject=BANK_REQUESTED_SUBJECT,
        template="bank_change_requested",
    )


def bank_change_approved(*, change: BankDetailsChange) -> None:
    _bank(
        change,
        title="Nouvelles coordonnées bancaires enregistrées",
        body=(
            f"Votre nouvel IBAN {mask_iban(change.iban)} est validé : vos prochains "
            "remboursements y seront versés."
        ),
        subject=BANK_APPROVED_SUBJECT,
        template="bank_change_approved",
    )


def bank_change_rejected(*, change: BankDetailsChange) -> None:
    _bank(
        change,
        title="Changement de coordonnées bancaires refusé",
        body=(
            "Votre demande de changement de coordonnées bancaires n'a pas pu être acceptée : "
            f"{change.rejection_reason} Vos remboursements restent versés sur votre compte "
            "actuel."
        ),
        subject=BANK_REJECTED_SUBJECT,
        template="bank_change_rejected",
    )


def _usage_name(
    change: UsageNameChange, *, title: str, body: str, subject: str, template: str
) -> None:
    """SIT16: the person who asked, in their account and by email; after approval the link
    is « Commander une nouvelle carte Vitale » (SIT15, V2)."""
    approved = template == "usage_name_approved"
    link_name = CARD_ORDER_URL_NAME if approved else USAGE_NAME_URL_NAME
    notification_post(
        recipient=change.requested_by,
        title=title,
        body=body,
        link_url=web_path(link_name),
        link_label="Commander une nouvelle carte Vitale" if approved else "Mon nom d'usage",
    )
    account_email_queue(
        recipient=change.requested_by,
        subject=subject,
        template=f"emails/{template}",
        context={
            "usage_name": change.usage_name,
            "proof": change.get_proof_kind_display(),
            "requested_on": change.requested_at.astimezone(clock.PARIS),
            "reason": change.rejection_reason,
            "url": web_url(USAGE_NAME_URL_NAME),
            "card_url": web_url(CARD_ORDER_URL_NAME),
        },
        category=template,
    )


def usage_name_requested(*, change: UsageNameChange) -> None:
    _usage_name(
        change,
        title="Changement de nom d'usage demandé",
        body=(
            f"Votre demande (nom d'usage « {change.usage_name} ») est en cours de vérification "
            "par votre caisse."
        ),
        subject=USAGE_NAME_REQUESTED_SUBJECT,
        template="usage_name_requested",
    )


def usage_name_approved(*, change: UsageNameChange) -> None:
    _usage_name(
        change,
        title="Nom d'usage enregistré",
        body=(
            f"Votre nom d'usage « {change.usage_name} » est enregistré. Votre carte Vitale "
            "porte encore l'ancien nom : vous pouvez commander une nouvelle carte Vitale."
        ),
        subject=USAGE_NAME_APPROVED_SUBJECT,
        template="usage_name_approved",
    )


def usage_name_rejected(*, change: UsageNameChange) -> None:
    _usage_name(
        change,
        title="Changement de nom d'usage refusé",
        body=(
            "Votre demande de changement de nom d'usage n'a pas pu être acceptée : "
            f"{change.rejection_reason}"
        ),
        subject=USAGE_NAME_REJECTED_SUBJECT,
        template="usage_name_rejected",
    )


def _newborn(
    declaration: NewbornDeclaration, *, title: str, body: str, subject: str, template: str
) -> None:
    """SIT21: the parent who declared, in their account and by email (the NIR never in full)."""
    notification_post(
        recipient=declaration.declared_by,
        title=title,
        body=body,
        link_url=web_path(NEWBORN_URL_NAME),
        link_label="Déclaration du nouveau-né",
    )
    account_email_queue(
        recipient=declaration.declared_by,
        subject=subject,
        template=f"emails/{template}",
        context={
            "child": f"{declaration.first_names} {declaration.last_name}",
            "birth_date": declaration.birth_date,
            "declared_on": declaration.requested_at.astimezone(clock.PARIS),
            "reason": declaration.rejection_reason,
            "url": web_url(NEWBORN_URL_NAME),
        },
        category=template,
    )


def newborn_declared(*, declaration: NewbornDeclaration) -> None:
    _newborn(
        declaration,
        title="Nouveau-né déclaré",
        body=(
            f"{declaration.first_names} {declaration.last_name} est rattaché(e) à votre "
            "famille. Votre caisse certifie son numéro de sécurité sociale à partir de l'acte "
            "de naissance."
        ),
        subject=NEWBORN_DECLARED_SUBJECT,
        template="newborn_declared",
    )


def newborn_certified(*, declaration: NewbornDeclaration) -> None:
    _newborn(
        declaration,
        title="Numéro de sécurité sociale de votre enfant certifié",
        body=(
            f"Le numéro de sécurité sociale de {declaration.first_names} est certifié : "
            "l'attestation de droits de la famille peut de nouveau être téléchargée."
        ),
        subject=NEWBORN_CERTIFIED_SUBJECT,
        template="newborn_certified",
    )


def newborn_rejected(*, declaration: NewbornDeclaration) -> None:
    _newborn(
        declaration,
        title="Déclaration de nouveau-né refusée",
        body=(
            "Votre déclaration de nouveau-né n'a pas pu être acceptée : "
            f"{declaration.rejection_reason}"
        ),
        subject=NEWBORN_REJECTED_SUBJECT,
        template="newborn_rejected",
    )


OTHER_PARENT_URL_NAME = "web:situation_other_parent"
OTHER_PARENT_REQUESTED_SUBJECT = "Votre demande d'inscription sur la carte Vitale de l'autre parent"
OTHER_PARENT_APPROVED_SUBJECT = "Votre enfant est inscrit sur la carte Vitale de l'autre parent"
OTHER_PARENT_REJECTED_SUBJECT = "Votre demande d'inscription de votre enfant est refusée"
OTHER_PARENT_ATTACHED_SUBJECT = "Un enfant est inscrit sur votre carte Vitale"
WITHDRAWN_SUBJECT = "Votre demande est annulée"


def _other_parent(
    registration: OtherParentRegistration, *, title: str, body: str, subject: str, template: str
) -> None:
    """SIT26: the parent who asked, in their account and by email (no NIR in an email)."""
    notification_post(
        recipient=registration.requested_by,
        title=title,
        body=body,
        link_url=web_path(OTHER_PARENT_URL_NAME),
        link_label="Inscrire mon enfant sur la carte Vitale de l'autre parent",
    )
    account_email_queue(
        recipient=registration.requested_by,
        subject=subject,
        template=f"emails/{template}",
        context={
            "child": registration.child.full_name,
            "other_parent": registration.other_parent.full_name,
            "requested_on": registration.requested_at.astimezone(clock.PARIS),
            "reason": registration.rejection_reason,
            "url": web_url(OTHER_PARENT_URL_NAME),
        },
        category=template,
    )


def other_parent_requested(*, registration: OtherParentRegistration) -> None:
    _other_parent(
        registration,
        title="Inscription sur la carte Vitale de l'autre parent demandée",
        body=(
            f"Votre demande d'inscription de {registration.child.given_name} sur la carte "
            "Vitale de son autre parent est en cours de vérification par la caisse de celui-ci."
        ),
        subject=OTHER_PARENT_REQUESTED_SUBJECT,
        template="other_parent_requested",
    )


def other_parent_approved(*, registration: OtherParentRegistration) -> None:
    """SIT26: the parent who asked; and the other parent, in their account and by email if
    they have one (whose records now carry the child), with what to do if they object."""
    _other_parent(
        registration,
        title="Enfant inscrit sur la carte Vitale de l'autre parent",
        body=(
            f"{registration.child.given_name} est désormais rattaché(e) à ses deux parents : "
            "ses soins peuvent être présentés avec la carte Vitale de l'un ou de l'autre."
        ),
        subject=OTHER_PARENT_APPROVED_SUBJECT,
        template="other_parent_approved",
    )
    account = User.objects.filter(person_id=registration.other_parent_id).first()
    if account is None:  # no online account: the fund's letter is outside this project
        return
    notification_post(
        recipient=account,
        title="Un enfant est inscrit sur votre carte Vitale",
        body=(
            f"{registration.child.full_name} est désormais rattaché(e) à vous comme à son "
            "autre parent. Si vous n'en êtes pas d'accord, contactez votre caisse."
        ),
        link_url=web_path("web:information"),
        link_label="Voir mes informations",
    )
    account_email_queue(
        recipient=account,
        subject=OTHER_PARENT_ATTACHED_SUBJECT,
        template="emails/other_parent_attached",
        context={"child": registration.child.full_name, "url": web_url("web:information")},
        category="other_parent_attached",
    )


def other_parent_rejected(*, registration: OtherParentRegistration) -> None:
    _other_parent(
        registration,
        title="Inscription sur la carte Vitale de l'autre parent refusée",
        body=(
            "Votre demande d'inscription de votre enfant sur la carte Vitale de son autre "
            f"parent n'a pas pu être acceptée : {registration.rejection_reason}"
        ),
        subject=OTHER_PARENT_REJECTED_SUBJECT,
        template="other_parent_rejected",
    )


WITHDRAWN_PAGES = {
    WithdrawableKind.BANK_DETAILS: BANK_URL_NAME,
    WithdrawableKind.USAGE_NAME: USAGE_NAME_URL_NAME,
    WithdrawableKind.NEWBORN: NEWBORN_URL_NAME,
    WithdrawableKind.OTHER_PARENT: OTHER_PARENT_URL_NAME,
}


def request_withdrawn(*, request: BackOfficeRequest, kind: WithdrawableKind) -> None:
    """SIT27: the person whose request it was, in their account and by email, with what to do
    if it was not them."""
    account = User.objects.filter(person_id=request.applicant_id).first()
    if account is None:
        return
    what = kind.label
    notification_post(
        recipient=account,
        title="Demande annulée",
        body=f"Votre demande « {what} » est annulée : votre caisse ne la traitera pas.",
        link_url=web_path(WITHDRAWN_PAGES[kind]),
        link_label=what,
    )
    account_email_queue(
        recipient=account,
        subject=WITHDRAWN_SUBJECT,
        template="emails/request_withdrawn",
        context={
            "what": what,
            "requested_on": request.requested_at.astimezone(clock.PARIS),
            "url": web_url(WITHDRAWN_PAGES[kind]),
        },
        category="request_withdrawn",
    )
