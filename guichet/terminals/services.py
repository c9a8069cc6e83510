"""Enrolling, installing, checking and revoking the fund's kiosks; card sign-ins at a kiosk.

docs/decisions/security-kiosk-devices.md. The IT team enrols a kiosk (`kiosk_enrol`, from
`manage.py kiosk_enrol` or /admin/): a one-time enrolment code, valid
``ENROLMENT_CODE_LIFETIME``, is shown once. Typed on the kiosk (/borne/enregistrement/), it is
exchanged for the device secret (`kiosk_install`), which the kiosk's browser keeps in a cookie
and presents on every kiosk page (`kiosk_authenticate`). A revoked kiosk (`kiosk_revoke`) is
refused at once. Card sign-ins (rule A7) are throttled per card across kiosks and per kiosk
across cards, for a cool-off only (rule G1: nobody is locked out for good).
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from guichet.accounts.models import User
from guichet.certificates.selectors import card_holder
from guichet.core import clock, throttle
from guichet.core.refusals import Refusal, Refused
from guichet.core.transitions import StateMachine
from guichet.notifications.links import web_url
from guichet.reference.models import Person
from guichet.terminals.enums import KioskStatus
from guichet.terminals.models import KioskDevice, KioskTransition

TRANSITIONS = StateMachine(
    {
        "": [KioskStatus.PENDING],
        KioskStatus.PENDING: [KioskStatus.ACTIVE, KioskStatus.REVOKED],
        KioskStatus.ACTIVE: [KioskStatus.REVOKED],
        KioskStatus.REVOKED: [],
    },
    log=KioskTransition,
)

ENROLMENT_CODE_LIFETIME = dt.timedelta(hours=24)
# 16 symbols out of 32 (no I, O, 0 or 1, easy to read and type): 80 bits.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
ENROLMENT_FAILURE_LIMIT = 10
ENROLMENT_FAILURE_WINDOW = dt.timedelta(minutes=15)
ENROLMENT_COOL_OFF = dt.timedelta(minutes=15)
# The last use is written at most once per interval (not one UPDATE per page).
USE_RECORD_INTERVAL = dt.timedelta(minutes=5)

# Card sign-ins (rule A7): failures per card, whatever the kiosk...
CARD_FAILURE_LIMIT = 5
CARD_FAILURE_WINDOW = dt.timedelta(minutes=15)
CARD_COOL_OFF = dt.timedelta(minutes=15)
# ...and per kiosk, whatever the card (a kiosk serves many people: typing slips are common).
DEVICE_FAILURE_LIMIT = 20
DEVICE_FAILURE_WINDOW = dt.timedelta(minutes=15)
DEVICE_COOL_OFF = dt.timedelta(minutes=15)

CODE_INVALID = (
    "Ce code d'enregistrement n'est pas valide ou a expiré. Demandez un nouveau code à "
    "l'équipe informatique de la caisse."
)
ENROLMENT_TOO_MANY = (
    "Trop de tentatives d'enregistrement depuis cet appareil. Réessayez dans {wait}."
)
CARD_TOO_MANY = (
    "Trop de tentatives avec cette carte. Réessayez dans {wait} ou adressez-vous à l'accueil."
)
DEVICE_TOO_MANY = (
    "Trop de tentatives sur cette borne. Réessayez dans {wait} ou adressez-vous à l'accueil."
)


@dataclass(frozen=True)
class Enrolment:
    """A kiosk just enrolled and its one-time code: shown once, never stored in clear."""

    device: KioskDevice
    code: str

    @property
    def link(self) -> str:
        return enrolment_link(self.code)


@dataclass(frozen=True)
class Installation:
    device: KioskDevice
    secret: str


@dataclass(frozen=True)
class KioskAccess:
    device: KioskDevice
    use_recorded: bool


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalize_code(code: str) -> str:
    """What the person typed, without spaces or dashes, in capitals."""
    return "".join(char for char in code.upper() if char.isalnum())


def enrolment_link(code: str) -> str:
    return f"{web_url('kiosk:enrol')}?code={code}"


def _new_code() -> tuple[str, str]:
    """A code to show (grouped by four) and the digest to store."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4)), digest(raw)


@transaction.atomic
def kiosk_enrol(*, name: str, by: User | None) -> Enrolment:
    """A new kiosk, waiting for its installation with the one-time code returned."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("Donnez un nom à la borne (par exemple « Accueil Paris 11 »).")
    code, code_digest = _new_code()
    device = KioskDevice.objects.create(
        name=name,
        enrolment_code_digest=code_digest,
        enrolment_expires_at=clock.now() + ENROLMENT_CODE_LIFETIME,
        created_by=by,
    )
    TRANSITIONS.record(device, source="", target=KioskStatus.PENDING, by=by)
    return Enrolment(device, code)


@transaction.atomic
def kiosk_enrolment_renew(*, device_id: int) -> Enrolment:
    """A new one-time code for a kiosk not installed yet (the former one stops working)."""
    device = KioskDevice.objects.select_for_update().get(pk=device_id)
    if device.status != KioskStatus.PENDING:
        raise ValueError("Seule une borne en attente d'installation reçoit un nouveau code.")
    code, device.enrolment_code_digest = _new_code()
    device.enrolment_expires_at = clock.now() + ENROLMENT_CODE_LIFETIME
    device.save(update_fields=["enrolment_code_digest", "enrolment_expires_at"])
    return Enrolment(device, code)


def kiosk_install(*, code: str, ip: str) -> Installation:
    """Exchange a one-time enrolment code for the kiosk's secret; raises Refused
    (« enrolment_throttled » or « enrolment_code_invalid »).

    Wrong codes are throttled per address (a cool-off, never for good), although 80 random
    bits valid for a day cannot be guessed anyway.
    """
    key = throttle.make_key("kiosk-enrolment", ip)
    state = throttle.check(key)
    if not state.allowed:
        raise _throttled("enrolment_throttled", ENROLMENT_TOO_MANY, state.retry_after)
    normalized = normalize_code(code)
    with transaction.atomic():
        device = (
            KioskDevice.objects.select_for_update()
            .filter(
                enrolment_code_digest=digest(normalized) if normalized else "-",
                status=KioskStatus.PENDING,
                enrolment_expires_at__gt=clock.now(),
            )
            .first()
        )
        if device is not None:
            secret = secrets.token_urlsafe(32)
            TRANSITIONS.move(
                device,
                KioskStatus.ACTIVE,
                by=None,
                secret_digest=digest(secret),
                enrolment_code_digest="",
                enrolment_expires_at=None,
                installed_at=clock.now(),
            )
            return Installation(device, secret)
    state = throttle.hit(
        key,
        limit=ENROLMENT_FAILURE_LIMIT,
        window=ENROLMENT_FAILURE_WINDOW,
        cool_off=ENROLMENT_COOL_OFF,
    )
    if not state.allowed:
        raise _throttled("enrolment_throttled", ENROLMENT_TOO_MANY, state.retry_after)
    raise Refused(Refusal("enrolment_code_invalid", CODE_INVALID))


def kiosk_authenticate(*, secret: str) -> KioskAccess | None:
    """The kiosk in service whose secret this is, else None; its last use is recorded."""
    if not secret:
        return None
    device = KioskDevice.objects.filter(
        secret_digest=digest(secret), status=KioskStatus.ACTIVE
    ).first()
    if device is None:
        return None
    now = clock.now()
    recorded = False
    if device.last_used_at is None or device.last_used_at <= now - USE_RECORD_INTERVAL:
        recorded = bool(
            KioskDevice.objects.filter(pk=device.pk, status=KioskStatus.ACTIVE)
            .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_RECORD_INTERVAL))
            .update(last_used_at=now)
        )
        if recorded:
            device.last_used_at = now
    return KioskAccess(device, recorded)


@transaction.atomic
def kiosk_revoke(*, device_id: int, by: User | None) -> bool:
    """Revoke a kiosk: its secret (or pending code) stops working at once. False if already."""
    device = KioskDevice.objects.select_for_update().filter(pk=device_id).first()
    if device is None or device.status == KioskStatus.REVOKED:
        return False
    TRANSITIONS.move(
        device,
        KioskStatus.REVOKED,
        by=by,
        revoked_at=clock.now(),
        enrolment_code_digest="",
        enrolment_expires_at=None,
    )
    return True


def _wait(retry_after: dt.timedelta | None) -> str:
    return throttle.wait_in_minutes(retry_after or dt.timedelta(minutes=1))


def _throttled(code: str, message: str, retry_after: dt.timedelta | None) -> Refused:
    return Refused(Refusal(code, message.format(wait=_wait(retry_after)), retry_after=retry_after))


def kiosk_card_sign_in(*, device: KioskDevice, serial_number: str, birth_date: dt.date) -> Person:
    """A7 at an enrolled kiosk: the card holder; else raises Refused with the reason (the card
    holder's refusal, or « card_throttled » / « kiosk_throttled »).

    Failures are counted per card (whatever the kiosk) and per kiosk (whatever the card);
    while either is in its cool-off, no card signs in there, the right one included (else
    guessing would go on). A success clears the card's counter, never the kiosk's.
    """
    card_key = throttle.make_key("kiosk-card", serial_number)
    device_key = throttle.make_key("kiosk-device", str(device.pk))
    limits = (
        (card_key, "card_throttled", CARD_TOO_MANY),
        (device_key, "kiosk_throttled", DEVICE_TOO_MANY),
    )
    for key, code, message in limits:
        state = throttle.check(key)
        if not state.allowed:
            raise _throttled(code, message, state.retry_after)
    holder = card_holder(serial_number=serial_number, birth_date=birth_date)
    if holder.person is not None:
        throttle.reset(card_key)
        return holder.person
    card_state = throttle.hit(
        card_key, limit=CARD_FAILURE_LIMIT, window=CARD_FAILURE_WINDOW, cool_off=CARD_COOL_OFF
    )
    device_state = throttle.hit(
        device_key,
        limit=DEVICE_FAILURE_LIMIT,
        window=DEVICE_FAILURE_WINDOW,
        cool_off=DEVICE_COOL_OFF,
    )
    if not card_state.allowed:
        raise _throttled("card_throttled", CARD_TOO_MANY, card_state.retry_after)
    if not device_state.allowed:
        raise _throttled("kiosk_throttled", DEVICE_TOO_MANY, device_state.retry_after)
    assert holder.refusal is not None
    raise Refused(holder.refusal)
