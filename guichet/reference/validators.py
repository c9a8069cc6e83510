"""Validators of the fund's identifiers, with French messages."""

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
