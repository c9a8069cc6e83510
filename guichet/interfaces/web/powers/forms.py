"""Forms of the online power of attorney (rules P3–P5)."""

import datetime as dt

from django import forms

from guichet.core import clock
from guichet.core.forms import GuichetForm
from guichet.interfaces.web.fields import PersonNameField
from guichet.powers import rules
from guichet.powers.validators import validate_proxy_birth_year
from guichet.reference.enums import Civility

CIVILITY_CHOICES = [("", "Sélectionner"), *Civility.choices]
NAME_MAX = 100


class ProxyForm(GuichetForm):
    """Step 1 « Le mandataire »."""

    civility = forms.ChoiceField(
        label="Civilité",
        choices=CIVILITY_CHOICES,
        error_messages={
            "required": "Sélectionnez la civilité du mandataire.",
            "invalid_choice": "Sélectionnez la civilité du mandataire.",
        },
    )
    last_name = PersonNameField(
        label="Nom",
        max_length=NAME_MAX,
        error_messages={
            "required": "Indiquez le nom du mandataire.",
            "max_length": "Le nom ne doit pas dépasser 100 caractères.",
        },
        widget=forms.TextInput(attrs={"placeholder": "Indiquez le nom", "autocomplete": "off"}),
    )
    usage_name = PersonNameField(
        label="Nom d'usage",
        max_length=NAME_MAX,
        required=False,
        error_messages={"max_length": "Le nom d'usage ne doit pas dépasser 100 caractères."},
        widget=forms.TextInput(
            attrs={"placeholder": "Indiquez le nom d'usage", "autocomplete": "off"}
        ),
    )
    first_name = PersonNameField(
        label="Prénom",
        max_length=NAME_MAX,
        error_messages={
            "required": "Indiquez le prénom du mandataire.",
            "max_length": "Le prénom ne doit pas dépasser 100 caractères.",
        },
        widget=forms.TextInput(attrs={"placeholder": "Indiquez le prénom", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label="Date de naissance",
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%d/%m/%Y"],
        validators=[validate_proxy_birth_year],
        error_messages={
            "required": "Indiquez la date de naissance du mandataire.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA, par exemple 16/04/1991.",
        },
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "JJ/MM/AAAA", "inputmode": "numeric", "autocomplete": "off"},
        ),
    )

    def clean_birth_date(self) -> dt.date:
        birth_date = self.cleaned_data["birth_date"]
        refusal = rules.proxy_birth_date_refusal(birth_date, clock.today())
        if refusal is not None:
            raise forms.ValidationError(refusal.message)
        return birth_date

    def to_draft(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "civility": data["civility"],
            "last_name": data["last_name"].strip(),
            "usage_name": data["usage_name"].strip(),
            "first_name": data["first_name"].strip(),
            "birth_date": data["birth_date"].isoformat(),
        }

    @staticmethod
    def initial_from_draft(draft: dict[str, str]) -> dict[str, object]:
        initial: dict[str, object] = {
            k: draft.get(k, "") for k in ("civility", "last_name", "usage_name", "first_name")
        }
        if draft.get("birth_date"):
            initial["birth_date"] = dt.date.fromisoformat(draft["birth_date"])
        return initial


class ConfirmPowerForm(GuichetForm):
    """Step 2 « Récapitulatif des éléments déclarés »."""

    certify = forms.BooleanField(
        label="Je certifie l'exactitude des éléments déclarés",
        error_messages={
            "required": "Cochez « Je certifie l'exactitude des éléments déclarés » pour valider."
        },
    )
    token = forms.UUIDField(widget=forms.HiddenInput)
