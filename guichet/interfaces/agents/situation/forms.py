"""The back office's check of a bank-details change (rule SIT9) and of a usage-name change
(SIT14)."""

from django import forms

from guichet.cards.uploads import JPEG, PDF, PNG
from guichet.core.forms import GuichetForm
from guichet.reference.validators import (
    normalize_iban,
    normalize_text,
    validate_address_line,
    validate_iban,
    validate_no_control_characters,
)
from guichet.situation.enums import (
    Decision,
    NewbornDecision,
    OtherParentDecision,
    UsageNameDecision,
)


class HolderNameField(forms.CharField):
    """A holder's name as the RIB prints it (letters, digits, « . » « , » « - » « ' »…)."""

    default_validators = [validate_no_control_characters, validate_address_line]

    def to_python(self, value: object) -> str:
        return normalize_text(super().to_python(value))


class BankChangeDecisionForm(GuichetForm):
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


class DeskBankDetailsForm(GuichetForm):
    """SIT11: new bank details recorded at the front desk, with the RIB the insured brings."""

    iban = forms.CharField(
        label="IBAN du nouveau compte",
        help_text="Tel qu'il figure sur le RIB, par exemple FR76 3000 6000 0112 3456 7890 189",
        max_length=42,
        validators=[validate_iban],
        error_messages={"required": "Saisissez l'IBAN du nouveau compte."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    holder_name = HolderNameField(
        label="Titulaire du compte",
        help_text="Tel qu'il figure sur le RIB",
        max_length=100,
        error_messages={"required": "Saisissez le nom du titulaire du compte."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    rib = forms.FileField(
        label="RIB numérisé",
        help_text="Format PDF, JPEG ou PNG, 5 Mo maximum.",
        error_messages={"required": "Joignez le RIB numérisé."},
        widget=forms.ClearableFileInput(attrs={"accept": f"{PDF},{JPEG},{PNG}"}),
    )
    identity_checked = forms.BooleanField(
        label="J'ai vérifié la pièce d'identité de l'assuré et le RIB est à son nom",
        required=False,
    )

    def clean_iban(self) -> str:
        return normalize_iban(self.cleaned_data["iban"])


class UsageNameDecisionForm(GuichetForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=UsageNameDecision.choices,
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


class NewbornDecisionForm(GuichetForm):
    """SIT20: the child's NIR given by the Insee, or a refusal with its reason."""

    decision = forms.ChoiceField(
        label="Décision",
        choices=NewbornDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une décision.",
            "invalid_choice": "Choisissez une des décisions proposées.",
        },
    )
    nir = forms.CharField(
        label="Numéro de sécurité sociale de l'enfant (Insee)",
        help_text="13 caractères et la clé, pour certifier le NIR",
        required=False,
        max_length=21,
        validators=[validate_no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label="Motif du refus (visible par l'assuré)",
        required=False,
        max_length=500,
        validators=[validate_no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Le motif ne doit pas dépasser 500 caractères."},
    )


class OtherParentDecisionForm(GuichetForm):
    """SIT25: the child attached to the other parent's family, or a refusal with its reason."""

    decision = forms.ChoiceField(
        label="Décision",
        choices=OtherParentDecision.choices,
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
