"""Field rules of the « Espace d'échanges », shared by the web forms and the API's schemas
(docs/decisions/field-validators-in-the-domain.md)."""

from django.core.exceptions import ValidationError

from guichet.exchanges import rules
from guichet.reference.validators import normalize_text, validate_no_control_characters


def validate_body(value: str) -> None:
    """ECH2: a message of 2 to 5,000 characters, without control characters."""
    validate_no_control_characters(value)
    length = len(normalize_text(value))
    if length < rules.BODY_MIN_LENGTH:
        raise ValidationError("Écrivez votre message.", code="body_empty")
    if length > rules.BODY_MAX_LENGTH:
        raise ValidationError(
            f"Votre message compte {length} caractères : il ne doit pas dépasser "
            f"{rules.BODY_MAX_LENGTH} caractères.",
            code="body_too_long",
        )


def validate_subject_other(value: str) -> None:
    """ECH1: the subject of « Autre », 3 to 100 characters on one line."""
    validate_no_control_characters(value)
    text = normalize_text(value)
    if "\n" in text or "\r" in text or "\t" in text:
        raise ValidationError("L'objet tient sur une seule ligne.", code="subject_lines")
    if len(text) < rules.OTHER_SUBJECT_MIN_LENGTH:
        raise ValidationError(
            f"L'objet compte au moins {rules.OTHER_SUBJECT_MIN_LENGTH} caractères.",
            code="subject_too_short",
        )
    if len(text) > rules.OTHER_SUBJECT_MAX_LENGTH:
        raise ValidationError(
            f"L'objet ne doit pas dépasser {rules.OTHER_SUBJECT_MAX_LENGTH} caractères.",
            code="subject_too_long",
        )


def validate_transfer_reason(value: str) -> None:
    """ECH17: the optional reason of a transfer, up to 300 characters."""
    validate_no_control_characters(value)
    length = len(normalize_text(value))
    if length > rules.TRANSFER_REASON_MAX_LENGTH:
        raise ValidationError(
            f"Le motif compte {length} caractères : il ne doit pas dépasser "
            f"{rules.TRANSFER_REASON_MAX_LENGTH} caractères.",
            code="reason_too_long",
        )
