"""References printed on each document and the signed payload of its QR code.

A reference reads ``ATD-7K2M-Q9XP-4HTC``: a prefix for the kind of document, 8 random
characters, and 4 characters of an HMAC (keyed by SECRET_KEY) of the rest, so that a mistyped
or altered reference is refused before the database is even asked. The QR code holds the URL
of the verification page for a signed code: the reference and the issue date followed by 16
characters of an HMAC-SHA256 keyed by SECRET_KEY (80 bits), so any change to one character
fails. The code carries nothing personal; it is kept short so the QR code stays small and
fast to draw (see docs/decisions/certificates-qr-code.md).
"""

import datetime as dt
import hmac
import secrets
from hashlib import sha256

from django.conf import settings

from guichet.certificates.enums import DocumentKind

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
VERIFY_PATH = "/verifier/"
QR_SALT = "guichet.certificates.qr"
QR_SIGNATURE_LENGTH = 16  # 80 bits of HMAC-SHA256
PREFIXES = {
    DocumentKind.RIGHTS: "ATD",
    DocumentKind.DAILY_ALLOWANCE: "AIJ",
    DocumentKind.MONTHLY_STATEMENT: "RLM",
    DocumentKind.TAX_STATEMENT: "RLF",
    DocumentKind.CEAM_PROVISIONAL: "CPR",
}


def _mac(text: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"certificate-reference:{text}".encode(), sha256
    ).digest()
    return "".join(ALPHABET[b % 32] for b in digest[:4])


def new_reference(kind: str) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    head = f"{PREFIXES[DocumentKind(kind)]}-{body[:4]}-{body[4:]}"
    return f"{head}-{_mac(head)}"


def normalize_reference(text: str) -> str:
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(compact) != 15:
        return text.strip().upper()
    return f"{compact[:3]}-{compact[3:7]}-{compact[7:11]}-{compact[11:]}"


def reference_is_genuine(reference: str) -> bool:
    head, _, mac = reference.rpartition("-")
    return bool(head) and hmac.compare_digest(_mac(head), mac)


def _signature(text: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{QR_SALT}:{text}".encode(), sha256).digest()
    return "".join(ALPHABET[b % 32] for b in digest[:QR_SIGNATURE_LENGTH])


def qr_code(*, reference: str, issued_on: dt.date) -> str:
    """``ATD-7K2M-Q9XP-4HTC.20260310.<16 characters of HMAC>``: short, so the QR code stays small."""
    text = f"{reference}.{issued_on:%Y%m%d}"
    return f"{text}.{_signature(text)}"


def is_signed_code(code: str) -> bool:
    """Whether the text has the QR code's shape (reference, date, signature), signed or not."""
    return code.count(".") == 2


def qr_payload(code: str) -> dict | None:
    """The signed fields of a QR code, or None when the code was altered."""
    text, _, signature = code.strip().upper().rpartition(".")
    reference, _, day = text.partition(".")
    if not (reference and day) or not hmac.compare_digest(_signature(text), signature):
        return None
    try:
        issued_on = dt.datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        return None
    return {"reference": reference, "issued_on": issued_on}


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{VERIFY_PATH}{code}/"
