from django import forms

from guichet.core.forms import GuichetForm


class AgentLoginForm(GuichetForm):
    username = forms.CharField(
        label="Identifiant agent",
        max_length=40,
        error_messages={"required": "Saisissez votre identifiant."},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        max_length=128,
        error_messages={"required": "Saisissez votre mot de passe."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecondFactorForm(GuichetForm):
    code = forms.CharField(
        label="Code de vérification",
        help_text=(
            "Le code à 6 chiffres affiché par votre application d'authentification, "
            "ou l'un de vos codes de secours."
        ),
        max_length=20,
        error_messages={"required": "Saisissez le code de vérification."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
