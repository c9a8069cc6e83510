"""Forms of the front desk: find a client file (with the reason logged), check a proxy's ID."""

import re

from django import forms
from django.core.exceptions import ValidationError

from guichet.core.forms import GuichetForm
from guichet.frontdesk.enums import ConsultationReason
from guichet.powers.enums import IdentityDocument
from guichet.reference.validators import (
    normalize_nir,
    validate_nir,
    validate_no_control_characters,
)


class FileLookupForm(GuichetForm):
    nir = forms.CharField(
        label="Numéro de sécurité sociale de l'assuré",
        help_text="13 caractères et la clé de 2 chiffres, par exemple 1 84 12 75 123 456 78",
        max_length=21,
        error_messages={"required": "Saisissez le numéro de sécurité sociale de l'assuré."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    reason = forms.ChoiceField(
        label="Motif de la consultation",
        choices=[("", "Sélectionner"), *ConsultationReason.choices],
        error_messages={
            "required": "Choisissez le motif de la consultation.",
            "invalid_choice": "Choisissez le motif de la consultation.",
        },
    )
    detail = forms.CharField(
        label="Précision sur le motif",
        help_text="Obligatoire pour « Autre motif »",
        max_length=200,
        required=False,
        validators=[validate_no_control_characters],
        error_messages={"max_length": "La précision ne doit pas dépasser 200 caractères."},
    )

    def clean_nir(self) -> str:
        nir = normalize_nir(self.cleaned_data["nir"])
        try:
            validate_nir(nir)
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from error
        return nir

    def clean(self) -> dict:
        data = super().clean()
        if data.get("reason") == ConsultationReason.OTHER and not data.get("detail", "").strip():
            self.add_error("detail", "Précisez le motif de la consultation.")
        return data


class IdentityCheckForm(GuichetForm):
    document_type = forms.ChoiceField(
        label="Pièce d'identité présentée par le mandataire",
        choices=[("", "Sélectionner"), *IdentityDocument.choices],
        error_messages={
            "required": "Choisissez le type de pièce d'identité vérifiée.",
            "invalid_choice": "Choisissez le type de pièce d'identité vérifiée.",
        },
    )
    document_last_digits = forms.CharField(
        label="4 derniers caractères du numéro de la pièce",
        max_length=4,
        min_length=4,
        error_messages={
            "required": "Saisissez les 4 derniers caractères du numéro de la pièce.",
            "min_length": "Saisissez exactement 4 caractères.",
            "max_length": "Saisissez exactement 4 caractères.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    identity_matches = forms.BooleanField(
        label="L'identité de la personne présente correspond au mandataire enregistré",
        error_messages={
            "required": "Confirmez que l'identité correspond au mandataire enregistré."
        },
    )

    def clean_document_last_digits(self) -> str:
        value = self.cleaned_data["document_last_digits"].strip().upper()
        if not re.fullmatch(r"[0-9A-Z]{4}", value):
            raise forms.ValidationError("Saisissez 4 chiffres ou lettres, sans espace.")
        return value
