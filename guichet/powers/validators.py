"""Validators of the mandataire's fields (rule P3), with the French messages the web shows."""

import datetime as dt

from guichet.reference.validators import validate_birth_year

PROXY_BIRTH_YEAR_MESSAGE = "Vérifiez l'année de naissance du mandataire."


def validate_proxy_birth_year(value: dt.date) -> None:
    validate_birth_year(value, message=PROXY_BIRTH_YEAR_MESSAGE)
