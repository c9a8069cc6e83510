"""The back office's review of a carte Vitale order (issue 7)."""

from django import forms

from guichet.core.forms import GuichetForm
from guichet.reference.validators import validate_no_control_characters


class ReviewForm(GuichetForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("accept", "Pièces conformes"), ("reject", "Refuser la commande")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une décision."},
    )
    reason = forms.CharField(
        label="Motif du refus (visible par l'assuré)",
        required=False,
        max_length=500,
        validators=[validate_no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Le motif ne doit pas dépasser 500 caractères."},
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif du refus : l'assuré le verra.")
        return data
