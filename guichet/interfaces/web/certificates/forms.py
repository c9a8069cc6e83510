"""Forms of the certificates journey (rules A1, A5); A4's address form is the one of
« Changement d'adresse postale » (guichet/interfaces/web/situation/forms.py)."""

import datetime as dt

from django import forms

from guichet.certificates import rules
from guichet.certificates.documents import fr_month
from guichet.certificates.enums import Mention
from guichet.certificates.selectors import Covered
from guichet.core import clock
from guichet.core.forms import GuichetForm

WHOLE_FAMILY = ""


class RightsCertificateForm(GuichetForm):
    beneficiary = forms.ChoiceField(
        label="Souhaitez-vous une attestation pour :",
        required=False,
        error_messages={"invalid_choice": "Choisissez un bénéficiaire de la liste."},
    )
    mentions = forms.MultipleChoiceField(
        label="Informations complémentaires",
        help_text=(
            "Si vous souhaitez faire figurer sur votre attestation l'(les) information(s) "
            "complémentaire(s) proposée(s), cochez la case correspondante."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Cette information ne peut pas figurer sur l'attestation."
        },
    )

    def __init__(self, *args: object, covered: list[Covered], mentions: list[Mention], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].choices = [(WHOLE_FAMILY, "Toute la famille")] + [
            (
                str(c.person.pk),
                f"{c.person.first_names} {c.person.display_last_name} {c.person.birth_date:%d/%m/%Y}",
            )
            for c in covered
        ]
        if mentions:
            self.fields["mentions"].choices = [(m.value, m.label) for m in mentions]
        else:
            del self.fields["mentions"]

    def beneficiary_id(self) -> int | None:
        value = self.cleaned_data["beneficiary"]
        return int(value) if value else None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DailyAllowancePeriodForm(GuichetForm):
    start = forms.DateField(
        label="Date de début de la période",
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DateInput(),
        error_messages={
            "required": "Saisissez la date de début de la période.",
            "invalid": "La date de début n'est pas valide (JJ/MM/AAAA).",
        },
    )
    end = forms.DateField(
        label="Date de fin de la période",
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DateInput(),
        error_messages={
            "required": "Saisissez la date de fin de la période.",
            "invalid": "La date de fin n'est pas valide (JJ/MM/AAAA).",
        },
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            refusal = rules.daily_allowance_period_refusal(start=start, end=end, day=clock.today())
            if refusal is not None:
                self.add_error("end", refusal.message)
        return data


class MonthForm(GuichetForm):
    month = forms.ChoiceField(
        label="Mois du relevé",
        error_messages={
            "required": "Choisissez un mois.",
            "invalid_choice": "Choisissez un mois de la liste.",
        },
    )

    def __init__(self, *args: object, months: list[dt.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat(), fr_month(m).capitalize()) for m in months]

    def clean_month(self) -> dt.date:
        return dt.date.fromisoformat(self.cleaned_data["month"])


class VerifyForm(GuichetForm):
    reference = forms.CharField(
        label="Référence du document",
        help_text="Elle figure sur le document, par exemple ATD-7K2M-Q9XP-4HTC",
        max_length=30,
        error_messages={"required": "Saisissez la référence du document."},
    )
