"""Notices in the account and emails through the outbox (SIT2, SIT10, SIT16, SIT21).

An email names no IBAN in full and no postal address line: the new IBAN is masked
(« FR76 •••• … 12 345 »), the address is given by its postal code and commune only; each says
what to do if the change was not asked by the person (docs/decisions/situation-bank-details.md).
"""

from django.conf import settings
from django.urls import reverse

from guichet.accounts.models import User
from guichet.core import clock
from guichet.core.masking import mask_iban
from guichet.notifications.services import account_email_queue, notification_post
from guichet.reference.models import Person
from guichet.situation.models import BankDetailsChange, NewbornDeclaration, UsageNameChange

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


def _path(name: str) -> str:
    """A web page's path, from the site's own URLs whatever the request's (an API call)."""
    return reverse(name, urlconf=settings.ROOT_URLCONF)


def _url(name: str) -> str:
    return settings.SITE_URL.rstrip("/") + _path(name)


def address_changed(*, user: User, person: Person) -> None:
    where = f"{person.postal_code} {person.city}"
    notification_post(
        recipient=user,
        title="Adresse postale modifiée",
        body=f"Votre nouvelle adresse postale ({where}) est enregistrée.",
        link_url=_path("web:information"),
        link_label="Voir mes informations",
    )
    account_email_queue(
        recipient=user,
        subject=ADDRESS_SUBJECT,
        template="emails/address_changed",
        context={
            "where": where,
            "changed_on": clock.now().astimezone(clock.PARIS),
            "url": _url(ADDRESS_URL_NAME),
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
        link_url=_path(BANK_URL_NAME),
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
            "url": _url(BANK_URL_NAME),
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
        link_url=_path(link_name),
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
            "url": _url(USAGE_NAME_URL_NAME),
            "card_url": _url(CARD_ORDER_URL_NAME),
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
        link_url=_path(NEWBORN_URL_NAME),
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
            "url": _url(NEWBORN_URL_NAME),
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
