"""The form of « Commander une carte européenne d'assurance maladie (CEAM) »: it only reads
what was sent; the rules are the service's (guichet.ceam.rules)."""

import datetime as dt

from django import forms

from guichet.ceam import rules
from guichet.core import clock
from guichet.core.forms import GuichetForm


class CeamOrderForm(GuichetForm):
    beneficiary = forms.TypedChoiceField(
        label="Bénéficiaire de la CEAM",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le bénéficiaire de la CEAM.",
            "invalid_choice": "Ce bénéficiaire ne peut pas commander de CEAM en ligne.",
        },
    )
    departure_on = forms.DateField(
        label="Date de départ à l'étranger (facultatif)",
        help_text=(
            "Format attendu : JJ/MM/AAAA. Si vous partez avant de recevoir la carte, un "
            "certificat provisoire de remplacement vous est délivré tout de suite."
        ),
        required=False,
        input_formats=["%d/%m/%Y"],
        error_messages={
            "invalid": "Saisissez une date au format JJ/MM/AAAA, par exemple 14/07/2027.",
        },
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "JJ/MM/AAAA", "inputmode": "numeric", "autocomplete": "off"},
        ),
    )

    def __init__(self, *args: object, allowed: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].choices = [(p.pk, str(p)) for p in allowed]

    def clean_departure_on(self) -> dt.date | None:
        departure_on = self.cleaned_data["departure_on"]
        refusal = rules.departure_refusal(departure_on, clock.today())
        if refusal is not None:
            raise forms.ValidationError(refusal.message)
        return departure_on
