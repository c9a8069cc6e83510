"""The agents' second factor: a TOTP application and single-use recovery codes (django-otp).

Every agent page and the IT team's /admin/ need the password *and* a second factor
(docs/decisions/security-agents-second-factor.md). The IT team enrols an agent
(`manage.py agent_second_factor USERNAME`): one TOTP device (« Application d'authentification »,
6-digit codes every 30 seconds) and one set of recovery codes (« Codes de secours »), each
usable once. The same command replaces a lost phone, so no one is locked out for good.

Wrong codes are counted with the shared database throttle (guichet.core.throttle), per agent
across IP addresses and per IP address across agents: a 6-digit code cannot be brute-forced
(the numbers and the arithmetic are in the decision record). django-otp's own per-device
back-off is switched off in the settings (OTP_*_THROTTLE_FACTOR = 0): it grows without bound,
and one counter is enough.
"""

import datetime as dt
import re
import secrets
from base64 import b32decode, b32encode
from dataclasses import dataclass

from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import LoginEvent, User
from guichet.core import throttle

TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"
RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6

# Wrong passwords at the agents' login (which is also /admin/'s), on top of the per
# (identifier, IP) limit of settings.LOGIN_FAILURE_LIMIT shared with the insured's login.
PASSWORD_ACCOUNT_LIMIT = 10  # per agent identifier, whatever the IP address
PASSWORD_IP_LIMIT = 20  # per IP address, whatever the identifier (codes count here too)
PASSWORD_WINDOW = dt.timedelta(minutes=15)

# Wrong second-factor codes, per agent whatever the IP address: a short and a daily limit.
CODE_SHORT_LIMIT = 5
CODE_SHORT_WINDOW = dt.timedelta(minutes=15)
CODE_DAILY_LIMIT = 10
CODE_DAILY_WINDOW = dt.timedelta(hours=24)

WRONG_CODE = (
    "Code de vérification incorrect. Saisissez le code à 6 chiffres affiché maintenant par "
    "votre application d'authentification (chaque code ne sert qu'une fois), ou l'un de vos "
    "codes de secours."
)
NO_DEVICE = (
    "Le second facteur d'authentification de votre compte n'est pas encore activé. "
    "Adressez-vous à l'équipe informatique de la caisse pour l'activer."
)


def _wait(retry_after: dt.timedelta) -> str:
    hours = int(retry_after.total_seconds() // 3600)
    if hours >= 2:
        return f"{hours} heures"
    return throttle.wait_in_minutes(retry_after)


def code_throttled_message(retry_after: dt.timedelta) -> str:
    return (
        "Trop de codes de vérification erronés. Pour votre sécurité, réessayez dans "
        f"{_wait(retry_after)}. Si vous n'avez plus accès à votre application ni à vos codes "
        "de secours, adressez-vous à l'équipe informatique de la caisse."
    )


def _account_key(login: str) -> str:
    return throttle.make_key("agent-password-account", login)


def _ip_key(ip: str) -> str:
    return throttle.make_key("agent-ip", ip)


def _code_keys(user: User) -> list[tuple[str, int, dt.timedelta]]:
    return [
        (throttle.make_key("agent-code", str(user.pk)), CODE_SHORT_LIMIT, CODE_SHORT_WINDOW),
        (throttle.make_key("agent-code-day", str(user.pk)), CODE_DAILY_LIMIT, CODE_DAILY_WINDOW),
    ]


def _longest_block(keys: list[str]) -> dt.timedelta | None:
    waits = [s.retry_after for s in map(throttle.check, keys) if s.retry_after is not None]
    return max(waits) if waits else None


def _hit_all(rules: list[tuple[str, int, dt.timedelta]]) -> dt.timedelta | None:
    """Count one failure on every key; the longest cool-off started or running, if any."""
    waits = []
    for key, limit, window in rules:
        state = throttle.hit(key, limit=limit, window=window, cool_off=window)
        if state.retry_after is not None:
            waits.append(state.retry_after)
    return max(waits) if waits else None


def password_blocked(*, login: str, ip: str) -> dt.timedelta | None:
    """The wait before this agent identifier or this IP address may try a password again."""
    return _longest_block([_account_key(login), _ip_key(ip)])


def password_failed(*, login: str, ip: str) -> dt.timedelta | None:
    """Count a wrong agent password per identifier and per IP; the cool-off if one started."""
    return _hit_all(
        [
            (_account_key(login), PASSWORD_ACCOUNT_LIMIT, PASSWORD_WINDOW),
            (_ip_key(ip), PASSWORD_IP_LIMIT, PASSWORD_WINDOW),
        ]
    )


def agent_has_device(user: User) -> bool:
    """Whether the IT team has enrolled this agent (a confirmed TOTP device)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


@dataclass(frozen=True)
class CodeResult:
    device: Device | None
    error: str = ""
    retry_after: dt.timedelta | None = None


def _normalize(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def agent_code_verify(*, user: User, code: str, ip: str) -> CodeResult:
    """Check a second-factor code: a TOTP code (never twice: django-otp keeps the last time step
    used) or a recovery code (deleted once used). Throttled per agent and per IP address; a
    blocked agent or address is refused even the right code until the cool-off ends."""
    code_rules = _code_keys(user)
    wait = _longest_block([key for key, _, _ in code_rules] + [_ip_key(ip)])
    if wait is not None:
        LoginEvent.objects.create(
            user=user, outcome=LoginEvent.Outcome.THROTTLED, ip_address=ip or None
        )
        return CodeResult(None, code_throttled_message(wait), wait)
    token = _normalize(code)
    device = _match(user, token) if token else None
    if device is not None:
        for key, _, _ in code_rules:
            throttle.reset(key)
        return CodeResult(device)
    LoginEvent.objects.create(user=user, outcome=LoginEvent.Outcome.FAILURE, ip_address=ip or None)
    wait = _hit_all([*code_rules, (_ip_key(ip), PASSWORD_IP_LIMIT, PASSWORD_WINDOW)])
    if wait is not None:
        return CodeResult(None, code_throttled_message(wait), wait)
    return CodeResult(None, WRONG_CODE)


@transaction.atomic
def _match(user: User, token: str) -> Device | None:
    """The device that accepts the token, rows locked so that two requests never both use it."""
    model = TOTPDevice if len(token) == TOTP_DIGITS and token.isdigit() else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
        if device.verify_token(token):
            return device
    return None


@dataclass(frozen=True)
class Enrolment:
    seed: str  # base32, as typed into an authenticator application
    config_url: str  # otpauth:// provisioning URI, for a QR code
    recovery_codes: list[str]


def _new_recovery_code() -> str:
    return StaticToken.random_token()


@transaction.atomic
def agent_second_factor_set(
    *, user: User, seed: str | None = None, recovery_codes: list[str] | None = None
) -> Enrolment:
    """Give an agent a TOTP device and recovery codes, replacing any previous ones (a lost
    phone), and lift the second-factor throttle. With a seed and codes (the demo), the same call
    leaves the same state however often it runs: the rows are updated, not replaced."""
    if not user.is_agent:
        raise ValueError("Seuls les comptes agents ont un second facteur.")
    key = (b32decode(seed.upper()) if seed else secrets.token_bytes(20)).hex()
    totp = TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME).first() or TOTPDevice(
        user=user, name=TOTP_DEVICE_NAME
    )
    if totp.pk is None or totp.key != key or not totp.confirmed:
        totp.key, totp.confirmed, totp.last_t, totp.drift = key, True, -1, 0
        totp.save()
    TOTPDevice.objects.filter(user=user).exclude(pk=totp.pk).delete()
    codes = (
        [_normalize(c) for c in recovery_codes]
        if recovery_codes is not None
        else [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    )
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=static.pk).delete()
    if not static.confirmed:
        static.confirmed = True
        static.save(update_fields=["confirmed"])
    static.token_set.exclude(token__in=codes).delete()
    present = set(static.token_set.values_list("token", flat=True))
    StaticToken.objects.bulk_create(
        [StaticToken(device=static, token=c) for c in codes if c not in present]
    )
    for rule_key, _, _ in _code_keys(user):
        throttle.reset(rule_key)
    return Enrolment(
        seed=b32encode(totp.bin_key).decode(), config_url=totp.config_url, recovery_codes=codes
    )
