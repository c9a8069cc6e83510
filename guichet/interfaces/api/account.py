"""/me, /family, /payments, /dashboard: the account's own data (rules G2, G4)."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from guichet.accounts import services as account_services
from guichet.core import clock
from guichet.core.http import client_ip
from guichet.core.masking import format_nir, mask_email, mask_iban
from guichet.core.refusals import Refused
from guichet.interfaces.api.errors import INVALID_INPUT, ApiError, responses
from guichet.interfaces.api.params import BeneficiaryFilter, ObjectId, PageNumber, PageSize
from guichet.interfaces.api.schemas import PageInfo, PaymentOut, PersonOut, payment_out, person_out
from guichet.interfaces.api.security import current_user
from guichet.notifications import selectors as notification_selectors
from guichet.reference import selectors as reference_selectors
from guichet.reference.models import Person
from guichet.situation.rules import second_parent_message

router = Router(tags=["Mon compte"])

RIGHTS_OPEN = "Vos droits à l'Assurance Maladie sont ouverts."
RIGHTS_CLOSED = "Vos droits à l'Assurance Maladie ne sont pas ouverts."
DASHBOARD_PAYMENTS = 5
DASHBOARD_NOTIFICATIONS = 5
DASHBOARD_MESSAGES = 3


class FundOut(Schema):
    code: str
    name: str


class ContractOut(Schema):
    insurer_name: str
    insurer_code: str
    member_number: str
    start_date: dt.date
    end_date: dt.date | None
    kind: str
    payments_transmitted: bool = Field(
        description="« Transmission automatique des paiements » activée."
    )


class EuropeanCardOut(Schema):
    valid_until: dt.date


class VitaleCardOut(Schema):
    issued_on: dt.date
    has_photo: bool


class AddressOut(Schema):
    line1: str
    line2: str
    postal_code: str
    city: str
    mail_returned: bool = Field(description="NPAI : le courrier est revenu.")


class SecondParentOut(Schema):
    """« Inscrire votre enfant sur la carte Vitale de l'autre parent » once approved (SIT29)."""

    since: dt.date
    attached_to_this_account: bool = Field(
        description="Vrai quand l'enfant est enregistré dans une autre famille et rattaché à "
        "celle du titulaire du compte ; faux quand c'est l'enfant du foyer, inscrit aussi sur la "
        "carte Vitale de son autre parent."
    )
    message: str


class BeneficiaryFileOut(Schema):
    """What « Mes informations » shows about one beneficiary of the family (rule G4)."""

    person: PersonOut
    is_account_holder: bool
    nir: str | None = Field(description="NIR en clair, groupé comme sur le site.")
    rights_open: bool
    rights_message: str
    fund: FundOut
    complementary_contracts: list[ContractOut]
    european_health_card: EuropeanCardOut | None
    carte_vitale: VitaleCardOut | None
    attending_doctor: str
    address: AddressOut | None = Field(
        description="Adresse du bénéficiaire ; absente pour un enfant rattaché depuis la famille "
        "de son autre parent (règle SIT29 : l'adresse de l'autre foyer n'est pas montrée)."
    )
    second_parent: SecondParentOut | None = Field(
        description="Rattachement aux deux parents (règles SIT25, SIT29), s'il y en a un."
    )


class MeOut(BeneficiaryFileOut):
    iban_masked: str = Field(description="IBAN masqué (les 7 derniers caractères visibles).")
    email_masked: str
    mobile_phone: str
    landline_phone: str
    previous_login_at: dt.datetime | None = Field(description="« Dernière connexion le … à … ».")


class FamilyOut(Schema):
    members: list[PersonOut]


class PaymentPageOut(PageInfo):
    items: list[PaymentOut]


class UnreadOut(Schema):
    notifications: int
    messages: int


class NotificationBrief(Schema):
    id: int
    title: str
    created_at: dt.datetime
    read: bool


class MessageBrief(Schema):
    id: int
    subject: str
    sender: str
    created_at: dt.datetime
    read: bool


class DashboardOut(Schema):
    """« Accueil » (rule G2)."""

    previous_login_at: dt.datetime | None
    latest_payments: list[PaymentOut]
    latest_notifications: list[NotificationBrief]
    latest_messages: list[MessageBrief]
    unread: UnreadOut


def _file_fields(holder: Person, person_id: int) -> dict:
    file = reference_selectors.beneficiary_file(
        family_id=holder.family_id, person_id=person_id, day=clock.today()
    )
    if file is None:
        raise Http404
    person = file.person
    return {
        "person": person_out(person),
        "is_account_holder": person.pk == holder.pk,
        "nir": format_nir(person.nir) if person.nir else None,
        "rights_open": file.rights_open,
        "rights_message": RIGHTS_OPEN if file.rights_open else RIGHTS_CLOSED,
        "fund": FundOut(code=file.fund.code, name=file.fund.name),
        "complementary_contracts": [
            ContractOut(
                insurer_name=c.insurer.name,
                insurer_code=c.insurer.code,
                member_number=c.member_number,
                start_date=c.start_date,
                end_date=c.end_date,
                kind=c.kind,
                payments_transmitted=c.payments_transmitted,
            )
            for c in file.contracts
        ],
        "european_health_card": (
            EuropeanCardOut(valid_until=file.european_card.valid_until)
            if file.european_card
            else None
        ),
        "carte_vitale": (
            VitaleCardOut(
                issued_on=file.active_card.issued_on, has_photo=file.active_card.has_photo
            )
            if file.active_card
            else None
        ),
        "attending_doctor": person.attending_doctor,
        "address": None
        if file.attached_here  # SIT29: never the other household's address
        else AddressOut(
            line1=person.address_line1,
            line2=person.address_line2,
            postal_code=person.postal_code,
            city=person.city,
            mail_returned=person.address_npai,
        ),
        "second_parent": (
            SecondParentOut(
                since=file.second_parent.start_date,
                attached_to_this_account=file.attached_here,
                message=second_parent_message(file),
            )
            if file.second_parent
            else None
        ),
    }


@router.get("/me", response=responses({200: MeOut}, 401), summary="Mes informations")
def me(request: HttpRequest) -> MeOut:
    user = current_user(request)
    holder = user.person
    return MeOut(
        **_file_fields(holder, holder.pk),
        iban_masked=mask_iban(holder.iban) if holder.iban else "",
        email_masked=mask_email(user.email) if user.email else "",
        mobile_phone=holder.mobile_phone,
        landline_phone=holder.landline_phone,
        previous_login_at=user.previous_login_at,
    )


@router.get("/family", response=responses({200: FamilyOut}, 401), summary="Mes bénéficiaires")
def family(request: HttpRequest) -> FamilyOut:
    holder = current_user(request).person
    members = reference_selectors.family_beneficiaries(family_id=holder.family_id)  # SIT29
    return FamilyOut(members=[person_out(m) for m in members])


@router.get(
    "/family/{beneficiary_id}",
    response=responses({200: BeneficiaryFileOut}, 401, 404, 422),
    summary="Informations d'un bénéficiaire",
)
def beneficiary(request: HttpRequest, beneficiary_id: ObjectId) -> BeneficiaryFileOut:
    """One beneficiary of the family; anyone else's id answers 404."""
    holder = current_user(request).person
    return BeneficiaryFileOut(**_file_fields(holder, beneficiary_id))


@router.get(
    "/payments",
    response=responses({200: PaymentPageOut}, 401, 404, 422),
    summary="Mes paiements",
)
def payments(
    request: HttpRequest,
    page: PageNumber = 1,
    page_size: PageSize = 20,
    beneficiary_id: BeneficiaryFilter = None,
) -> PaymentPageOut:
    """The family's payments, newest first; ``beneficiary_id`` must be one of the family."""
    holder = current_user(request).person
    if (
        beneficiary_id is not None
        and reference_selectors.family_member(family_id=holder.family_id, person_id=beneficiary_id)
        is None
    ):
        raise Http404
    paginator = Paginator(
        reference_selectors.family_payments_for(
            family_id=holder.family_id, beneficiary_id=beneficiary_id
        ),
        page_size,
    )
    current = paginator.get_page(page)
    return PaymentPageOut(
        page=current.number,
        page_size=page_size,
        pages=paginator.num_pages,
        count=paginator.count,
        items=[payment_out(p) for p in current],
    )


@router.get("/dashboard", response=responses({200: DashboardOut}, 401), summary="Accueil")
def dashboard(request: HttpRequest) -> DashboardOut:
    user = current_user(request)
    holder = user.person
    unread = notification_selectors.unread_counts(user=user)
    return DashboardOut(
        previous_login_at=user.previous_login_at,
        latest_payments=[
            payment_out(p)
            for p in reference_selectors.family_payments(family_id=holder.family_id)[
                :DASHBOARD_PAYMENTS
            ]
        ],
        latest_notifications=[
            NotificationBrief(id=n.pk, title=n.title, created_at=n.created_at, read=bool(n.read_at))
            for n in notification_selectors.latest_notifications(
                user=user, limit=DASHBOARD_NOTIFICATIONS
            )
        ],
        latest_messages=[
            MessageBrief(
                id=m.pk,
                subject=m.subject,
                sender=m.sender,
                created_at=m.created_at,
                read=bool(m.read_at),
            )
            for m in notification_selectors.latest_messages(user=user, limit=DASHBOARD_MESSAGES)
        ],
        unread=UnreadOut(**unread),
    )


CLOSED_MESSAGE = (
    "Votre compte ameli est fermé. Vos droits à l'Assurance Maladie ne changent pas. Vous "
    "pourrez créer un nouveau compte à tout moment."
)


class AccountCloseIn(Schema):
    code: str = Field(min_length=1, max_length=128, description="Code personnel.")
    confirm: bool = Field(
        description="« Je confirme vouloir résilier mon compte ameli » : doit valoir true."
    )


class AccountClosedOut(Schema):
    closed_at: dt.datetime
    power_revoked: bool = Field(description="La procuration en cours a été révoquée.")
    message: str


@router.post(
    "/account/close",
    response=responses({200: AccountClosedOut}, 400, 401, 409, 422, 429),
    summary="Résilier mon compte ameli",
)
def account_close(request: HttpRequest, payload: AccountCloseIn) -> AccountClosedOut:
    """Rule G4, as on the web: the code personnel (a wrong one counts as a failed login) and
    the confirmation. Every token of the account stops working at once
    (docs/decisions/accounts-closure.md)."""
    if not payload.confirm:
        raise ApiError(
            422,
            "invalid_input",
            INVALID_INPUT,
            fields={"confirm": [account_services.CLOSE_CONFIRM_REQUIRED]},
        )
    try:
        closed = account_services.account_close(
            user=current_user(request), code=payload.code, ip=client_ip(request)
        )
    except Refused as refused:
        if refused.retry_after is not None:
            raise ApiError(
                429,
                "too_many_attempts",
                refused.message,
                headers={"Retry-After": str(max(1, int(refused.retry_after.total_seconds())))},
            ) from None
        if refused.code == account_services.WRONG_CODE:
            raise ApiError(
                422, "invalid_input", INVALID_INPUT, fields={"code": [refused.message]}
            ) from None
        raise ApiError(409, "conflict", refused.message) from None
    return AccountClosedOut(
        closed_at=closed.closed_at, power_revoked=closed.power_revoked, message=CLOSED_MESSAGE
    )
