"""How the kiosk reads a carte Vitale (rule A7).

``CardReader`` is the interface: a PC/SC reader plugged into the kiosk can implement it later
by reading the chip. The default, ``FormCardReader``, stands for the reader: the person types
the card's serial number and their birth date on the touch screen.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django import forms
from django.http import HttpRequest

from guichet.core.forms import GuichetForm


@dataclass(frozen=True)
class CardReading:
    serial_number: str
    birth_date: dt.date


class CardReader(Protocol):
    def form(self, request: HttpRequest) -> forms.Form | None:
        """The form to show while waiting for a card, or None when the reader needs none."""

    def read(self, request: HttpRequest) -> CardReading | None:
        """The card inserted, or None (not inserted yet, or unreadable)."""


class CardForm(GuichetForm):
    serial_number = forms.CharField(
        label="Numéro de série de la carte Vitale",
        help_text="Au dos de la carte, sous la photo : chiffres uniquement",
        max_length=30,
        error_messages={"required": "Saisissez le numéro de série de votre carte Vitale."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label="Date de naissance",
        help_text="Format attendu : JJ/MM/AAAA",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": "Saisissez votre date de naissance.",
            "invalid": "La date de naissance n'est pas valide (JJ/MM/AAAA).",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_serial_number(self) -> str:
        serial = "".join(self.cleaned_data["serial_number"].split())
        if not serial.isdigit():
            raise forms.ValidationError("Le numéro de série ne comporte que des chiffres.")
        return serial


class FormCardReader:
    """The default reader: the serial number and birth date typed on the screen."""

    def form(self, request: HttpRequest) -> CardForm:
        return CardForm(request.POST if request.method == "POST" else None)

    def read(self, request: HttpRequest) -> CardReading | None:
        form = CardForm(request.POST)
        if not form.is_valid():
            return None
        return CardReading(form.cleaned_data["serial_number"], form.cleaned_data["birth_date"])


def card_reader() -> CardReader:
    return FormCardReader()
