"""Forms of « Déclarer un changement de situation »: the postal address (also A4's « Je
renseigne ma nouvelle adresse »), the bank details (rules SIT1–SIT6) and the usage name
(SIT12, SIT13). The fields' own
rules are the domain validators; the service checks them again with the rules between fields
(postal code and commune, holder and insured)."""

from django import forms

from guichet.cards.uploads import JPEG, PDF, PNG
from guichet.core.forms import GuichetForm
from guichet.interfaces.web.fields import AddressLineField, PersonNameField
from guichet.reference.enums import Gender
from guichet.reference.validators import (
    normalize_iban,
    validate_iban,
    validate_nir,
    validate_postal_code,
)
from guichet.situation.enums import UsageNameProof


class AddressForm(GuichetForm):
    line1 = AddressLineField(
        label="Numéro et libellé de la voie",
        max_length=200,
        error_messages={"required": "Saisissez votre adresse (numéro et voie)."},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line2 = AddressLineField(
        label="Complément d'adresse",
        help_text="Bâtiment, appartement, lieu-dit (facultatif)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    postal_code = forms.CharField(
        label="Code postal",
        help_text="5 chiffres, par exemple 75002",
        max_length=5,
        validators=[validate_postal_code],
        error_messages={"required": "Saisissez votre code postal."},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    city = AddressLineField(
        label="Commune",
        help_text="Par exemple Paris ou Oyonnax",
        max_length=100,
        error_messages={"required": "Saisissez votre commune."},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )


class BankDetailsForm(GuichetForm):
    iban = forms.CharField(
        label="IBAN du nouveau compte",
        help_text="Il figure sur votre RIB, par exemple FR76 3000 6000 0112 3456 7890 189",
        max_length=42,
        validators=[validate_iban],
        error_messages={"required": "Saisissez l'IBAN du nouveau compte."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    holder_name = AddressLineField(
        label="Titulaire du compte",
        help_text="Tel qu'il figure sur le RIB : le compte doit être à votre nom",
        max_length=100,
        error_messages={"required": "Saisissez le nom du titulaire du compte."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    rib = forms.FileField(
        label="Relevé d'identité bancaire (RIB)",
        help_text="Format PDF, JPEG ou PNG, 5 Mo maximum.",
        error_messages={"required": "Joignez votre RIB."},
        widget=forms.ClearableFileInput(attrs={"accept": f"{PDF},{JPEG},{PNG}"}),
    )
    code = forms.CharField(
        label="Mon code personnel",
        help_text="Pour votre sécurité, saisissez à nouveau votre code personnel.",
        max_length=128,
        strip=False,
        error_messages={"required": "Saisissez votre code personnel."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_iban(self) -> str:
        return normalize_iban(self.cleaned_data["iban"])


class UsageNameForm(GuichetForm):
    usage_name = PersonNameField(
        label="Mon nouveau nom d'usage",
        help_text="Tel qu'il figure sur le justificatif, par exemple MARTIN ou DURAND-MARTIN",
        max_length=100,
        error_messages={
            "required": "Saisissez votre nouveau nom d'usage.",
            "max_length": "Le nom d'usage ne doit pas dépasser 100 caractères.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    proof_kind = forms.ChoiceField(
        label="Justificatif joint",
        choices=[("", "Sélectionnez le justificatif"), *UsageNameProof.choices],
        error_messages={
            "required": "Choisissez le justificatif que vous joignez.",
            "invalid_choice": "Choisissez un des justificatifs proposés.",
        },
    )
    proof = forms.FileField(
        label="Fichier du justificatif",
        help_text="Format PDF, JPEG ou PNG, 5 Mo maximum.",
        error_messages={"required": "Joignez votre justificatif."},
        widget=forms.ClearableFileInput(attrs={"accept": f"{PDF},{JPEG},{PNG}"}),
    )


class NewbornForm(GuichetForm):
    """SIT17, SIT18: the child as the birth certificate names them, and the certificate."""

    last_name = PersonNameField(
        label="Nom de l'enfant",
        help_text="Tel qu'il figure sur l'acte de naissance",
        max_length=100,
        error_messages={
            "required": "Saisissez le nom de l'enfant.",
            "max_length": "Ce champ ne doit pas dépasser 100 caractères.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    first_names = PersonNameField(
        label="Prénoms de l'enfant",
        help_text="Dans l'ordre de l'acte de naissance, séparés par un espace",
        max_length=150,
        error_messages={
            "required": "Saisissez le prénom de l'enfant.",
            "max_length": "Ce champ ne doit pas dépasser 150 caractères.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label="Sexe",
        choices=[("", "Sélectionnez le sexe"), *Gender.choices],
        error_messages={
            "required": "Indiquez le sexe de l'enfant.",
            "invalid_choice": "Indiquez le sexe de l'enfant.",
        },
    )
    birth_date = forms.DateField(
        label="Date de naissance",
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%d/%m/%Y"],
        error_messages={
            "required": "Saisissez la date de naissance de l'enfant.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA, par exemple 16/04/2026.",
        },
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "JJ/MM/AAAA", "inputmode": "numeric", "autocomplete": "off"},
        ),
    )
    birth_certificate = forms.FileField(
        label="Acte de naissance",
        help_text="Format PDF, JPEG ou PNG, 5 Mo maximum.",
        error_messages={"required": "Joignez l'acte de naissance."},
        widget=forms.ClearableFileInput(attrs={"accept": f"{PDF},{JPEG},{PNG}"}),
    )


class OtherParentForm(GuichetForm):
    """SIT22–SIT24: the child, the other parent as their carte Vitale names them, the proof."""

    child = forms.TypedChoiceField(
        label="Enfant à inscrire",
        coerce=int,
        error_messages={
            "required": "Choisissez l'enfant à inscrire.",
            "invalid_choice": "Choisissez un de vos enfants.",
        },
    )
    nir = forms.CharField(
        label="Numéro de sécurité sociale de l'autre parent",
        help_text="15 chiffres, tels qu'ils figurent sur sa carte Vitale",
        max_length=21,
        error_messages={"required": "Saisissez le numéro de sécurité sociale de l'autre parent."},
        # G1's key checked with the other fields, so that every mistake is told at once (the
        # service checks it again for the app).
        validators=[validate_nir],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    last_name = PersonNameField(
        label="Nom de l'autre parent",
        help_text="Son nom de naissance ou son nom d'usage",
        max_length=100,
        error_messages={
            "required": "Saisissez le nom de l'autre parent.",
            "max_length": "Ce champ ne doit pas dépasser 100 caractères.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label="Date de naissance de l'autre parent",
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%d/%m/%Y"],
        error_messages={
            "required": "Saisissez la date de naissance de l'autre parent.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA, par exemple 16/04/1990.",
        },
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "JJ/MM/AAAA", "inputmode": "numeric", "autocomplete": "off"},
        ),
    )
    proof = forms.FileField(
        label="Acte de naissance de l'enfant ou livret de famille",
        help_text="Il doit nommer les deux parents. Format PDF, JPEG ou PNG, 5 Mo maximum.",
        error_messages={"required": "Joignez l'acte de naissance ou le livret de famille."},
        widget=forms.ClearableFileInput(attrs={"accept": f"{PDF},{JPEG},{PNG}"}),
    )

    def __init__(self, *args: object, children: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [
            ("", "Sélectionnez l'enfant"),
            *((c.pk, f"{c.first_names} {c.display_last_name}") for c in children),
        ]
