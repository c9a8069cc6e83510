"""Validators of the account's own fields (rule C6), with the French messages the web shows."""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

EMAIL_REQUIRED = "Saisissez votre adresse email."
EMAIL_INVALID = "Saisissez une adresse email valide, par exemple nom@exemple.fr."
EMAIL_MAX_LENGTH = 254

_email = EmailValidator(message=EMAIL_INVALID)


def validate_email_address(value: str) -> None:
    try:
        _email(value)
    except ValidationError:
        raise ValidationError(EMAIL_INVALID, code="invalid") from None
