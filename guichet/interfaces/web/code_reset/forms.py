from django import forms
from django.contrib.auth.forms import SetPasswordForm

from guichet.accounts import passwords
from guichet.core.forms import GuichetForm
from guichet.interfaces.web.sign_in.forms import LoginForm


class CodeResetRequestForm(GuichetForm):
    nir = LoginForm.base_fields["nir"]
    birth_date = forms.DateField(
        label="Date de naissance",
        help_text="Au format JJ/MM/AAAA",
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(attrs={"autocomplete": "bday"}, format="%d/%m/%Y"),
        error_messages={
            "required": "Saisissez votre date de naissance.",
            "invalid": "La date de naissance doit être au format JJ/MM/AAAA.",
        },
    )

    clean_nir = LoginForm.clean_nir


class CodeSetForm(GuichetForm, SetPasswordForm):
    error_messages = {"password_mismatch": passwords.CODES_DIFFER}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau code personnel"
        self.fields["new_password2"].label = "Confirmation du nouveau code personnel"
        # Django's own help texts speak of a « mot de passe »: here it is a code personnel (C5).
        self.fields["new_password1"].help_text = passwords.C5_HELP_TEXT
        self.fields["new_password2"].help_text = ""
        self.fields["new_password1"].error_messages["required"] = (
            "Saisissez votre nouveau code personnel."
        )
        self.fields["new_password2"].error_messages["required"] = (
            "Confirmez votre nouveau code personnel."
        )
