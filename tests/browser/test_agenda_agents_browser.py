"""The agents' side of « Mon agenda » in a real browser, at 1280 and 320 px, with axe-core on
every page (issue 17): the agent books when Nicolas calls, the preparatory call, the check-in
with the proxy's ID check (P8) and a no-show (rules RDV7, RDV8, RDV11, RDV13, RDV15)."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from guichet.appointments.models import Appointment
from guichet.core import clock
from guichet.powers.models import PowerUse
from tests.appointments.factories import appointment_at, desk
from tests.browser.conftest import agent_sign_in, audit
from tests.factories import AgentFactory, InsuredUserFactory
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db(transaction=True)


def _world():
    """A place open Monday to Friday, its front-desk agent, and Mamie Françoise with a power to
    her nephew Nicolas."""
    place, motif, slot = desk(AgentFactory().fund)
    front_desk = AgentFactory(fund=place.fund, username="accueil-test")
    user = InsuredUserFactory(
        person__family__fund=place.fund,
        person__first_names="Françoise",
        person__last_name="MOREAU",
        person__birth_date=dt.date(1941, 10, 2),
    )
    give_power(user.person, first_name="Nicolas", last_name="MOREAU")
    return place, motif, slot.agent, front_desk, user.person


def _today_at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(clock.today(), dt.time(hour, minute), tzinfo=clock.PARIS)


def _open_agenda(page: Page) -> None:
    page.goto("/agents/")
    page.get_by_role("link", name="Accueil : agenda, appels préparatoires et rendez-vous").click()
    page.get_by_role("heading", name="Agenda de l'accueil", level=1).wait_for()
    audit(page)


def test_rdv15_the_agent_books_when_nicolas_calls(page):
    place, motif, _, front_desk, person = _world()
    agent_sign_in(page, front_desk.username)
    _open_agenda(page)
    page.get_by_role("link", name="Prendre un rendez-vous pour un assuré").first.click()
    page.get_by_role("heading", name="Prendre un rendez-vous pour un assuré").wait_for()
    audit(page)
    page.get_by_label("Numéro de sécurité sociale de l'assuré").fill("1234")
    page.get_by_role("button", name="Rechercher l'assuré").click()
    page.locator("#form-errors").wait_for()
    audit(page)
    page.get_by_label("Numéro de sécurité sociale de l'assuré").fill(person.nir)
    page.get_by_role("button", name="Rechercher l'assuré").click()
    page.get_by_role("heading", name="Rendez-vous pour Madame Françoise MOREAU").wait_for()
    expect(page.get_by_text("Procuration en cours à Monsieur Nicolas MOREAU")).to_be_visible()
    audit(page)
    page.get_by_label("Motif du rendez-vous").select_option(str(motif.pk))
    page.get_by_label("Lieu d'accueil").select_option(str(place.pk))
    page.get_by_role("button", name="Voir les créneaux libres").click()
    page.get_by_role("button", name="Réserver le rendez-vous").wait_for()
    audit(page)
    page.locator("label[for^=slot-]").first.click()
    page.get_by_label("Numéro de téléphone de l'assuré ou de son mandataire").fill("12")
    page.get_by_role("button", name="Réserver le rendez-vous").click()
    page.get_by_text("10 chiffres").first.wait_for()
    audit(page)
    expect(page.locator("input[name=slot]:checked")).to_have_count(1)  # the choice is kept
    page.get_by_label("Numéro de téléphone de l'assuré ou de son mandataire").fill("06 98 76 54 32")
    page.locator("label[for=id_represented]").click()
    page.get_by_role("button", name="Réserver le rendez-vous").click()
    page.get_by_text("Rendez-vous réservé pour Françoise MOREAU").wait_for()
    expect(page.locator("#represented")).to_have_text("Représenté(e) par son mandataire")
    audit(page)
    booked = Appointment.objects.get(person=person)
    assert (booked.booked_by, booked.phone, booked.represented_by_proxy) == (
        front_desk,
        "06 98 76 54 32",
        True,
    )


def test_rdv8_the_preparatory_call_is_recorded(page):
    place, motif, holder, front_desk, person = _world()
    tomorrow = dt.datetime.combine(
        clock.today() + dt.timedelta(days=1), dt.time(10), tzinfo=clock.PARIS
    )
    appointment = appointment_at(place, motif, person, holder, tomorrow)
    agent_sign_in(page, front_desk.username)
    _open_agenda(page)
    page.get_by_role("link", name="Appels préparatoires").first.click()
    page.get_by_role("heading", name="Appels préparatoires", level=1).wait_for()
    audit(page)
    card = page.locator(f"#rdv-{appointment.pk}")
    card.get_by_role("button", name="Enregistrer l'appel de Françoise MOREAU").click()
    page.get_by_text("Choisissez le résultat de l'appel.").wait_for()
    audit(page)
    card.locator("label", has_text="Sera représenté(e) par son mandataire").click()
    card.get_by_role("button", name="Enregistrer l'appel de Françoise MOREAU").click()
    page.get_by_text("Appel préparatoire de Françoise MOREAU enregistré").wait_for()
    audit(page)
    appointment.refresh_from_db()
    assert (appointment.call_outcome, appointment.called_by) == ("will_be_represented", front_desk)
    assert appointment.represented_by_proxy


def test_rdv11_check_in_of_nicolas_with_his_id_then_seen(page):
    place, motif, holder, front_desk, person = _world()
    appointment = appointment_at(
        place, motif, person, holder, _today_at(0, 1), represented_by_proxy=True
    )
    agent_sign_in(page, front_desk.username)
    _open_agenda(page)
    page.get_by_role("link", name="Françoise MOREAU").click()
    page.get_by_role("heading", name="Rendez-vous de Madame Françoise MOREAU").wait_for()
    expect(page.locator("#mandataire")).to_contain_text("Nicolas MOREAU")
    audit(page)
    page.locator("label", has_text="Son mandataire (procuration)").click()
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    page.locator("#form-errors").wait_for()
    audit(page)
    assert not PowerUse.objects.exists()
    page.get_by_label("Pièce d'identité présentée par le mandataire").select_option("id_card")
    page.get_by_label("4 derniers caractères du numéro de la pièce").fill("4821")
    page.locator("label", has_text="L'identité de la personne présente correspond").click()
    page.get_by_role("button", name="Enregistrer l'arrivée").click()
    page.get_by_text("le RDV peut commencer").wait_for()
    expect(page.locator("#power-use")).to_contain_text("se terminant par 4821")
    audit(page)
    page.get_by_role("button", name="Marquer « reçu »").click()
    page.get_by_text("Le rendez-vous est marqué « reçu ».").wait_for()
    audit(page)
    appointment.refresh_from_db()
    assert appointment.status == "seen"
    assert appointment.power_use == PowerUse.objects.get(agent=front_desk)


def test_rdv13_a_no_show(page):
    place, motif, holder, front_desk, person = _world()
    appointment = appointment_at(place, motif, person, holder, _today_at(0, 1))
    agent_sign_in(page, front_desk.username)
    page.goto(f"/agents/agenda/rendez-vous/{appointment.pk}/")
    page.get_by_role("heading", name="Rendez-vous de Madame Françoise MOREAU").wait_for()
    audit(page)
    page.get_by_role("button", name="Marquer « absent »").click()
    page.get_by_text("Cela ne pénalise pas l'assuré").first.wait_for()
    audit(page)
    appointment.refresh_from_db()
    assert appointment.status == "no_show"


def test_rdv14_an_absence_cancels_the_booked_appointment(page):
    place, motif, _, front_desk, person = _world()
    day = clock.today() + dt.timedelta(days=2)
    appointment = appointment_at(
        place, motif, person, front_desk, dt.datetime.combine(day, dt.time(10), tzinfo=clock.PARIS)
    )
    agent_sign_in(page, front_desk.username)
    _open_agenda(page)
    page.get_by_role("link", name="Déclarer une absence").click()
    page.get_by_role("heading", name="Déclarer une absence", level=1).wait_for()
    audit(page)
    page.get_by_label("Du (date)").fill(f"{day:%d/%m/%Y}")
    page.get_by_label("Du (heure)").fill("08:00")
    page.get_by_label("Au (date)").fill(f"{day:%d/%m/%Y}")
    page.get_by_label("Au (heure)").fill("18:00")
    page.get_by_label("Motif de l'absence (facultatif)").fill("Formation")
    page.get_by_role("button", name="Enregistrer l'absence").click()
    page.locator("#form-errors").wait_for()  # the confirmation is not ticked
    audit(page)
    expect(page.get_by_label("Au (heure)")).to_have_value("18:00")  # nothing typed is lost
    page.locator("label[for=id_confirm]").click()
    page.get_by_role("button", name="Enregistrer l'absence").click()
    page.get_by_text("Absence enregistrée : 1 rendez-vous annulé(s)").wait_for()
    audit(page)
    appointment.refresh_from_db()
    assert appointment.status == "cancelled_by_fund"


def test_rdv22_rdv23_a_supervisor_opens_a_slot_and_closes_a_day(page):
    """« Lieux : plages et fermetures »: an overlapping opening is refused with its message and
    what was typed kept; a closed day cancels its appointment (rules RDV4, RDV22, RDV23)."""
    place, motif, holder, _, person = _world()
    supervisor = AgentFactory(fund=place.fund, supervisor=True, username="superviseur-test")
    start = _today_at(9) + dt.timedelta(days=7)
    while start.weekday() > 4:
        start += dt.timedelta(days=1)
    booked = appointment_at(place, motif, person, holder, start)
    agent_sign_in(page, supervisor.username)
    _open_agenda(page)
    page.get_by_role("link", name="Lieux : plages et fermetures").first.click()
    page.get_by_role("heading", name="Lieux d'accueil : plages et fermetures").wait_for()
    audit(page)
    page.get_by_role("link", name=f"Plages d'ouverture — {place.name}").click()
    page.get_by_role("heading", name=f"Plages d'ouverture — {place.name}").wait_for()
    audit(page)
    page.get_by_label("Agent").select_option(str(holder.pk))
    page.locator("label", has_text=motif.name).click()
    page.locator("label", has_text="lundi").click()
    page.locator("input[name=start_time]").fill("11:00")
    page.locator("input[name=end_time]").fill("13:00")
    page.get_by_label("À partir du").fill(clock.today().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Enregistrer la plage").click()
    page.get_by_text("chevauche une autre plage du même agent").first.wait_for()
    audit(page)
    expect(page.locator("input[name=start_time]")).to_have_value("11:00")  # nothing typed is lost
    page.locator("input[name=start_time]").fill("13:30")
    page.locator("input[name=end_time]").fill("16:00")
    page.get_by_role("button", name="Enregistrer la plage").click()
    page.get_by_text("Plage d'ouverture enregistrée").wait_for()
    audit(page)
    page.get_by_role("link", name="Lieux : plages et fermetures").last.click()
    page.get_by_role("link", name=f"Jours de fermeture — {place.name}").click()
    page.get_by_role("heading", name=f"Jours de fermeture — {place.name}").wait_for()
    audit(page)
    page.get_by_label("Jour de fermeture").fill(start.strftime("%d/%m/%Y"))
    page.get_by_label("Motif de la fermeture").fill("Travaux")
    page.get_by_role("button", name="Enregistrer la fermeture").click()
    page.get_by_text("Confirmez l'annulation des rendez-vous de ce jour.").first.wait_for()
    audit(page)
    page.locator("label", has_text="seront annulés et chaque assuré prévenu").click()
    page.get_by_role("button", name="Enregistrer la fermeture").click()
    page.get_by_text("1 rendez-vous annulé(s)").wait_for()
    audit(page)
    booked.refresh_from_db()
    assert booked.status == "cancelled_by_fund"
