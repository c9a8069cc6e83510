"""Field rules of appointments, shared by the web forms and any future API schema."""

from django.core.exceptions import ValidationError

from guichet.reference.validators import clean_french_phone

PHONE_MESSAGE = (
    "Le numéro de téléphone doit compter 10 chiffres et commencer par 01 à 07 ou 09 "
    "(par exemple 06 12 34 56 78)."
)


def clean_appointment_phone(value: str) -> str:
    """A French mobile or landline, written « 06 12 34 56 78 »; required."""
    if not value.strip():
        raise ValidationError("Indiquez un numéro de téléphone où vous joindre.", code="required")
    for mobile in (True, False):
        try:
            return clean_french_phone(value, mobile=mobile)
        except ValidationError:
            continue
    raise ValidationError(PHONE_MESSAGE, code="phone")
