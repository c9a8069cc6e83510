from django import forms


class AgentLoginForm(forms.Form):
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
