"""« Prendre un rendez-vous » and « Mes rendez-vous » without JavaScript (rules RDV3, RDV5)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from guichet.appointments.models import Appointment
from guichet.core.clock import PARIS
from tests.appointments.factories import desk

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)


@time_machine.travel(NOW, tick=False)
def test_rdv3_book_then_cancel_from_the_pages(insured_client, insured):
    place, motif, _ = desk(insured.person.family.fund)
    slots_url = f"{reverse('web:appointment_slots')}?motif={motif.pk}&lieu={place.pk}"
    page = insured_client.get(slots_url).content.decode()
    start = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
    assert f'value="{start.isoformat()}"' in page
    bad = insured_client.post(slots_url, {"slot": start.isoformat(), "phone": "123"})
    assert bad.status_code == 400
    assert "10 chiffres" in bad.content.decode()
    response = insured_client.post(slots_url, {"slot": start.isoformat(), "phone": "0612345678"})
    appointment = Appointment.objects.get()
    assert response.url == reverse("web:appointment_done", args=[appointment.pk])
    again = insured_client.post(slots_url, {"slot": start.isoformat(), "phone": "0612345678"})
    assert again.status_code == 400  # the slot is gone from the choices
    listing = insured_client.get(reverse("web:appointments")).content.decode()
    assert "mercredi 18 mars 2026 à 09:00".capitalize() in listing
    cancel_url = reverse("web:appointment_cancel", args=[appointment.pk])
    assert insured_client.post(cancel_url).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled_by_person"


@time_machine.travel(NOW, tick=False)
def test_another_persons_appointment_answers_404_and_stays_booked(client, insured):
    """An attacker's input: the id of somebody else's appointment, on the confirmation page and
    on the cancellation (GET and POST), answers 404 and cancels nothing."""
    from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

    place, motif, _ = desk(insured.person.family.fund)
    client.post("/connexion/", {"nir": insured.username, "code": DEFAULT_PASSWORD})
    start = dt.datetime(2026, 3, 18, 9, 0, tzinfo=PARIS)
    slots_url = f"{reverse('web:appointment_slots')}?motif={motif.pk}&lieu={place.pk}"
    client.post(slots_url, {"slot": start.isoformat(), "phone": "0612345678"})
    appointment = Appointment.objects.get()
    other = InsuredUserFactory()
    client.logout()
    assert (
        client.post("/connexion/", {"nir": other.username, "code": DEFAULT_PASSWORD}).status_code
        == 302
    )
    assert client.get(reverse("web:appointment_done", args=[appointment.pk])).status_code == 404
    cancel_url = reverse("web:appointment_cancel", args=[appointment.pk])
    assert client.get(cancel_url).status_code == 404
    assert client.post(cancel_url).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked"
