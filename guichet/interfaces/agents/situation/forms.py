"""The back office's check of a bank-details change (rule SIT9)."""

from django import forms

from guichet.reference.validators import validate_no_control_characters
from guichet.situation.enums import Decision


class BankChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une décision.",
            "invalid_choice": "Choisissez une des décisions proposées.",
        },
    )
    reason = forms.CharField(
        label="Motif du refus (visible par l'assuré)",
        required=False,
        max_length=500,
        validators=[validate_no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Le motif ne doit pas dépasser 500 caractères."},
    )
