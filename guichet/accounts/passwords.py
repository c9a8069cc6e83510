"""The « code personnel » rules of C5, each broken rule named in its own French message."""

import datetime as dt
import re
import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from guichet.accounts.models import User
from guichet.reference.models import Person

MIN_LENGTH = 8
MAX_LENGTH = 50
SPECIAL_CHARACTERS = string.punctuation
ALLOWED_CHARACTERS = frozenset(string.ascii_letters + string.digits + SPECIAL_CHARACTERS)
# A « part » of the NIR or of the birth date (C5): any run of this many digits taken from them.
FORBIDDEN_PART_LENGTH = 4
# Rule C5 in one sentence, the help text of every field where a new code is chosen.
C5_HELP_TEXT = (
    "De 8 à 50 caractères, avec des lettres minuscules et majuscules sans accent, au moins "
    "un chiffre ou un caractère spécial, sans votre numéro de sécurité sociale ni votre date "
    "de naissance."
)
CODE_REQUIRED = "Saisissez votre nouveau code."
CONFIRMATION_REQUIRED = "Confirmez votre nouveau code."
CODES_DIFFER = "Les deux codes saisis ne sont pas identiques."
# Separators people write between the parts of a date or a NIR (« 15/11 », « 11.83 »,
# « 15-11-1983 », « 1 84 05 »): between two digits they are ignored when parts are searched.
_SEPARATORS_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s./\-_,:]+(?=\d)")


def _digit_runs(source: str, length: int) -> set[str]:
    return {source[i : i + length] for i in range(len(source) - length + 1)}


def personal_parts(nir: str, birth_date: dt.date | None) -> set[str]:
    """Every run of 4 characters of the NIR and of the birth date written DDMMYYYY, YYYYMMDD or DDMMYY."""
    sources = ["".join(nir.split())] if nir else []
    if birth_date:
        sources += [
            birth_date.strftime("%d%m%Y"),
            birth_date.strftime("%Y%m%d"),
            birth_date.strftime("%d%m%y"),
        ]
    parts: set[str] = set()
    for source in sources:
        parts |= _digit_runs(source.upper(), FORBIDDEN_PART_LENGTH)
    return parts


def code_errors(code: str, *, nir: str = "", birth_date: dt.date | None = None) -> list[str]:
    """The list of broken rules, in the order the guide states them; empty when the code is valid."""
    errors = []
    if not MIN_LENGTH <= len(code) <= MAX_LENGTH:
        errors.append(f"Le code doit comporter entre {MIN_LENGTH} et {MAX_LENGTH} caractères.")
    if not any(c in string.ascii_lowercase for c in code):
        errors.append("Le code doit contenir au moins une lettre minuscule (a à z, sans accent).")
    if not any(c in string.ascii_uppercase for c in code):
        errors.append("Le code doit contenir au moins une lettre majuscule (A à Z, sans accent).")
    if not any(c in string.digits or c in SPECIAL_CHARACTERS for c in code):
        errors.append("Le code doit contenir au moins un chiffre ou un caractère spécial.")
    refused = sorted({c for c in code if c not in ALLOWED_CHARACTERS})
    if refused:
        shown = " ".join("espace" if c == " " else c for c in refused)
        errors.append(
            "Le code contient des caractères non autorisés ("
            + shown
            + ") : seuls les lettres sans accent, les chiffres et les caractères spéciaux "
            + SPECIAL_CHARACTERS
            + " sont acceptés."
        )
    compact = _SEPARATORS_BETWEEN_DIGITS.sub("", code.upper())
    if nir and "".join(nir.split()).upper() in compact:
        errors.append("Le code ne doit pas contenir votre numéro de sécurité sociale.")
    elif any(part in compact for part in personal_parts(nir, birth_date)):
        errors.append(
            "Le code ne doit pas contenir votre numéro de sécurité sociale, votre date de naissance "
            "ou une partie de ceux-ci."
        )
    return errors


def new_code_errors(*, code: str, confirmation: str, person: Person) -> dict[str, list[str]]:
    """A new code typed twice (C5), before the account exists: the messages of each field,
    keyed « code » and « confirmation »; empty when both are right.

    The code goes through AUTH_PASSWORD_VALIDATORS (C5's rules with the person's NIR and
    birth date, and the breached-code list); the confirmation is compared once the code is valid.
    """
    errors: dict[str, list[str]] = {}
    valid = False
    if not code:
        errors["code"] = [CODE_REQUIRED]
    else:
        try:
            password_validation.validate_password(code, user=User(person=person))
            valid = True
        except ValidationError as invalid:
            errors["code"] = list(invalid.messages)
    if not confirmation:
        errors["confirmation"] = [CONFIRMATION_REQUIRED]
    elif valid and code != confirmation:
        errors["confirmation"] = [CODES_DIFFER]
    return errors


class CodePersonnelValidator:
    """Django password validator applying C5 with the person's NIR and birth date."""

    def validate(self, password: str, user: object = None) -> None:
        person = getattr(user, "person", None)
        errors = code_errors(
            password,
            nir=getattr(person, "nir", "") or "",
            birth_date=getattr(person, "birth_date", None),
        )
        if errors:
            raise ValidationError(errors, code="code_personnel")

    def get_help_text(self) -> str:
        return C5_HELP_TEXT


class FrenchCommonPasswordValidator:
    """Django's list of 20,000 common (breached) passwords, with a French message."""

    def __init__(self) -> None:
        from django.contrib.auth.password_validation import CommonPasswordValidator

        self._inner = CommonPasswordValidator()

    def validate(self, password: str, user: object = None) -> None:
        if password.lower().strip() in self._inner.passwords:
            raise ValidationError(
                "Ce code fait partie des codes les plus utilisés et les plus piratés : choisissez-en un autre.",
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return "Votre code ne doit pas être un code courant."
