"""Immediate account creation (rules C1-C9): identity check, account, email confirmation."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction

from guichet.accounts.enums import UserKind
from guichet.accounts.models import User
from guichet.core import clock, throttle
from guichet.core.masking import mask_email
from guichet.core.refusals import Refusal, Refused, refuse
from guichet.core.transitions import StateMachine
from guichet.enrollment import rules
from guichet.enrollment.enums import ConfirmationStatus, LinkPhase, ProofMethod, Way
from guichet.enrollment.matching import compact_upper, digits_only, first_given_name, normalize_name
from guichet.enrollment.models import EmailConfirmation, EmailConfirmationTransition
from guichet.notifications.links import web_url
from guichet.reference.enums import CardStatus, FamilyRole
from guichet.reference.models import Person
from guichet.reference.validators import IBAN_TAIL_LENGTH, SERIAL_TAIL_LENGTH, normalize_nir

# Rule C8: the link activates the account for 7 days; from day 7 to day 21 it can be sent
# again; after 21 days the unconfirmed address is deleted.
LINK_VALIDITY = dt.timedelta(days=7)
ADDRESS_RETENTION = dt.timedelta(days=21)

# The way 1 form is an identity oracle: failed attempts are counted per NIR and per IP.
ATTEMPT_LIMIT_PER_NIR = 5
ATTEMPT_LIMIT_PER_IP = 30
ATTEMPT_WINDOW = dt.timedelta(hours=1)
ATTEMPT_COOL_OFF = dt.timedelta(hours=1)

IBAN_END_LENGTH = IBAN_TAIL_LENGTH
SERIAL_END_LENGTH = SERIAL_TAIL_LENGTH

IDENTITY_ERROR = (
    "Les informations saisies ne permettent pas de vous identifier. Vérifiez chacun des champs : "
    "ils doivent correspondre aux informations connues de votre caisse."
)
PROOF_ERROR = (
    "Les informations saisies ne correspondent pas à celles connues de votre caisse. Vérifiez "
    "les derniers caractères de votre IBAN et le numéro de série de votre carte Vitale."
)
EMAIL_TAKEN_ERROR = (
    "Cette adresse email est déjà utilisée par un autre compte : choisissez-en une autre."
)

CONFIRMATION_MACHINE = StateMachine(
    {
        "": [ConfirmationStatus.PENDING],
        ConfirmationStatus.PENDING: [
            ConfirmationStatus.CONFIRMED,
            ConfirmationStatus.EXPIRED,
            ConfirmationStatus.SUPERSEDED,
            ConfirmationStatus.ADDRESS_DELETED,
        ],
        ConfirmationStatus.EXPIRED: [
            ConfirmationStatus.SUPERSEDED,
            ConfirmationStatus.ADDRESS_DELETED,
        ],
    },
    log=EmailConfirmationTransition,
)
OPEN_STATUSES = (ConfirmationStatus.PENDING, ConfirmationStatus.EXPIRED)


class EnrollmentError(Refused):
    """A refusal of account creation or of its email confirmation: the core `Refused`, its
    `Refusal` carrying a stable code (the class's, or the one given) and the French message
    (docs/decisions/rules-in-services.md). The subclasses let an interface choose where to show
    it (on the email field, on the form, a page of its own)."""

    default_code = "enrollment_refused"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        retry_after: dt.timedelta | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(Refusal(code or self.default_code, message, field, retry_after))


class AccountExists(EnrollmentError):
    default_code = "account_exists"


class EmailTaken(EnrollmentError):
    default_code = "email_taken"


class ResendLimited(EnrollmentError):
    """Too many new links asked for within the hour (about the account, not the address)."""

    default_code = "resend_limited"


def throttled_message(retry_after: dt.timedelta) -> str:
    return (
        "Trop de tentatives ont échoué. Pour protéger vos données, réessayez dans "
        f"{throttle.wait_in_minutes(retry_after)}, ou contactez votre caisse."
    )


@dataclass(frozen=True)
class CheckResult:
    person: Person | None
    error: str = ""
    throttled: bool = False


def nir_attempts_key(nir: str) -> str:
    """The throttle key of the account-creation attempts on one NIR, from any address."""
    return throttle.make_key("enroll-nir", nir)


def _throttle_keys(nir: str, ip: str) -> list[tuple[str, int]]:
    keys = [(nir_attempts_key(nir), ATTEMPT_LIMIT_PER_NIR)]
    if ip:
        keys.append((throttle.make_key("enroll-ip", ip), ATTEMPT_LIMIT_PER_IP))
    return keys


def _blocked(nir: str, ip: str) -> CheckResult | None:
    for key, _limit in _throttle_keys(nir, ip):
        state = throttle.check(key)
        if not state.allowed:
            assert state.retry_after is not None
            return CheckResult(None, throttled_message(state.retry_after), throttled=True)
    return None


def _count_failure(nir: str, ip: str, error: str) -> CheckResult:
    refused: dt.timedelta | None = None
    for key, limit in _throttle_keys(nir, ip):
        state = throttle.hit(key, limit=limit, window=ATTEMPT_WINDOW, cool_off=ATTEMPT_COOL_OFF)
        if not state.allowed:
            refused = state.retry_after
    if refused is not None:
        return CheckResult(None, throttled_message(refused), throttled=True)
    return CheckResult(None, error)


def identity_check(
    *, last_name: str, nir: str, birth_date: dt.date, postal_code: str, ip: str
) -> CheckResult:
    """Step 1 of way 1 (C2): the four identity fields must all match one rights opener.

    Any mismatch, or an unknown NIR, gives the same message and counts as a failed attempt.
    """
    nir = normalize_nir(nir)
    blocked = _blocked(nir, ip)
    if blocked:
        return blocked
    person = (
        Person.objects.filter(nir=nir, role=FamilyRole.RIGHTS_OPENER)
        .select_related("family__scheme")
        .first()
    )
    typed = normalize_name(last_name)
    if (
        person is None
        or typed not in {normalize_name(person.last_name), normalize_name(person.usage_name)}
        or person.birth_date != birth_date
        or person.postal_code.strip() != postal_code.strip()
    ):
        return _count_failure(nir, ip, IDENTITY_ERROR)
    return CheckResult(person)


def _card_proof_matches(person: Person, *, iban_end: str, serial_end: str) -> bool:
    """The IBAN's last 7 characters and the last 11 digits of an active card's serial (C2)."""
    # The guide asks the serial of the « carte Vitale avec photo »: a card without photo cannot
    # prove the identity here (the page offers « Je ne dispose pas du numéro de série … »).
    serials = person.cards.filter(status=CardStatus.ACTIVE, has_photo=True).values_list(
        "serial_number", flat=True
    )
    iban_ok = bool(person.iban) and compact_upper(person.iban)[-IBAN_END_LENGTH:] == compact_upper(
        iban_end
    )
    typed_serial = digits_only(serial_end)
    serial_ok = len(typed_serial) == SERIAL_END_LENGTH and any(
        digits_only(s)[-SERIAL_END_LENGTH:] == typed_serial for s in serials
    )
    return iban_ok and serial_ok


def proof_check(*, person: Person, iban_end: str, serial_end: str, ip: str) -> CheckResult:
    """Step 2 of way 1 (C2): the IBAN's last 7 characters and the card serial's last 11 digits."""
    nir = person.nir or ""
    blocked = _blocked(nir, ip)
    if blocked:
        return blocked
    if not _card_proof_matches(person, iban_end=iban_end, serial_end=serial_end):
        return _count_failure(nir, ip, PROOF_ERROR)
    return CheckResult(person)


@dataclass(frozen=True)
class FranceConnectMatch:
    person: Person | None
    several: bool = False


def franceconnect_match(
    *, given_name: str, family_name: str, birthdate: dt.date, gender: str, birthplace: str
) -> FranceConnectMatch:
    """Rule C9: the FranceConnect identity must match exactly one rights opener.

    Birth date, gender and birthplace (INSEE code of the commune, empty when born abroad) are
    compared exactly; the birth name and the first given name after normalisation. Never on email.
    """
    candidates = Person.objects.filter(
        role=FamilyRole.RIGHTS_OPENER, birth_date=birthdate, gender=gender
    ).select_related("family__scheme")
    if birthplace:
        candidates = candidates.filter(birth_place_insee=birthplace)
    family = normalize_name(family_name)
    given = first_given_name(given_name)
    found = [
        p
        for p in candidates
        if normalize_name(p.last_name) == family and first_given_name(p.first_names) == given
    ]
    if len(found) == 1:
        return FranceConnectMatch(found[0])
    return FranceConnectMatch(None, several=len(found) > 1)


def email_in_use(email: str, *, exclude_user_id: int | None = None) -> bool:
    qs = User.objects.filter(kind=UserKind.INSURED, email__iexact=email.strip())
    if exclude_user_id is not None:
        qs = qs.exclude(pk=exclude_user_id)
    return qs.exists()


def _move(
    confirmation: EmailConfirmation, target: ConfirmationStatus, *, by: User | None, note: str = ""
) -> None:
    fields: dict[str, Any] = (
        {"confirmed_at": clock.now()} if target == ConfirmationStatus.CONFIRMED else {}
    )
    CONFIRMATION_MACHINE.move(confirmation, target, by=by, note=note, **fields)


def confirmation_token(confirmation: EmailConfirmation) -> str:
    return signing.dumps(
        {"c": confirmation.pk, "n": confirmation.nonce}, salt="guichet.enrollment.email"
    )


def confirmation_from_token(token: str) -> EmailConfirmation | None:
    """The confirmation a signed link points to; None when the signature or nonce is wrong."""
    try:
        data = signing.loads(token, salt="guichet.enrollment.email")
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        return None
    return (
        EmailConfirmation.objects.filter(pk=data["c"], nonce=str(data.get("n", "")))
        .select_related("user__person")
        .first()
    )


def link_phase(confirmation: EmailConfirmation, *, now: dt.datetime | None = None) -> LinkPhase:
    """C8 from the link's age: under 7 days active, 7 to 21 days expired, then address deleted."""
    if confirmation.status == ConfirmationStatus.CONFIRMED:
        return LinkPhase.CONFIRMED
    if confirmation.status == ConfirmationStatus.SUPERSEDED:
        return LinkPhase.SUPERSEDED
    if confirmation.status == ConfirmationStatus.ADDRESS_DELETED:
        return LinkPhase.ADDRESS_DELETED
    age = (now or clock.now()) - confirmation.sent_at
    if age < LINK_VALIDITY:
        return LinkPhase.ACTIVE
    if age < ADDRESS_RETENTION:
        return LinkPhase.EXPIRED
    return LinkPhase.ADDRESS_DELETED


def _send(*, user: User, email: str, way: str) -> EmailConfirmation:
    """A new link to ``email``, asked for by the insured themself (the former one superseded)."""
    from guichet.notifications.services import email_queue

    for open_one in EmailConfirmation.objects.select_for_update().filter(
        user=user, status__in=OPEN_STATUSES
    ):
        _move(open_one, ConfirmationStatus.SUPERSEDED, by=user)
    confirmation = EmailConfirmation.objects.create(
        user=user, email=email, way=way, sent_at=clock.now()
    )
    CONFIRMATION_MACHINE.record(confirmation, source="", target=ConfirmationStatus.PENDING, by=user)
    link = web_url("web:enrollment_confirm", [confirmation_token(confirmation)])
    email_queue(
        to=email,
        subject="Validation de mon email",
        template="emails/enrollment_confirm",
        context={"link": link, "days": LINK_VALIDITY.days},
        category="enrollment",
    )
    return confirmation


@dataclass(frozen=True)
class AccountRequest:
    person: Person
    way: Way
    password_hash: str
    email: str
    mobile_phone: str = ""
    landline_phone: str = ""
    information_consent: bool = False


@transaction.atomic
def account_create(*, request: AccountRequest) -> User:
    """Create the inactive account and email the confirmation link (C6, C7).

    Refuses, whoever calls it, a person who already has an account (AccountExists) or whom
    rule C4 excludes (Refused, with the rule's refusal). The account can be used only once the
    link is clicked (account_activate by the link).
    """
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("family__scheme")
        .get(pk=request.person.pk)
    )
    if User.objects.filter(person=person).exists():
        raise AccountExists(rules.ACCOUNT_EXISTS.message)
    refuse(rules.exclusion_reason(person, way=request.way))
    assert person.nir  # C4 refuses a person without a certified NIR
    email = request.email.strip()
    if email_in_use(email):
        raise EmailTaken(EMAIL_TAKEN_ERROR)
    now = clock.now()
    user = User(
        username=person.nir,
        kind=UserKind.INSURED,
        person=person,
        email=email,
        is_active=False,
        information_consent=request.information_consent,
        information_consent_at=now,
        password=request.password_hash,
        date_joined=now,
    )
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        if email_in_use(email):
            raise EmailTaken(EMAIL_TAKEN_ERROR) from exc
        raise AccountExists(rules.ACCOUNT_EXISTS.message) from exc
    changed = []
    if request.mobile_phone:
        person.mobile_phone = request.mobile_phone
        changed.append("mobile_phone")
    if request.landline_phone:
        person.landline_phone = request.landline_phone
        changed.append("landline_phone")
    if changed:
        person.save(update_fields=changed)
    _send(user=user, email=email, way=request.way)
    return user


@transaction.atomic
def confirmation_use(*, confirmation_id: int) -> LinkPhase:
    """A click on the link: activates the account in the first 7 days only (C7, C8).

    It never logs in. From day 7 the link is marked expired; after day 21 the address is deleted.
    """
    confirmation = (
        EmailConfirmation.objects.select_for_update().select_related("user").get(pk=confirmation_id)
    )
    phase = link_phase(confirmation)
    user = confirmation.user
    if phase == LinkPhase.ACTIVE:
        _move(confirmation, ConfirmationStatus.CONFIRMED, by=user)
        User.objects.filter(pk=user.pk).update(
            is_active=True, email=confirmation.email, email_confirmed_at=clock.now()
        )
    elif phase == LinkPhase.EXPIRED and confirmation.status == ConfirmationStatus.PENDING:
        _move(confirmation, ConfirmationStatus.EXPIRED, by=user)
    elif phase == LinkPhase.ADDRESS_DELETED:
        _delete_address(confirmation, by=user)
    return phase


def _delete_address(confirmation: EmailConfirmation, *, by: User | None, note: str = "") -> bool:
    if confirmation.status not in OPEN_STATUSES:
        return False
    _move(confirmation, ConfirmationStatus.ADDRESS_DELETED, by=by, note=note)
    User.objects.filter(pk=confirmation.user_id, email_confirmed_at__isnull=True).update(email="")
    return True


RESEND_LIMIT = 3  # links sent again per account within RESEND_WINDOW
RESEND_WINDOW = dt.timedelta(hours=1)


def resend_throttled_message(retry_after: dt.timedelta) -> str:
    return (
        "Vous avez déjà demandé plusieurs nouveaux liens. Consultez votre messagerie (pensez "
        f"aux courriers indésirables) ou réessayez dans {throttle.wait_in_minutes(retry_after)}."
    )


# Issue 13 (ASVS 3.7.1): C8's second choice, « me renvoyer le lien à une adresse différente »,
# is an email change. Whoever holds the link is not yet the person: the new address is accepted
# only with a proof (the code personnel, or way 1's carte Vitale serial + IBAN tail again), and
# the old address is told. Wrong proofs are counted per account (whatever the IP) and per IP.
PROOF_LIMIT_PER_ACCOUNT = 5
PROOF_LIMIT_PER_IP = 30
PROOF_WINDOW = dt.timedelta(hours=1)
PROOF_COOL_OFF = dt.timedelta(hours=1)

OWNER_PROOF_REQUIRED = (
    "Pour recevoir le lien à une autre adresse, prouvez que vous êtes le titulaire du compte : "
    "avec votre code personnel, ou avec votre carte Vitale et votre IBAN."
)
OWNER_CODE_ERROR = "Le code personnel saisi est incorrect."
EMAIL_CHANGED_SUBJECT = "Changement de l'adresse email de votre compte ameli"


class ProofRefused(EnrollmentError):
    """The person did not prove who they are; `field` names the input the message is about."""

    default_code = "proof_refused"


@dataclass(frozen=True)
class OwnerProof:
    method: ProofMethod
    code: str = ""
    iban_end: str = ""
    serial_end: str = ""


def _proof_keys(user: User, ip: str) -> list[tuple[str, int]]:
    keys = [(throttle.make_key("owner-proof-account", str(user.pk)), PROOF_LIMIT_PER_ACCOUNT)]
    if ip:
        keys.append((throttle.make_key("owner-proof-ip", ip), PROOF_LIMIT_PER_IP))
    return keys


def _proof_error(user: User, proof: OwnerProof) -> tuple[str | None, str] | None:
    """None when the proof is right, else (the field concerned, the French message)."""
    if proof.method == ProofMethod.CODE:
        if proof.code and user.check_password(proof.code):
            return None
        return "code", OWNER_CODE_ERROR
    person = user.person
    if person is not None and _card_proof_matches(
        person, iban_end=proof.iban_end, serial_end=proof.serial_end
    ):
        return None
    # One message for both, as on way 1's page: it does not tell which of the two is wrong.
    return None, PROOF_ERROR


def owner_proof_check(*, user: User, proof: OwnerProof, ip: str) -> None:
    """Raise ProofRefused unless the proof is the account holder's (issue 13, ASVS 3.7.1).

    A blocked key refuses even the right proof until its cool-off ends (never for good).
    """
    refusal = _owner_proof_refusal(user=user, proof=proof, ip=ip)
    if refusal is not None:
        raise refusal


@transaction.atomic
def _owner_proof_refusal(*, user: User, proof: OwnerProof, ip: str) -> ProofRefused | None:
    # One proof at a time per account: the account row stays locked while the proof is checked
    # and counted, so that parallel guesses cannot all pass the check before one is counted.
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    keys = _proof_keys(user, ip)
    for key, _limit in keys:
        state = throttle.check(key)
        if not state.allowed:
            assert state.retry_after is not None
            return ProofRefused(
                throttled_message(state.retry_after),
                retry_after=state.retry_after,
                code="proof_throttled",
            )
    error = _proof_error(user, proof)
    if error is None:
        throttle.reset(keys[0][0])
        return None
    refused: dt.timedelta | None = None
    for key, limit in keys:
        state = throttle.hit(key, limit=limit, window=PROOF_WINDOW, cool_off=PROOF_COOL_OFF)
        if not state.allowed:
            refused = state.retry_after
    if refused is not None:
        return ProofRefused(throttled_message(refused), retry_after=refused, code="proof_throttled")
    field, message = error
    return ProofRefused(message, field=field)


def confirmation_resend(
    *, user: User, email: str = "", proof: OwnerProof | None = None, ip: str = ""
) -> EmailConfirmation:
    """A new link, to the same address (email empty) or to another one (C8's two choices).

    Another address is an email change: it needs the holder's proof first (owner_proof_check),
    and the old address is told (issue 13). Then at most RESEND_LIMIT links per hour and per
    account, counted in the database (several web processes share it), which also bounds
    address probing.
    """
    if email.strip():
        if proof is None:
            raise ProofRefused(OWNER_PROOF_REQUIRED)
        owner_proof_check(user=user, proof=proof, ip=ip)
    state = throttle.hit(
        throttle.make_key("confirmation-resend", str(user.pk)),
        limit=RESEND_LIMIT,
        window=RESEND_WINDOW,
        cool_off=RESEND_WINDOW,
    )
    if not state.allowed:
        assert state.retry_after is not None
        raise ResendLimited(resend_throttled_message(state.retry_after))
    return _confirmation_resend(user=user, email=email)


def _old_address_notify(*, old: str, new: str) -> None:
    """Tell the address being replaced (issue 13): when, and which address (masked)."""
    from guichet.notifications.services import email_queue

    email_queue(
        to=old,
        subject=EMAIL_CHANGED_SUBJECT,
        template="emails/email_changed",
        context={"new_email": mask_email(new), "changed_at": clock.now().astimezone(clock.PARIS)},
        category="email_changed",
    )


@transaction.atomic
def _confirmation_resend(*, user: User, email: str) -> EmailConfirmation:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active and user.email_confirmed_at:
        raise EnrollmentError(
            "Votre adresse est déjà validée : connectez-vous.", code="address_already_confirmed"
        )
    latest = EmailConfirmation.objects.filter(user=user).order_by("-sent_at", "-pk").first()
    deleted = latest is not None and link_phase(latest) == LinkPhase.ADDRESS_DELETED
    old = latest.email if latest is not None and not deleted else ""  # C8: gone after 21 days
    target = email.strip() or old
    if not target:
        raise EnrollmentError("Saisissez une adresse email valide.", code="email_invalid")
    if email_in_use(target, exclude_user_id=user.pk):
        raise EmailTaken(EMAIL_TAKEN_ERROR)
    if latest is not None and deleted:
        _delete_address(latest, by=user)
    user.email = target
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError as exc:
        raise EmailTaken(EMAIL_TAKEN_ERROR) from exc
    if old and old.casefold() != target.casefold():
        _old_address_notify(old=old, new=target)
    way = latest.way if latest else Way.CARTE_VITALE
    return _send(user=user, email=target, way=way)


def unconfirmed_addresses_delete(*, now: dt.datetime | None = None) -> int:
    """The periodic job of C8: delete every address left unconfirmed for 21 days. Idempotent."""
    limit = (now or clock.now()) - ADDRESS_RETENTION
    deleted = 0
    ids = list(
        EmailConfirmation.objects.filter(status__in=OPEN_STATUSES, sent_at__lte=limit).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            confirmation = EmailConfirmation.objects.select_for_update().get(pk=pk)
            if confirmation.sent_at <= limit and _delete_address(
                confirmation, by=None, note="tâche périodique"
            ):
                deleted += 1
    return deleted
