"""Kiosk forms: each choice is required and checked on the server (« Confirmer », rule A7)."""

from django import forms

from guichet.certificates.enums import Mention
from guichet.certificates.selectors import Covered
from guichet.core.forms import GuichetForm

WHOLE_FAMILY = "all"
YES, NO = "oui", "non"


class BeneficiaryForm(GuichetForm):
    beneficiary = forms.ChoiceField(
        label="Vous souhaitez obtenir une attestation pour :",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez l'ensemble des bénéficiaires ou une personne.",
            "invalid_choice": "Choisissez une personne de la liste.",
        },
    )

    def __init__(self, *args: object, covered: list[Covered], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].choices = [(WHOLE_FAMILY, "L'ensemble des bénéficiaires")] + [
            (
                str(c.person.pk),
                f"{c.person.first_names} {c.person.display_last_name} {c.person.birth_date:%d/%m/%Y}",
            )
            for c in covered
        ]

    def beneficiary_id(self) -> int | None:
        value = self.cleaned_data["beneficiary"]
        return None if value == WHOLE_FAMILY else int(value)


class MentionsForm(GuichetForm):
    """One NON/OUI question per mention that applies; none is pre-selected."""

    def __init__(self, *args: object, mentions: list[Mention], **kwargs):
        super().__init__(*args, **kwargs)
        for mention in mentions:
            self.fields[mention.value] = forms.ChoiceField(
                label=mention.label,
                choices=[(NO, "NON"), (YES, "OUI")],
                widget=forms.RadioSelect,
                error_messages={"required": f"Répondez NON ou OUI pour « {mention.label} »."},
            )

    def chosen(self) -> list[str]:
        return [name for name, value in self.cleaned_data.items() if value == YES]


class EnrolmentForm(GuichetForm):
    """The one-time code with which the IT team installs a kiosk's credential."""

    code = forms.CharField(
        label="Code d'enregistrement",
        help_text="16 lettres et chiffres, par exemple ABCD-EFGH-JKLM-NPQR",
        max_length=40,
        error_messages={"required": "Saisissez le code d'enregistrement de la borne."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
