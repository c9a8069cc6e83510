"""« Prendre un rendez-vous », « Mes rendez-vous » and the cancellation in a real browser, at
desktop and phone width, with axe-core on every page (issue 17, rules RDV3, RDV5)."""

import pytest
from playwright.sync_api import expect

from guichet.appointments.models import Appointment
from tests.appointments.factories import desk
from tests.browser.conftest import audit, login
from tests.web.factories import family_account

pytestmark = pytest.mark.django_db(transaction=True)


def test_rdv3_book_a_slot_then_cancel_it(page):
    user = family_account(dependants=0, payments=1)
    place, motif, _ = desk(user.person.family.fund)
    login(page, user.username)
    page.goto("/mes-rendez-vous/prendre/")
    page.get_by_role("heading", name="Prendre un rendez-vous", level=1).wait_for()
    audit(page)
    page.get_by_label("Motif du rendez-vous").select_option(str(motif.pk))
    page.get_by_label("Lieu d'accueil").select_option(str(place.pk))
    page.get_by_role("button", name="Voir les créneaux libres").click()
    page.get_by_role("button", name="Je confirme mon rendez-vous").wait_for()
    audit(page)
    # A bad phone number: a clear message, the choice kept.
    page.locator("label[for^=slot-]").first.click()  # the DSFR radio: its label is what one clicks
    page.get_by_label("Numéro de téléphone").fill("123")
    page.get_by_role("button", name="Je confirme mon rendez-vous").click()
    page.get_by_text("10 chiffres").first.wait_for()
    audit(page)
    expect(page.get_by_role("radio").first).to_be_checked()  # nothing typed is lost
    page.get_by_label("Numéro de téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Je confirme mon rendez-vous").click()
    page.get_by_role("heading", name="Votre rendez-vous est confirmé").wait_for()
    audit(page)
    assert Appointment.objects.filter(person=user.person, status="booked").count() == 1
    page.goto("/mes-rendez-vous/")
    page.get_by_role("heading", name="Mes rendez-vous", level=1).wait_for()
    audit(page)
    page.get_by_role("link", name="Annuler").first.click()
    page.get_by_role("heading", name="Annuler un rendez-vous", level=1).wait_for()
    audit(page)
    page.get_by_role("button", name="Annuler le rendez-vous").click()
    page.get_by_role("heading", name="Mes rendez-vous", level=1).wait_for()
    audit(page)
    assert Appointment.objects.get(person=user.person).status == "cancelled_by_person"
