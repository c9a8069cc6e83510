"""Forms of the insured person's account pages: payment filter, code change, rating (G2, G4, G5)."""

from django import forms
from django.contrib.auth.forms import SetPasswordMixin

from guichet.accounts import passwords
from guichet.accounts import services as account_services
from guichet.accounts.models import User
from guichet.core.forms import GuichetForm
from guichet.feedback.enums import Procedure, Score
from guichet.reference.models import Person
from guichet.reference.validators import validate_no_control_characters

COMMENT_MAX_LENGTH = 1000


class PaymentFilterForm(GuichetForm):
    """« Mes paiements »: filter by one beneficiary of the family (any other id is refused)."""

    beneficiaire = forms.TypedChoiceField(
        label="Bénéficiaire",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choisissez un bénéficiaire de votre famille."},
    )

    def __init__(self, *args: object, members: list[Person], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["beneficiaire"].choices = [("", "Tous les bénéficiaires")] + [
            (str(m.pk), f"{m.first_names} {m.display_last_name}") for m in members
        ]


class CodeChangeForm(SetPasswordMixin, GuichetForm):
    """« Mon code personnel »: the current code, then the new one twice (rule C5 validators).

    Fields only (required, C5, the two new codes alike): the current code is checked, and the
    new one written, by accounts.services.code_change."""

    error_messages = {"password_mismatch": passwords.CODES_DIFFER}
    old_password = forms.CharField(
        strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1, new_password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": ("Code personnel actuel", "Saisissez votre code personnel actuel."),
            "new_password1": ("Nouveau code personnel", "Saisissez votre nouveau code personnel."),
            "new_password2": (
                "Confirmation du nouveau code personnel",
                "Confirmez votre nouveau code personnel.",
            ),
        }
        for name, (label, required) in labels.items():
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = required
            self.fields[name].widget.attrs.pop("autofocus", None)
        self.fields["new_password1"].help_text = passwords.C5_HELP_TEXT
        self.fields["new_password2"].help_text = ""

    def clean(self) -> dict:
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password2")
        return super().clean()


class AccountCloseForm(GuichetForm):
    """« Résilier mon compte ameli »: the code personnel and an explicit confirmation (G4)."""

    code = forms.CharField(
        label="Code personnel",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": "Saisissez votre code personnel.",
            "max_length": "Le code personnel saisi est incorrect.",
        },
    )
    confirm = forms.BooleanField(
        label="Je confirme vouloir résilier mon compte ameli",
        error_messages={"required": account_services.CLOSE_CONFIRM_REQUIRED},
    )


class RatingForm(GuichetForm):
    """« Notez votre démarche ! » (rule G5): a score from 1 to 5 and an optional comment."""

    procedure = forms.ChoiceField(
        choices=Procedure.choices,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Cette démarche est inconnue."},
    )
    score = forms.TypedChoiceField(
        label="Êtes-vous satisfait de ce service ?",
        choices=[(value, label) for value, label in Score.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une note de 1 à 5.",
            "invalid_choice": "Choisissez une note de 1 à 5.",
        },
    )
    comment = forms.CharField(
        label="Votre commentaire (facultatif)",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        validators=[validate_no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Votre commentaire ne doit pas dépasser {COMMENT_MAX_LENGTH} caractères."
        },
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
