"""Rule O3: one radio choice per beneficiary in conflict, all in one form."""

from django import forms

from guichet.complementary.selectors import BeneficiaryConflict
from guichet.core.forms import GuichetForm


def field_name(person_id: int) -> str:
    return f"beneficiaire_{person_id}"


class ComplementaryChoiceForm(GuichetForm):
    def __init__(self, *args: object, beneficiaries: list[BeneficiaryConflict], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.beneficiaries = beneficiaries
        for entry in beneficiaries:
            person = entry.person
            self.fields[field_name(person.pk)] = forms.TypedChoiceField(
                label=f"{person.first_names} {person.display_last_name}",
                choices=[(c.pk, c.insurer.name) for c in entry.contracts],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": (
                        f"Choisissez l'organisme complémentaire de {person.first_names} "
                        f"{person.display_last_name}."
                    ),
                    "invalid_choice": "Ce choix ne correspond pas à vos contrats : recommencez.",
                },
            )

    def rows(self) -> list[dict]:
        return [
            {
                "person": entry.person,
                "contracts": entry.contracts,
                "field": self[field_name(entry.person.pk)],
            }
            for entry in self.beneficiaries
        ]

    def choices(self) -> dict[int, int]:
        return {
            entry.person.pk: self.cleaned_data[field_name(entry.person.pk)]
            for entry in self.beneficiaries
        }
