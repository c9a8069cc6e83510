"""Form fields for text that reaches a document: names and postal addresses (issue 13).

The value is normalised (NFC, stripped) and checked by the domain validators of
guichet.reference.validators, with their French message naming the refused character.
"""

from django import forms

from guichet.reference.validators import (
    normalize_text,
    validate_address_line,
    validate_no_control_characters,
    validate_person_name,
)


class _TextField(forms.CharField):
    def to_python(self, value: object) -> str:
        return normalize_text(super().to_python(value))


class PersonNameField(_TextField):
    default_validators = [validate_no_control_characters, validate_person_name]


class AddressLineField(_TextField):
    default_validators = [validate_no_control_characters, validate_address_line]
