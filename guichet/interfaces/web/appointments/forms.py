"""Forms of « Prendre un rendez-vous » and « Déplacer un rendez-vous » (issue 17): every field
checked with a French message; the rules themselves (RDV1–RDV6, RDV17–RDV19) are the
service's."""

import datetime as dt

from django import forms
from django.db.models import QuerySet

from guichet.appointments.models import Motif, Place
from guichet.appointments.validators import clean_appointment_phone
from guichet.core.forms import GuichetForm
from guichet.reference.models import Person

OWN_FUND_GROUP = "Accueils de votre caisse"
OTHER_FUNDS_GROUP = "Autres caisses"


def place_choices(places: list[Place], own_fund_id: int) -> list:
    """Rule RDV24: the person's own fund's places first, then the other funds', as two
    labelled groups; another fund's place names its fund."""
    own = [(p.pk, f"{p.name} — {p.address}") for p in places if p.fund_id == own_fund_id]
    other = [
        (p.pk, f"{p.name} — {p.address} ({p.fund.name})")
        for p in places
        if p.fund_id != own_fund_id
    ]
    choices: list = [("", "Choisissez un lieu")]
    if own:
        choices.append((OWN_FUND_GROUP, own))
    if other:
        choices.append((OTHER_FUNDS_GROUP, other))
    return choices


class MotifPlaceForm(GuichetForm):
    """Step 1: for whom (when the family has beneficiaries: RDV19), where (any fund's place,
    the person's own fund's first: RDV24) and why (the motifs of the chosen place's fund)."""

    beneficiaire = forms.TypedChoiceField(
        label="Pour qui ?",
        coerce=int,
        error_messages={
            "required": "Choisissez la personne concernée par le rendez-vous.",
            "invalid_choice": "Choisissez l'une des personnes de votre famille proposées.",
        },
    )
    lieu = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        label="Lieu d'accueil",
        help_text="Les accueils de votre caisse d'abord, puis ceux des autres caisses.",
        error_messages={
            "required": "Choisissez le lieu d'accueil.",
            "invalid_choice": "Choisissez l'un des lieux proposés.",
        },
    )
    motif = forms.ModelChoiceField(
        queryset=Motif.objects.none(),
        label="Motif du rendez-vous",
        help_text="Les motifs dépendent de la caisse du lieu choisi.",
        empty_label="Choisissez un motif",
        error_messages={
            "required": "Choisissez le motif du rendez-vous.",
            "invalid_choice": "Choisissez l'un des motifs proposés pour ce lieu : ils dépendent de la caisse du lieu choisi.",
        },
    )

    def __init__(
        self,
        *args: object,
        motifs: QuerySet,
        places: QuerySet,
        people: list[Person],
        own_fund_id: int,
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
        self.fields["lieu"].choices = place_choices(list(places), own_fund_id)
        self.fields["motif"].label_from_instance = lambda m: (
            f"{m.name} ({m.get_channel_display().lower()}, {m.duration_minutes} minutes)"
        )

    def beneficiary(self) -> Person:
        """The chosen person; the holder (the first) when the family has nobody else."""
        chosen = self.cleaned_data.get("beneficiaire")
        return self.people[chosen] if chosen is not None else next(iter(self.people.values()))


class SlotForm(GuichetForm):
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


class MoveForm(GuichetForm):
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
