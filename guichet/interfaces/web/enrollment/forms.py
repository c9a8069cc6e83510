"""Forms of « Je crée mon compte ameli » (rules C2, C5, C6)."""

from django import forms
from django.core.exceptions import ValidationError

from guichet.accounts import passwords
from guichet.accounts.validators import EMAIL_INVALID, EMAIL_MAX_LENGTH, EMAIL_REQUIRED
from guichet.core.forms import GuichetForm
from guichet.enrollment.enums import ProofMethod
from guichet.enrollment.services import OWNER_PROOF_REQUIRED, OwnerProof
from guichet.interfaces.web.fields import PersonNameField
from guichet.interfaces.web.sign_in.forms import LoginForm
from guichet.reference.models import Person
from guichet.reference.validators import (
    IBAN_TAIL_LENGTH,
    SERIAL_TAIL_LENGTH,
    clean_french_phone,
    compact,
    validate_iban_tail,
    validate_postal_code,
    validate_serial_tail,
)

DATE_FORMAT_ERROR = "La date de naissance doit être au format JJ/MM/AAAA."


class IdentityForm(GuichetForm):
    last_name = PersonNameField(
        label="Mon nom",
        max_length=100,
        error_messages={"required": "Saisissez votre nom."},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    nir = forms.CharField(
        label="Mon n° de sécurité sociale",
        help_text="13 chiffres et la clé de 2 chiffres, par exemple 1 84 12 75 123 456 78",
        max_length=21,
        error_messages={"required": "Saisissez votre numéro de sécurité sociale."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label="Ma date de naissance",
        help_text="Au format JJ/MM/AAAA",
        input_formats=["%d/%m/%Y"],
        error_messages={
            "required": "Saisissez votre date de naissance.",
            "invalid": DATE_FORMAT_ERROR,
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "bday"}),
    )
    postal_code = forms.CharField(
        label="Mon code postal",
        help_text="5 chiffres",
        max_length=5,
        validators=[validate_postal_code],
        error_messages={"required": "Saisissez votre code postal."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    clean_nir = LoginForm.clean_nir


class ProofForm(GuichetForm):
    iban_end = forms.CharField(
        label=f"Saisissez les {IBAN_TAIL_LENGTH} derniers caractères de votre IBAN",
        max_length=12,
        error_messages={"required": "Saisissez les 7 derniers caractères de votre IBAN."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    serial_end = forms.CharField(
        label=(
            f"Saisissez les {SERIAL_TAIL_LENGTH} derniers chiffres du numéro de série de votre "
            "carte Vitale avec photo"
        ),
        help_text="Ils figurent au dos de la carte, à la fin du numéro de série.",
        max_length=20,
        error_messages={
            "required": "Saisissez les 11 derniers chiffres du numéro de série de votre carte Vitale."
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_iban_end(self) -> str:
        return _iban_end(self.cleaned_data["iban_end"])

    def clean_serial_end(self) -> str:
        return _serial_end(self.cleaned_data["serial_end"])


def _iban_end(typed: str) -> str:
    validate_iban_tail(typed)
    return compact(typed).upper()


def _serial_end(typed: str) -> str:
    validate_serial_tail(typed)
    return compact(typed)


class CodeForm(GuichetForm):
    # The C5 rules and the strength text of templates/web/enrollment/code.html (issue 14).
    described_by = {"code1": ("code-rules", "strength-label")}
    code1 = forms.CharField(
        label="Mon nouveau code",
        max_length=200,
        strip=False,
        error_messages={"required": passwords.CODE_REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )
    code2 = forms.CharField(
        label="Confirmer mon nouveau code",
        max_length=200,
        strip=False,
        error_messages={"required": passwords.CONFIRMATION_REQUIRED},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )

    def __init__(self, *args: object, person: Person, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self) -> dict:
        cleaned = super().clean()
        if "code1" not in cleaned:  # its « required » message is already shown
            return cleaned
        errors = passwords.new_code_errors(
            code=cleaned["code1"], confirmation=cleaned.get("code2", ""), person=self.person
        )
        for message in errors.get("code", []):
            self.add_error("code1", message)
        if "code2" in cleaned:
            for message in errors.get("confirmation", []):
                self.add_error("code2", message)
        return cleaned


class ContactForm(GuichetForm):
    email = forms.EmailField(
        label="Mon adresse email",
        help_text="Vous y recevrez le lien de validation puis les avis de dépôt de vos documents.",
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    mobile_phone = forms.CharField(
        label="Mon téléphone portable (facultatif)",
        help_text="Par exemple 06 12 34 56 78",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    landline_phone = forms.CharField(
        label="Mon téléphone fixe (facultatif)",
        help_text="Par exemple 01 23 45 67 89",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    information_consent = forms.BooleanField(
        label=(
            "J'accepte de recevoir des informations de l'Assurance Maladie (conseils, "
            "services, campagnes de prévention)."
        ),
        required=False,
    )

    def clean_mobile_phone(self) -> str:
        return clean_french_phone(self.cleaned_data["mobile_phone"], mobile=True)

    def clean_landline_phone(self) -> str:
        return clean_french_phone(self.cleaned_data["landline_phone"], mobile=False)


class EmailForm(GuichetForm):
    email = ContactForm.base_fields["email"]


class NewAddressForm(EmailForm):
    """C8's other address (or a valid one after 21 days), with the holder's proof (issue 13).

    The code personnel is never written back into the page; everything else typed is kept.
    """

    method = forms.ChoiceField(
        label="Je prouve que je suis le titulaire du compte",
        help_text=(
            "Pour protéger votre compte, le lien n'est envoyé à une nouvelle adresse qu'à la "
            "personne qui prouve en être titulaire. L'adresse donnée à la création du compte est "
            "prévenue du changement."
        ),
        choices=ProofMethod.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": OWNER_PROOF_REQUIRED,
            "invalid_choice": OWNER_PROOF_REQUIRED,
        },
    )
    code = forms.CharField(
        label="Mon code personnel",
        help_text="Celui choisi à la création du compte.",
        max_length=200,
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    iban_end = forms.CharField(
        label=ProofForm.base_fields["iban_end"].label,
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    serial_end = forms.CharField(
        label=ProofForm.base_fields["serial_end"].label,
        help_text=ProofForm.base_fields["serial_end"].help_text,
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        method = cleaned.get("method")
        if method == ProofMethod.CODE and not cleaned.get("code"):
            self.add_error("code", "Saisissez votre code personnel.")
        if method == ProofMethod.CARD:
            for name, check in (("iban_end", _iban_end), ("serial_end", _serial_end)):
                typed = cleaned.get(name, "")
                if not typed:
                    self.add_error(name, ProofForm.base_fields[name].error_messages["required"])
                    continue
                try:
                    cleaned[name] = check(typed)
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned

    def proof(self) -> OwnerProof:
        data = self.cleaned_data
        return OwnerProof(
            method=ProofMethod(data["method"]),
            code=data.get("code", ""),
            iban_end=data.get("iban_end", ""),
            serial_end=data.get("serial_end", ""),
        )
