"""Validators of the fund's identifiers and of the fields people type, with French messages.

Each raises Django's ValidationError with the message the web shows; the web forms use them as
field validators and the API's schemas call them through pydantic (guichet/interfaces/api/schemas.py), so
a field's rule is written once (docs/decisions/field-validators-in-the-domain.md).
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as stdnum_nir


def normalize_nir(value: str) -> str:
    return "".join(str(value).split()).upper()


def validate_nir(value: str) -> None:
    """A NIR has 13 characters and a 2-digit key (rule G1), checked by python-stdnum."""
    compact = normalize_nir(value)
    if len(compact) != 15:
        raise ValidationError(
            "Le numéro de sécurité sociale doit comporter 13 caractères suivis d'une clé de 2 chiffres.",
            code="nir_length",
        )
    try:
        stdnum_nir.validate(compact)
    except StdnumError as exc:
        raise ValidationError(
            "Ce numéro de sécurité sociale n'est pas valide : vérifiez les chiffres et la clé.",
            code="nir_invalid",
        ) from exc


NIR_FORMAT_MESSAGE = (
    "Le numéro de sécurité sociale comporte 13 caractères suivis d'une clé de 2 chiffres."
)


def validate_nir_format(value: str) -> None:
    """The shape of a typed NIR (rule G1) at login and account creation: 15 characters once
    spaces are removed, a digit first, digits from the 8th on (Corsica's 2A/2B in between).
    The key is not checked here: a wrong NIR is answered like a wrong code."""
    nir = normalize_nir(value)
    if len(nir) != 15 or not (nir[:1].isdigit() and nir[7:].isdigit()):
        raise ValidationError(NIR_FORMAT_MESSAGE, code="nir_format")


POSTAL_CODE_MESSAGE = "Le code postal comporte 5 chiffres."


def validate_postal_code(value: str) -> None:
    """A French postal code: 5 ASCII digits (C2 « Mon code postal », A4's new address)."""
    if len(value) != 5 or not value.isascii() or not value.isdigit():
        raise ValidationError(POSTAL_CODE_MESSAGE, code="postal_code")


# A birth year before this one is a typing mistake (« 0991 » for « 1991 »).
EARLIEST_BIRTH_YEAR = 1900


def validate_birth_year(value: dt.date, *, message: str) -> None:
    if value.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(message, code="birth_year")


# The proof of way 1 (rule C2): the last 7 characters of the IBAN on file and the last 11
# digits of the serial number of the photo carte Vitale.
IBAN_TAIL_LENGTH = 7
SERIAL_TAIL_LENGTH = 11


def compact(value: str) -> str:
    """The typed value without any space (« FR76 3000 » → « FR763000 »)."""
    return "".join(str(value).split())


def validate_iban_tail(value: str) -> None:
    tail = compact(value)
    if len(tail) != IBAN_TAIL_LENGTH or not tail.isalnum():
        raise ValidationError(
            f"Saisissez exactement {IBAN_TAIL_LENGTH} chiffres ou lettres.", code="iban_tail"
        )


def validate_serial_tail(value: str) -> None:
    tail = compact(value)
    if len(tail) != SERIAL_TAIL_LENGTH or not tail.isdigit():
        raise ValidationError(
            f"Saisissez exactement {SERIAL_TAIL_LENGTH} chiffres.", code="serial_tail"
        )


# Phones of the contact data (rule C6), stored as « 06 12 34 56 78 ».
_MOBILE = re.compile(r"0[67]\d{8}")
_LANDLINE = re.compile(r"0[1-59]\d{8}")
MOBILE_MESSAGE = "Le numéro de portable doit commencer par 06 ou 07 et compter 10 chiffres."
LANDLINE_MESSAGE = "Le numéro de fixe doit commencer par 01 à 05 ou 09 et compter 10 chiffres."


def clean_french_phone(value: str, *, mobile: bool) -> str:
    """The phone written « 06 12 34 56 78 » ("" when none is typed); +33 and 0033 accepted."""
    typed = value.strip()
    if not typed:
        return ""
    digits = re.sub(r"[\s.\-]", "", typed)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if not (_MOBILE if mobile else _LANDLINE).fullmatch(digits):
        raise ValidationError(MOBILE_MESSAGE if mobile else LANDLINE_MESSAGE, code="phone")
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def normalize_iban(value: str) -> str:
    return "".join(str(value).split()).upper()


def validate_iban(value: str) -> None:
    try:
        IBAN(normalize_iban(value))
    except SchwiftyException as exc:
        raise ValidationError("Cet IBAN n'est pas valide.", code="iban_invalid") from exc


# Text that reaches a document (names, postal addresses), issue 13. The accepted characters
# are those a French civil-status name or postal address can hold: Latin letters with their
# diacritics (é, è, ç, ï, œ, æ, ñ, ø, ł, ß…), space, apostrophe (' and ’), hyphen, and for an
# address also digits and , . / ° ( ) &. Every one of them is printed by the documents' fonts.
# Text is compared and stored in NFC, so an « é » typed as « e » + accent is one « é ».
_LATIN_LETTER_RANGES = (
    (0x0041, 0x005A),
    (0x0061, 0x007A),
    (0x00C0, 0x024F),  # Latin-1 Supplement letters, Latin Extended-A and -B
    (0x1E00, 0x1EFF),  # Latin Extended Additional
)
NAME_PUNCTUATION = " '’-"
ADDRESS_PUNCTUATION = NAME_PUNCTUATION + "0123456789,./°()&"
NAME_ACCEPTED = (
    "Seuls les lettres (accents compris), l'espace, l'apostrophe et le trait d'union sont acceptés."
)
ADDRESS_ACCEPTED = (
    "Seuls les lettres (accents compris), les chiffres, l'espace, l'apostrophe, le trait "
    "d'union et les signes , . / ° ( ) & sont acceptés."
)


def normalize_text(value: str) -> str:
    return unicodedata.normalize("NFC", str(value)).strip()


def _is_latin_letter(char: str) -> bool:
    code = ord(char)
    return unicodedata.category(char).startswith("L") and any(
        low <= code <= high for low, high in _LATIN_LETTER_RANGES
    )


def _shown(char: str) -> str:
    """How a refused character is named in a message: itself, or its code if invisible."""
    if unicodedata.category(char)[0] in {"C", "Z"} and char != " ":
        return f"un caractère invisible ou de contrôle (U+{ord(char):04X})"
    return f"« {char} »"


def _refused(value: str, allowed: str) -> list[str]:
    refused: list[str] = []
    for char in normalize_text(value):
        if not (_is_latin_letter(char) or char in allowed) and char not in refused:
            refused.append(char)
    return refused


def _validate_text(value: str, *, allowed: str, accepted: str) -> None:
    refused = _refused(value, allowed)
    if refused:
        named = ", ".join(_shown(char) for char in refused[:3])
        more = " (et d'autres)" if len(refused) > 3 else ""
        raise ValidationError(
            f"Ce champ contient un caractère qui n'est pas accepté : {named}{more}. {accepted}",
            code="characters",
        )


def validate_person_name(value: str) -> None:
    """A last name, usage name or first name as French civil status writes it."""
    _validate_text(value, allowed=NAME_PUNCTUATION, accepted=NAME_ACCEPTED)
    if value.strip() and not any(_is_latin_letter(char) for char in normalize_text(value)):
        raise ValidationError("Un nom comporte au moins une lettre.", code="characters")


def validate_address_line(value: str) -> None:
    """A line of a French postal address (number and street, complement, city)."""
    _validate_text(value, allowed=ADDRESS_PUNCTUATION, accepted=ADDRESS_ACCEPTED)


# Control characters are refused in every text input (NUL makes PostgreSQL fail; the others
# print nothing, or break lines, in a document); tab and line breaks are kept for text areas.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def control_character(value: str) -> str | None:
    """The first control character (C0, DEL, C1) or surrogate of `value`, if any."""
    for char in value:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _ALLOWED_CONTROLS) or category == "Cs":
            return char
    return None


def control_character_message(char: str) -> str:
    return (
        f"Ce champ contient un caractère de contrôle (U+{ord(char):04X}), qui n'est pas "
        "accepté : retirez-le puis recommencez."
    )


def validate_no_control_characters(value: str) -> None:
    char = control_character(str(value))
    if char is not None:
        raise ValidationError(control_character_message(char), code="control_character")
