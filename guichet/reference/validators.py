"""Validators of the fund's identifiers, with French messages."""

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
