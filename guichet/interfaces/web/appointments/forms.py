"""Forms of « Prendre un rendez-vous » (issue 17): every field checked with a French message;
the rules themselves (RDV1–RDV6) are the service's."""

import datetime as dt

from django import forms
from django.db.models import QuerySet

from guichet.appointments.models import Motif, Place
from guichet.appointments.validators import clean_appointment_phone
from guichet.core.forms import GuichetForm


class MotifPlaceForm(GuichetForm):
    """Step 1: why and where (the person's fund's motifs and places)."""

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

    def __init__(self, *args: object, motifs: QuerySet, places: QuerySet, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motif"].queryset = motifs
        self.fields["lieu"].queryset = places
        self.fields["lieu"].label_from_instance = lambda p: f"{p.name} — {p.address}"
        self.fields["motif"].label_from_instance = lambda m: (
            f"{m.name} ({m.get_channel_display().lower()}, {m.duration_minutes} minutes)"
        )


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
