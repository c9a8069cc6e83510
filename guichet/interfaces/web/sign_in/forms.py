from django import forms

from guichet.core.forms import GuichetForm
from guichet.reference.validators import normalize_nir, validate_nir_format


class LoginForm(GuichetForm):
    nir = forms.CharField(
        label="Numéro de sécurité sociale",
        help_text="13 chiffres et la clé de 2 chiffres, par exemple 1 84 12 75 123 456 78",
        max_length=21,
        error_messages={"required": "Saisissez votre numéro de sécurité sociale."},
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric"}),
    )
    code = forms.CharField(
        label="Code personnel",
        max_length=50,
        strip=False,
        error_messages={"required": "Saisissez votre code personnel."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_nir(self) -> str:
        validate_nir_format(self.cleaned_data["nir"])
        return normalize_nir(self.cleaned_data["nir"])
