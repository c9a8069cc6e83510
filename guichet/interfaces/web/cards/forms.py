"""Forms of the carte Vitale pages (rules V1-V3): they only read what was sent."""

from django import forms

from guichet.cards.enums import DeclarationKind, IdentityDocumentType
from guichet.cards.uploads import HEIF, JPEG, PDF, PNG
from guichet.core.forms import GuichetForm


class DeclarationForm(GuichetForm):
    card = forms.TypedChoiceField(
        label="Carte Vitale concernée",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez la carte Vitale concernée.",
            "invalid_choice": "Choisissez une des cartes Vitale proposées.",
        },
    )
    kind = forms.ChoiceField(
        label="Motif de la déclaration",
        choices=DeclarationKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez si la carte est perdue, volée ou ne fonctionne plus.",
            "invalid_choice": "Choisissez un des motifs proposés.",
        },
    )

    def __init__(self, *args: object, cards: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["card"].choices = [
            (card.pk, f"{card.person.first_names} {card.person.display_last_name}")
            for card in cards
        ]


class BeneficiaryForm(GuichetForm):
    beneficiary = forms.TypedChoiceField(
        label="Bénéficiaire de la nouvelle carte Vitale",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le bénéficiaire de la nouvelle carte Vitale.",
            "invalid_choice": "Ce bénéficiaire ne peut pas commander de carte Vitale en ligne.",
        },
    )

    def __init__(self, *args: object, allowed: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].choices = [(p.pk, str(p)) for p in allowed]


class PhotoForm(GuichetForm):
    photo = forms.FileField(
        label="Photo d'identité",
        help_text="Format JPEG, PNG ou HEIC, 5 Mo maximum, au moins 300 × 400 pixels.",
        error_messages={"required": "Choisissez le fichier de votre photo d'identité."},
        widget=forms.ClearableFileInput(
            attrs={"accept": f"{JPEG},{PNG},{HEIF},image/heic,.heic,.heif"}
        ),
    )


class DocumentForm(GuichetForm):
    document_type = forms.ChoiceField(
        label="Type de pièce d'identité",
        choices=[("", "Sélectionnez un type de pièce"), *IdentityDocumentType.choices],
        error_messages={
            "required": "Choisissez le type de votre pièce d'identité.",
            "invalid_choice": "Choisissez un des types de pièce proposés.",
        },
    )
    document = forms.FileField(
        label="Pièce d'identité",
        required=False,
        help_text="Format JPEG, PNG, HEIC ou PDF, 5 Mo maximum.",
        widget=forms.ClearableFileInput(
            attrs={"accept": f"{JPEG},{PNG},{HEIF},image/heic,.heic,.heif,{PDF}"}
        ),
    )
