"""« Prendre un rendez-vous », « Mes rendez-vous » and the cancellation in a real browser, at
desktop and phone width, with axe-core on every page (issue 17, rules RDV3, RDV5); moving an
appointment (RDV17), booking for a beneficiary of the family (RDV19), and Mamie Françoise
booking with « Je me ferai représenter par mon mandataire » (RDV6, the guide's first case)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from guichet.appointments import services
from guichet.appointments.models import Appointment, Motif, Place
from guichet.demo.personas import DEMO_CODE, persona
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


def _first_free_start(place, motif):
    from guichet.appointments import selectors
    from guichet.core import clock

    today = clock.today()
    slots = selectors.free_slots(
        place=place, motif=motif, first_day=today, last_day=today + dt.timedelta(days=20)
    )
    return slots[0].start


def test_rdv17_move_an_appointment_to_another_slot(page):
    user = family_account(dependants=0, payments=1)
    place, motif, _ = desk(user.person.family.fund)
    first = _first_free_start(place, motif)
    appointment = services.appointment_book(
        person=user.person, by=user, motif=motif, place=place, start=first, phone="0612345678"
    )
    login(page, user.username)
    page.goto("/mes-rendez-vous/")
    page.get_by_role("heading", name="Mes rendez-vous", level=1).wait_for()
    audit(page)
    page.get_by_role("link", name="Déplacer").first.click()
    page.get_by_role("heading", name="Déplacer un rendez-vous", level=1).wait_for()
    audit(page)
    # No slot chosen: a clear message, on the page that still lists the slots.
    page.get_by_role("button", name="Je déplace mon rendez-vous").click()
    page.get_by_text("Choisissez un nouveau créneau.").first.wait_for()
    audit(page)
    page.locator("label[for^=slot-]").first.click()
    page.get_by_role("button", name="Je déplace mon rendez-vous").click()
    page.get_by_text("Votre rendez-vous est déplacé.").wait_for()
    audit(page)
    appointment.refresh_from_db()
    assert appointment.start != first and appointment.sequence == 1
    assert appointment.status == "booked"


def test_rdv19_book_for_a_beneficiary_of_the_family(page):
    user = family_account(dependants=1, payments=1)
    child = user.person.family.members.exclude(pk=user.person_id).get()
    place, motif, _ = desk(user.person.family.fund)
    login(page, user.username)
    page.goto("/mes-rendez-vous/prendre/")
    page.get_by_role("heading", name="Prendre un rendez-vous", level=1).wait_for()
    audit(page)
    page.get_by_label("Pour qui ?").select_option(str(child.pk))
    page.get_by_label("Motif du rendez-vous").select_option(str(motif.pk))
    page.get_by_label("Lieu d'accueil").select_option(str(place.pk))
    page.get_by_role("button", name="Voir les créneaux libres").click()
    page.get_by_role("button", name="Je confirme mon rendez-vous").wait_for()
    expect(page.locator("#for-whom")).to_contain_text(child.full_name)
    audit(page)
    page.locator("label[for^=slot-]").first.click()
    page.get_by_label("Numéro de téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Je confirme mon rendez-vous").click()
    page.get_by_role("heading", name="Votre rendez-vous est confirmé").wait_for()
    audit(page)
    assert Appointment.objects.get().person == child
    page.goto("/mes-rendez-vous/")
    page.get_by_text(f"Pour {child.full_name}").wait_for()
    audit(page)


def test_rdv6_mamie_francoise_books_and_will_be_represented_by_her_proxy(page):
    """The procuration guide's first case (issue 17): Mamie Françoise, who gave a power to her
    nephew Nicolas, books from her account and ticks « Je me ferai représenter par mon
    mandataire » (rules RDV6, RDV21)."""
    call_command("seed_demo", stdout=io.StringIO())
    mamie = persona("mamie-francoise")
    Appointment.objects.filter(person__nir=mamie.nir).delete()  # the demo's own booking
    login(page, mamie.nir, DEMO_CODE)
    page.get_by_role("link", name="Prendre un rendez-vous").first.click()
    page.get_by_role("heading", name="Prendre un rendez-vous", level=1).wait_for()
    audit(page)
    desk_motif = Motif.objects.get(fund__code=mamie.fund, name="Rendez-vous à l'accueil")
    page.get_by_label("Motif du rendez-vous").select_option(str(desk_motif.pk))
    page.get_by_label("Lieu d'accueil").select_option(
        str(Place.objects.get(fund__code=mamie.fund).pk)
    )
    page.get_by_role("button", name="Voir les créneaux libres").click()
    page.get_by_role("button", name="Je confirme mon rendez-vous").wait_for()
    expect(page.get_by_text("Votre procuration")).to_contain_text("valable jusqu'au")
    audit(page)
    page.locator("label[for^=slot-]").first.click()
    page.get_by_label("Numéro de téléphone").fill("01 43 58 12 34")
    page.locator("label", has_text="Je me ferai représenter par mon mandataire").click()
    expect(
        page.get_by_role("checkbox", name="Je me ferai représenter par mon mandataire")
    ).to_be_checked()
    page.get_by_role("button", name="Je confirme mon rendez-vous").click()
    page.get_by_role("heading", name="Votre rendez-vous est confirmé").wait_for()
    audit(page)
    booked = Appointment.objects.get(person__nir=mamie.nir)
    assert booked.represented_by_proxy and booked.status == "booked"
    assert booked.motif.name == "Rendez-vous à l'accueil"
    page.goto("/mes-rendez-vous/")
    page.get_by_role("heading", name="Mes rendez-vous", level=1).wait_for()
    expect(page.get_by_text("Vous serez représenté(e) par votre mandataire.").first).to_be_visible()
    audit(page)
