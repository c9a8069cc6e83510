"""Forms of the agents' agenda (issue 17): every field checked with a French message; the
rules themselves (RDV1–RDV16) are the services'."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from guichet.appointments.enums import Arrival, CallOutcome, Channel, Weekday
from guichet.appointments.models import Motif, Place
from guichet.appointments.validators import clean_appointment_phone
from guichet.core import clock
from guichet.core.forms import GuichetForm
from guichet.powers.enums import IdentityDocument
from guichet.reference.validators import (
    normalize_nir,
    validate_nir,
    validate_no_control_characters,
)

VIEW_CHOICES = [("jour", "Journée"), ("semaine", "Semaine")]


class AgendaForm(GuichetForm):
    """Which agenda: a place of the agent's fund, a day (its week for the week's view), and
    optionally one agent of that place."""

    lieu = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        label="Lieu d'accueil",
        empty_label="Choisissez un lieu",
        error_messages={
            "required": "Choisissez le lieu d'accueil.",
            "invalid_choice": "Choisissez l'un des lieux proposés.",
        },
    )
    jour = forms.DateField(
        label="Jour",
        required=False,
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Saisissez une date valide, par exemple 18/03/2026."},
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off"}),
    )
    agent = forms.TypedChoiceField(
        label="Agent",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choisissez l'un des agents proposés."},
    )
    vue = forms.ChoiceField(
        label="Affichage",
        choices=VIEW_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choisissez la journée ou la semaine."},
    )

    def __init__(
        self, *args: object, places: QuerySet, agents: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lieu"].queryset = places
        self.fields["agent"].choices = [("", "Tous les agents"), *agents]


class CallsForm(GuichetForm):
    """Which preparatory calls: every place of the agent's fund, or one (rule RDV16)."""

    lieu = forms.ModelChoiceField(
        queryset=Place.objects.none(),
        label="Lieu d'accueil",
        required=False,
        empty_label="Tous les lieux",
        error_messages={"invalid_choice": "Choisissez l'un des lieux proposés."},
    )

    def __init__(self, *args: object, places: QuerySet, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lieu"].queryset = places


class CallForm(GuichetForm):
    outcome = forms.ChoiceField(
        label="Résultat de l'appel",
        choices=CallOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le résultat de l'appel.",
            "invalid_choice": "Choisissez le résultat de l'appel.",
        },
    )


class CheckInForm(GuichetForm):
    """Rule RDV11: who comes; for the proxy, the identity document checked (rule P8)."""

    arrival = forms.ChoiceField(
        label="Qui se présente à l'accueil ?",
        choices=Arrival.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez qui se présente à l'accueil.",
            "invalid_choice": "Indiquez qui se présente à l'accueil.",
        },
    )
    document_type = forms.ChoiceField(
        label="Pièce d'identité présentée par le mandataire",
        choices=[("", "Sélectionner"), *IdentityDocument.choices],
        required=False,
        error_messages={"invalid_choice": "Choisissez le type de pièce d'identité vérifiée."},
    )
    document_last_digits = forms.CharField(
        label="4 derniers caractères du numéro de la pièce",
        max_length=4,
        required=False,
        error_messages={"max_length": "Saisissez exactement 4 caractères."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    identity_matches = forms.BooleanField(
        label="L'identité de la personne présente correspond au mandataire enregistré",
        required=False,
    )

    def __init__(self, *args: object, proxy_offered: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.proxy_offered = proxy_offered
        if not proxy_offered:
            self.fields["arrival"].choices = [(Arrival.INSURED, Arrival.INSURED.label)]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("arrival") != Arrival.PROXY:
            return data
        if not data.get("document_type"):
            self.add_error("document_type", "Choisissez le type de pièce d'identité vérifiée.")
        digits = data.get("document_last_digits", "").strip().upper()
        if not digits:
            self.add_error(
                "document_last_digits", "Saisissez les 4 derniers caractères du numéro de la pièce."
            )
        elif not re.fullmatch(r"[0-9A-Z]{4}", digits):
            self.add_error("document_last_digits", "Saisissez 4 chiffres ou lettres, sans espace.")
        data["document_last_digits"] = digits
        if not data.get("identity_matches"):
            self.add_error(
                "identity_matches", "Confirmez que l'identité correspond au mandataire enregistré."
            )
        return data


class OutcomeForm(GuichetForm):
    note = forms.CharField(
        label="Précision (facultative)",
        max_length=300,
        required=False,
        error_messages={"max_length": "La précision ne doit pas dépasser 300 caractères."},
    )


class PersonLookupForm(GuichetForm):
    """Rule RDV15, step 1: the insured's NIR (logged as a client-file consultation)."""

    nir = forms.CharField(
        label="Numéro de sécurité sociale de l'assuré",
        help_text="13 caractères et la clé de 2 chiffres, par exemple 1 84 12 75 123 456 78",
        max_length=21,
        error_messages={"required": "Saisissez le numéro de sécurité sociale de l'assuré."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_nir(self) -> str:
        nir = normalize_nir(self.cleaned_data["nir"])
        try:
            validate_nir(nir)
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from error
        return nir


def place_choices(places: list[Place], own_fund_id: int) -> list:
    """Rule RDV24: the places of the insured's (and the agent's) fund first, then the other
    funds', as two labelled groups; another fund's place names its fund."""
    own = [(p.pk, f"{p.name} — {p.address}") for p in places if p.fund_id == own_fund_id]
    other = [
        (p.pk, f"{p.name} — {p.address} ({p.fund.name})")
        for p in places
        if p.fund_id != own_fund_id
    ]
    choices: list = [("", "Choisissez un lieu")]
    if own:
        choices.append(("Accueils de votre caisse", own))
    if other:
        choices.append(("Autres caisses", other))
    return choices


class MotifPlaceForm(GuichetForm):
    """Rule RDV15 with RDV24: any fund's place, the agent's own fund's first, and a motif of
    the chosen place's fund."""

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
        own_fund_id: int,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motif"].queryset = motifs
        self.fields["lieu"].queryset = places
        self.fields["lieu"].choices = place_choices(list(places), own_fund_id)
        self.fields["motif"].label_from_instance = lambda m: (
            f"{m.name} ({m.get_channel_display().lower()}, {m.duration_minutes} minutes)"
        )


class SlotForm(GuichetForm):
    slot = forms.ChoiceField(
        label="Créneau",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez un créneau.",
            "invalid_choice": "Ce créneau n'est plus proposé : choisissez l'un des créneaux affichés.",
        },
    )
    phone = forms.CharField(
        label="Numéro de téléphone de l'assuré ou de son mandataire",
        help_text="Pour l'appel préparatoire de la veille. Format attendu : 06 12 34 56 78",
        max_length=20,
        error_messages={"required": "Indiquez un numéro de téléphone où joindre l'assuré."},
    )
    represented = forms.BooleanField(
        label="L'assuré(e) sera représenté(e) par son mandataire", required=False
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


class AbsenceForm(GuichetForm):
    """Rule RDV14: an agent's absence; the booked appointments inside it are cancelled."""

    agent = forms.TypedChoiceField(
        label="Agent absent",
        coerce=int,
        error_messages={
            "required": "Choisissez l'agent absent.",
            "invalid_choice": "Choisissez l'un des agents proposés.",
        },
    )
    start_day = forms.DateField(
        label="Du (date)",
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%d/%m/%Y"],
        error_messages={
            "required": "Saisissez la date de début de l'absence.",
            "invalid": "Saisissez une date valide, par exemple 18/03/2026.",
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off"}),
    )
    start_time = forms.TimeField(
        label="Du (heure)",
        help_text="Format attendu : HH:MM, par exemple 08:00",
        input_formats=["%H:%M"],
        error_messages={
            "required": "Saisissez l'heure de début de l'absence.",
            "invalid": "Saisissez une heure valide, par exemple 08:00.",
        },
        widget=forms.TimeInput(format="%H:%M", attrs={"autocomplete": "off"}),
    )
    end_day = forms.DateField(
        label="Au (date)",
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%d/%m/%Y"],
        error_messages={
            "required": "Saisissez la date de fin de l'absence.",
            "invalid": "Saisissez une date valide, par exemple 18/03/2026.",
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off"}),
    )
    end_time = forms.TimeField(
        label="Au (heure)",
        help_text="Format attendu : HH:MM, par exemple 18:00",
        input_formats=["%H:%M"],
        error_messages={
            "required": "Saisissez l'heure de fin de l'absence.",
            "invalid": "Saisissez une heure valide, par exemple 18:00.",
        },
        widget=forms.TimeInput(format="%H:%M", attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(
        label="Motif de l'absence (facultatif)",
        max_length=200,
        required=False,
        validators=[validate_no_control_characters],
        error_messages={"max_length": "Le motif de l'absence ne doit pas dépasser 200 caractères."},
    )
    confirm = forms.BooleanField(
        label="Les rendez-vous réservés sur cette période seront annulés et chaque assuré prévenu par email",
        error_messages={"required": "Confirmez l'annulation des rendez-vous de cette période."},
    )

    def __init__(self, *args: object, agents: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [("", "Sélectionner"), *agents]

    def clean(self) -> dict:
        data = super().clean()
        parts = [data.get(name) for name in ("start_day", "start_time", "end_day", "end_time")]
        if all(part is not None for part in parts):
            start = dt.datetime.combine(parts[0], parts[1], tzinfo=clock.PARIS)
            end = dt.datetime.combine(parts[2], parts[3], tzinfo=clock.PARIS)
            if end <= start:
                self.add_error("end_day", "La fin de l'absence doit être après son début.")
            data["start"], data["end"] = start, end
        return data


def _day_field(label: str, *, required: bool = True, missing: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%d/%m/%Y"],
        error_messages={
            "required": missing,
            "invalid": "Saisissez une date valide, par exemple 18/03/2026.",
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off"}),
    )


def _time_field(label: str, example: str, missing: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=f"Format attendu : HH:MM, par exemple {example}",
        input_formats=["%H:%M"],
        error_messages={
            "required": missing,
            "invalid": f"Saisissez une heure valide, par exemple {example}.",
        },
        widget=forms.TimeInput(format="%H:%M", attrs={"autocomplete": "off"}),
    )


class OpeningSlotForm(GuichetForm):
    """Rule RDV22: a recurring opening of one agent at the place, for some motifs."""

    agent = forms.TypedChoiceField(
        label="Agent",
        coerce=int,
        error_messages={
            "required": "Choisissez l'agent qui tient cette plage.",
            "invalid_choice": "Choisissez l'un des agents proposés.",
        },
    )
    motifs = forms.ModelMultipleChoiceField(
        queryset=Motif.objects.none(),
        label="Motifs proposés sur cette plage",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins un motif de rendez-vous.",
            "invalid_choice": "Choisissez parmi les motifs proposés.",
            "invalid_pk_value": "Choisissez parmi les motifs proposés.",
        },
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Jours de la semaine",
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins un jour de la semaine.",
            "invalid_choice": "Choisissez parmi les jours proposés.",
        },
    )
    start_time = _time_field("De", "09:00", "Saisissez l'heure de début de la plage.")
    end_time = _time_field("À", "12:00", "Saisissez l'heure de fin de la plage.")
    first_day = _day_field("À partir du", missing="Saisissez la date de début de la plage.")
    last_day = _day_field("Jusqu'au (facultatif)", required=False)

    def __init__(
        self, *args: object, agents: list[tuple[int, str]], motifs: QuerySet, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [("", "Sélectionner"), *agents]
        self.fields["motifs"].queryset = motifs
        self.fields["motifs"].label_from_instance = lambda m: (
            f"{m.name} ({m.get_channel_display().lower()}, {m.duration_minutes} minutes)"
        )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", "L'heure de fin doit être après l'heure de début.")
        first, last = data.get("first_day"), data.get("last_day")
        if first is not None and last is not None and last < first:
            self.add_error("last_day", "La date de fin doit être après la date de début.")
        return data


class ClosureForm(GuichetForm):
    """Rule RDV23: a day the place is closed; the appointments booked that day are cancelled."""

    day = _day_field("Jour de fermeture", missing="Saisissez le jour de fermeture.")
    reason = forms.CharField(
        label="Motif de la fermeture (facultatif)",
        help_text="Par exemple : pont de l'Ascension, travaux.",
        max_length=200,
        required=False,
        validators=[validate_no_control_characters],
        error_messages={
            "max_length": "Le motif de la fermeture ne doit pas dépasser 200 caractères."
        },
    )
    confirm = forms.BooleanField(
        label="Les rendez-vous réservés ce jour-là dans ce lieu seront annulés et chaque assuré prévenu par email",
        error_messages={"required": "Confirmez l'annulation des rendez-vous de ce jour."},
    )


class PlaceForm(GuichetForm):
    """Rule RDV26: one of the fund's places (« lieu d'accueil »)."""

    name = forms.CharField(
        label="Nom du lieu",
        max_length=120,
        validators=[validate_no_control_characters],
        error_messages={
            "required": "Saisissez le nom du lieu.",
            "max_length": "Le nom ne doit pas dépasser 120 caractères.",
        },
    )
    address = forms.CharField(
        label="Adresse",
        help_text="Telle qu'affichée aux assurés, par exemple « 21 rue Georges Auric, 75019 Paris ».",
        max_length=250,
        validators=[validate_no_control_characters],
        error_messages={
            "required": "Saisissez l'adresse du lieu.",
            "max_length": "L'adresse ne doit pas dépasser 250 caractères.",
        },
    )
    opening_hours = forms.CharField(
        label="Horaires d'ouverture",
        help_text="Tels qu'affichés aux assurés, par exemple « Du lundi au vendredi, de 8 h 30 à 17 h ».",
        max_length=250,
        validators=[validate_no_control_characters],
        error_messages={
            "required": "Saisissez les horaires d'ouverture.",
            "max_length": "Les horaires d'ouverture ne doivent pas dépasser 250 caractères.",
        },
    )
    is_active = forms.BooleanField(
        label="Ouvert aux rendez-vous",
        help_text="Décoché : plus aucun nouveau rendez-vous ; ceux déjà réservés sont maintenus.",
        required=False,
    )


class MotifForm(GuichetForm):
    """Rule RDV26: one of the fund's motifs, with its booking window (rule RDV1)."""

    name = forms.CharField(
        label="Libellé du motif",
        max_length=120,
        validators=[validate_no_control_characters],
        error_messages={
            "required": "Saisissez le libellé du motif.",
            "max_length": "Le libellé ne doit pas dépasser 120 caractères.",
        },
    )
    channel = forms.ChoiceField(
        label="Modalité",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez à l'accueil ou par téléphone.",
            "invalid_choice": "Choisissez à l'accueil ou par téléphone.",
        },
    )
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)",
        help_text="De 5 à 240 minutes.",
        min_value=5,
        max_value=240,
        error_messages={
            "required": "Saisissez la durée du rendez-vous.",
            "invalid": "Saisissez un nombre entier de minutes, par exemple 30.",
            "min_value": "La durée doit être comprise entre 5 et 240 minutes.",
            "max_value": "La durée doit être comprise entre 5 et 240 minutes.",
        },
    )
    min_booking_delay_hours = forms.IntegerField(
        label="Délai minimum de réservation (heures)",
        help_text="Au plus tôt, combien d'heures avant le rendez-vous, par exemple 24.",
        min_value=0,
        max_value=2160,
        error_messages={
            "required": "Saisissez le délai minimum de réservation.",
            "invalid": "Saisissez un nombre entier d'heures, par exemple 24.",
            "min_value": "Le délai minimum doit être compris entre 0 et 2160 heures (90 jours).",
            "max_value": "Le délai minimum doit être compris entre 0 et 2160 heures (90 jours).",
        },
    )
    max_booking_delay_days = forms.IntegerField(
        label="Délai maximum de réservation (jours)",
        help_text="Au plus tard, combien de jours avant le rendez-vous, par exemple 42.",
        min_value=1,
        max_value=365,
        error_messages={
            "required": "Saisissez le délai maximum de réservation.",
            "invalid": "Saisissez un nombre entier de jours, par exemple 42.",
            "min_value": "Le délai maximum doit être compris entre 1 et 365 jours.",
            "max_value": "Le délai maximum doit être compris entre 1 et 365 jours.",
        },
    )
    is_active = forms.BooleanField(
        label="Proposé aux assurés",
        help_text="Décoché : plus aucun nouveau rendez-vous ; ceux déjà réservés sont maintenus.",
        required=False,
    )

    def clean(self) -> dict:
        data = super().clean()
        low, high = data.get("min_booking_delay_hours"), data.get("max_booking_delay_days")
        if low is not None and high is not None and high * 24 <= low:
            self.add_error(
                "max_booking_delay_days",
                "Le délai maximum de réservation doit être après le délai minimum : par exemple "
                "au moins 24 heures et au plus 42 jours à l'avance.",
            )
        return data


class OpeningEditForm(OpeningSlotForm):
    """Rule RDV28: an opening edited; its agent stays (remove it and add another instead)."""

    def __init__(self, *args: object, motifs: QuerySet, **kwargs: object) -> None:
        super().__init__(*args, agents=[], motifs=motifs, **kwargs)
        del self.fields["agent"]
