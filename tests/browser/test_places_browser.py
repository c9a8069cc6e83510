"""Issue 17 in a real browser, at 1280 and 320 px, with axe-core on every page: a supervisor's
motif and place pages (rules RDV26, RDV27) and an insured booking at another fund's front desk,
whose agent then receives them without their file (RDV24, RDV25)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from guichet.appointments.models import Appointment, Motif, Place
from tests.appointments.factories import desk, motif_for, opening, place_for
from tests.browser.conftest import agent_sign_in, audit, login
from tests.factories import AgentFactory, FundFactory
from tests.web.factories import family_account

pytestmark = pytest.mark.django_db(transaction=True)


def test_rdv26_rdv27_a_supervisor_adds_a_motif_and_edits_a_place(page):
    place, _, _ = desk(FundFactory(code="751", name="CPAM de Paris"))
    supervisor = AgentFactory(fund=place.fund, supervisor=True, username="superviseur-test")
    agent_sign_in(page, supervisor.username)
    page.goto("/agents/agenda/")
    page.get_by_role("link", name="Motifs de rendez-vous").first.click()
    page.get_by_role("heading", name="Motifs de rendez-vous", level=1).wait_for()
    audit(page)
    page.get_by_role("link", name="Ajouter un motif").click()
    page.get_by_role("heading", name="Ajouter un motif", level=1).wait_for()
    audit(page)
    page.get_by_label("Libellé du motif").fill("Dossier de retraite")
    page.locator("label", has_text="À l'accueil").click()
    page.get_by_label("Durée (minutes)").fill("45")
    page.get_by_label("Délai minimum de réservation (heures)").fill("72")
    page.get_by_label("Délai maximum de réservation (jours)").fill("2")
    page.get_by_role("button", name="Enregistrer le motif").click()
    page.get_by_text("doit être après le délai minimum").first.wait_for()
    audit(page)
    expect(page.get_by_label("Libellé du motif")).to_have_value("Dossier de retraite")
    page.get_by_label("Délai maximum de réservation (jours)").fill("30")
    page.get_by_role("button", name="Enregistrer le motif").click()
    page.get_by_text("Motif « Dossier de retraite » créé.").wait_for()
    audit(page)
    assert Motif.objects.filter(name="Dossier de retraite", fund=place.fund).exists()
    page.get_by_role("link", name="Lieux : plages et fermetures").first.click()
    page.get_by_role("heading", name="Lieux d'accueil : plages et fermetures").wait_for()
    audit(page)
    page.get_by_role("link", name=f"Modifier le lieu — {place.name}").click()
    page.get_by_role("heading", name=f"Modifier le lieu — {place.name}").wait_for()
    audit(page)
    page.get_by_label("Adresse").fill("")
    page.get_by_role("button", name="Enregistrer le lieu").click()
    page.get_by_text("Saisissez l'adresse du lieu.").first.wait_for()
    audit(page)
    page.get_by_label("Adresse").fill("3 place de la République, 75003 Paris")
    page.get_by_role("button", name="Enregistrer le lieu").click()
    page.get_by_text(f"Lieu « {place.name} » modifié.").wait_for()
    audit(page)
    assert Place.objects.get(pk=place.pk).address == "3 place de la République, 75003 Paris"


def test_rdv24_rdv25_an_insured_books_at_another_funds_desk_which_receives_them(page):
    user = family_account(dependants=0, payments=1)
    desk(user.person.family.fund)
    lyon = FundFactory(code="691", name="CPAM du Rhône")
    lyon_place = place_for(lyon, name="Accueil Lyon Part-Dieu")
    lyon_motif = motif_for(lyon, name="Rendez-vous Part-Dieu")
    opening(lyon_place, lyon_motif, weekdays=[0, 1, 2, 3, 4, 5, 6], first_day=dt.date(2020, 1, 1))
    login(page, user.username)
    page.goto("/mes-rendez-vous/prendre/")
    page.get_by_role("heading", name="Prendre un rendez-vous", level=1).wait_for()
    audit(page)
    page.get_by_label("Lieu d'accueil").select_option(str(lyon_place.pk))
    page.get_by_role("button", name="Afficher les motifs de ce lieu").click()
    page.get_by_text("Motifs proposés à l'accueil « Accueil Lyon Part-Dieu »").wait_for()
    audit(page)
    page.get_by_label("Motif du rendez-vous").select_option(str(lyon_motif.pk))
    page.get_by_role("button", name="Voir les créneaux libres").click()
    page.get_by_role("button", name="Je confirme mon rendez-vous").wait_for()
    expect(page.locator("#other-fund")).to_contain_text("CPAM du Rhône")
    audit(page)
    page.locator("label[for^=slot-]").first.click()
    page.get_by_label("Numéro de téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Je confirme mon rendez-vous").click()
    page.get_by_role("heading", name="Votre rendez-vous est confirmé").wait_for()
    audit(page)
    booked = Appointment.objects.get(person=user.person)
    assert booked.place == lyon_place
    lyon_agent = AgentFactory(fund=lyon, username="accueil-lyon")
    page.context.clear_cookies()
    agent_sign_in(page, lyon_agent.username)
    page.goto(f"/agents/agenda/rendez-vous/{booked.pk}/")
    page.get_by_role("heading", name="Rendez-vous de", level=1).wait_for()
    expect(page.locator("#other-fund")).to_contain_text("seul ce rendez-vous vous est accessible")
    expect(page.get_by_role("button", name="Ouvrir la fiche client")).to_have_count(0)
    audit(page)
