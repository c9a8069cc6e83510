"""Issue 18 in the browser: a CEAM ordered for a beneficiary who leaves in 5 days, a bad date
first (kept, with its message), the provisional replacement certificate at once, the tracking
page; then « Arrêts de travail » with its payments (rules CEAM1, CEAM7, CEAM8). Every page is
audited with axe-core, at 1280 and 320 px."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from guichet.ceam.models import CeamOrder
from guichet.core import clock
from guichet.reference.enums import WorkStoppageKind
from guichet.reference.models import WorkStoppage
from tests.browser.conftest import audit, login
from tests.factories import InsuredUserFactory, PaymentFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_ceam_for_a_child_leaving_in_five_days(page):
    user = InsuredUserFactory()
    child = PersonFactory(
        family=user.person.family, dependant=True, first_names="Léo", birth_date=dt.date(2018, 3, 4)
    )
    departure = clock.today() + dt.timedelta(days=5)
    login(page, user.username)

    page.goto("/mes-demarches/")
    page.get_by_role(
        "link", name="Commander une carte européenne d'assurance maladie (CEAM)"
    ).click()
    page.get_by_role("heading", level=1).wait_for()
    audit(page)
    page.locator("label[for=id_beneficiary_1]").click()  # the DSFR radio: click its label
    date_field = page.get_by_label("Date de départ à l'étranger (facultatif)")
    date_field.fill(departure.strftime("%d/%m/%Y").replace("/", "-"))
    page.get_by_role("button", name="Commander la CEAM").click()
    page.get_by_text("Saisissez une date au format JJ/MM/AAAA").first.wait_for()
    audit(page)
    expect(date_field).to_have_value(departure.strftime("%d-%m-%Y"))  # nothing typed is lost
    expect(page.locator("#id_beneficiary_1")).to_be_checked()
    assert not CeamOrder.objects.exists()

    date_field.fill(departure.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Commander la CEAM").click()
    page.get_by_role("heading", name="Votre commande de CEAM est enregistrée").wait_for()
    audit(page)
    order = CeamOrder.objects.get()
    assert order.beneficiary == child and order.provisional_certificate is not None
    valid_until = order.provisional_certificate.valid_until.strftime("%d/%m/%Y")
    expect(page.get_by_text(f"au {valid_until}")).to_be_visible()
    link = page.get_by_role("link", name="Télécharger le certificat provisoire de remplacement")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    page.get_by_role("link", name="Suivre ma commande de CEAM").click()
    page.get_by_role("heading", name="Commande de CEAM", level=1).wait_for()
    expect(page.get_by_text("Commande reçue")).to_be_visible()
    audit(page)

    page.goto("/mes-demarches/ceam/commander/")
    expect(page.get_by_text("Une commande de CEAM est déjà en cours")).to_be_visible()  # CEAM4
    audit(page)


def test_work_stoppages_page(page):
    user = InsuredUserFactory()
    stoppage = WorkStoppage.objects.create(
        person=user.person,
        kind=WorkStoppageKind.SICKNESS,
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 28),
        employer="Boulangerie Martin",
        received_on=dt.date(2026, 9, 2),
    )
    PaymentFactory(
        beneficiary=user.person,
        daily_allowance=True,
        work_stoppage=stoppage,
        care_date=dt.date(2026, 9, 1),
        period_end=dt.date(2026, 9, 14),
        paid_on=dt.date(2026, 9, 17),
        amount=Decimal("412.30"),
    )
    login(page, user.username)
    page.goto("/mes-demarches/")
    page.get_by_role("link", name="Arrêts de travail").click()
    page.get_by_role("heading", name="Maladie du 01/09/2026 au 28/09/2026").wait_for()
    expect(page.get_by_role("cell", name="412,30 €")).to_be_visible()
    audit(page)
