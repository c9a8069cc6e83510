"""Forms of « Prendre un rendez-vous » and « Déplacer un rendez-vous » (issue 17): every field
checked with a French message; the rules themselves (RDV1–RDV6, RDV17–RDV19) are the
service's."""

import datetime as dt

from django import forms
from django.db.models import QuerySet

from guichet.appointments.models import Motif, Place
from guichet.appointments.validators import clean_appointment_phone
from guichet.reference.models import Person


class MotifPlaceForm(forms.Form):
    """Step 1: for whom (when the family has beneficiaries: RDV19), why and where (the
    person's fund's motifs and places)."""

    beneficiaire = forms.TypedChoiceField(
        label="Pour qui ?",
        coerce=int,
        error_messages={
            "required": "Choisissez la personne concernée par le rendez-vous.",
            "invalid_choice": "Choisissez l'une des personnes de votre famille proposées.",
        },
    )

    motif = forms.ModelChoiceField(
        queryset=Motif.objects.none(),
        label="Motif du rendez-vous",
        empty_label="Choisissez un motif",
        error_messages={
            "required": "Choisissez le motif du rendez-vous.",
            "invalid_choice": "Choisissez l'un des motifs proposés.",
        },
    )
    lieu = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        label="Lieu d'accueil",
        empty_label="Choisissez un lieu",
        error_messages={
            "required": "Choisissez le lieu d'accueil.",
            "invalid_choice": "Choisissez l'un des lieux proposés.",
        },
    )

    def __init__(
        self,
        *args: object,
        motifs: QuerySet,
        places: QuerySet,
        people: list[Person],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        if len(people) > 1:
            holder = people[0]
            self.fields["beneficiaire"].choices = [
                (p.pk, "Moi-même" if p.pk == holder.pk else p.full_name) for p in people
            ]
            self.fields["beneficiaire"].initial = holder.pk
        else:
            del self.fields["beneficiaire"]
        self.fields["motif"].queryset = motifs
        self.fields["lieu"].queryset = places
        self.fields["lieu"].label_from_instance = lambda p: f"{p.name} — {p.address}"
        self.fields["motif"].label_from_instance = lambda m: (
            f"{m.name} ({m.get_channel_display().lower()}, {m.duration_minutes} minutes)"
        )

    def beneficiary(self) -> Person:
        """The chosen person; the holder (the first) when the family has nobody else."""
        chosen = self.cleaned_data.get("beneficiaire")
        return self.people[chosen] if chosen is not None else next(iter(self.people.values()))


class SlotForm(forms.Form):
    """Step 2: a free slot among the computed ones, a phone, and the proxy when offered."""

    slot = forms.ChoiceField(
        label="Créneau",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez un créneau.",
            "invalid_choice": "Ce créneau n'est plus proposé : choisissez l'un des créneaux affichés.",
        },
    )
    phone = forms.CharField(
        label="Numéro de téléphone",
        help_text="Pour vous joindre la veille du rendez-vous. Format attendu : 06 12 34 56 78",
        max_length=20,
        error_messages={"required": "Indiquez un numéro de téléphone où vous joindre."},
    )
    represented = forms.BooleanField(
        label="Je me ferai représenter par mon mandataire", required=False
    )

    def __init__(
        self, *args: object, starts: list[dt.datetime], proxy_offered: bool, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(start.isoformat(), start.isoformat()) for start in starts]
        if not proxy_offered:
            del self.fields["represented"]

    def clean_phone(self) -> str:
        return clean_appointment_phone(self.cleaned_data["phone"])

    def clean_slot(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.cleaned_data["slot"])


class MoveForm(forms.Form):
    """« Déplacer un rendez-vous »: another free slot of the same motif and place (RDV17)."""

    slot = forms.ChoiceField(
        label="Nouveau créneau",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez un nouveau créneau.",
            "invalid_choice": "Ce créneau n'est plus proposé : choisissez l'un des créneaux affichés.",
        },
    )

    def __init__(self, *args: object, starts: list[dt.datetime], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(start.isoformat(), start.isoformat()) for start in starts]

    def clean_slot(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.cleaned_data["slot"])
