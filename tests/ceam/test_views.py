"""Web pages of the CEAM order and « Arrêts de travail »: bad inputs keep what was typed,
another account's order and certificate answer 404, query budgets."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from guichet.ceam import services
from guichet.ceam.models import CeamOrder
from guichet.certificates.enums import Channel
from guichet.reference.enums import PaymentKind, WorkStoppageKind
from guichet.reference.models import RightsPeriod, WorkStoppage
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory, PaymentFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
ORDER_URL = "/mes-demarches/ceam/commander/"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_catalogue_and_home_link_the_ceam_and_the_stoppages(insured_client):
    page = insured_client.get(reverse("web:procedures")).content.decode()
    assert f'href="{ORDER_URL}"' in page
    assert 'href="/mes-demarches/arrets-de-travail/"' in page
    assert 'href="/mes-demarches/ceam/suivi/"' in page
    assert f'href="{ORDER_URL}"' in insured_client.get("/").content.decode()


def test_order_with_a_near_departure_gives_the_certificate(insured_client, insured):
    """CEAM7 on the web, and the tracking page of CEAM8."""
    response = insured_client.post(
        ORDER_URL, {"beneficiary": insured.person.pk, "departure_on": "07/12/2026"}
    )
    order = CeamOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/mes-demarches/ceam/commande/{order.pk}/"
    page = insured_client.get(response["Location"]).content.decode()
    assert "16/12/2026" in page
    assert "valable du 02/12/2026 au 02/03/2027" in page
    pdf = insured_client.get(f"/mes-demarches/ceam/commande/{order.pk}/certificat-provisoire/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    tracking = insured_client.get("/mes-demarches/ceam/suivi/").content.decode()
    assert order.reference in tracking and "Commande reçue" in tracking


@pytest.mark.parametrize(
    ("departure", "message"),
    [
        ("31/02/2027", "Saisissez une date au format JJ/MM/AAAA"),
        ("demain", "Saisissez une date au format JJ/MM/AAAA"),
        ("01/12/2026", "La date de départ ne peut pas être passée"),
        ("03/12/2027", "La date de départ doit être dans les 12 prochains mois."),
    ],
)
def test_a_bad_departure_date_keeps_what_was_typed(insured_client, insured, departure, message):
    response = insured_client.post(
        ORDER_URL, {"beneficiary": insured.person.pk, "departure_on": departure}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{departure}"' in page
    assert "checked" in page  # the beneficiary stays chosen
    assert "<title>Erreur :" in page
    assert not CeamOrder.objects.exists()


def test_no_beneficiary_chosen(insured_client, insured):
    child = PersonFactory(family=insured.person.family, dependant=True)
    response = insured_client.post(ORDER_URL, {"departure_on": "10/12/2026"})
    page = response.content.decode()
    assert "Choisissez le bénéficiaire de la CEAM." in page
    assert 'value="10/12/2026"' in page
    assert child.first_names in page


def test_an_excluded_beneficiary_is_shown_disabled_with_the_reason(insured_client, insured):
    """CEAM1 lists the family, CEAM2 shows the exclusion before the order."""
    child = PersonFactory(family=insured.person.family, dependant=True, rights=False)
    page = insured_client.get(ORDER_URL).content.decode()
    assert "ne sont pas ouverts" in page
    assert page.count(" disabled") == 1
    response = insured_client.post(ORDER_URL, {"beneficiary": child.pk})
    assert "Ce bénéficiaire ne peut pas commander de CEAM en ligne." in response.content.decode()
    assert not CeamOrder.objects.exists()


def test_the_order_page_queries_do_not_grow_with_the_family(
    insured_client, insured, django_assert_max_num_queries
):
    for _ in range(6):
        PersonFactory(family=insured.person.family, dependant=True)
    with django_assert_max_num_queries(14):
        assert insured_client.get(ORDER_URL).status_code == 200


def test_the_tracking_page_budget(insured_client, insured, django_assert_max_num_queries):
    for _ in range(4):
        child = PersonFactory(family=insured.person.family, dependant=True)
        services.ceam_order(
            user=insured, beneficiary=child, departure_on=dt.date(2026, 12, 5), channel=Channel.WEB
        )
    with django_assert_max_num_queries(10):
        page = insured_client.get("/mes-demarches/ceam/suivi/").content.decode()
    assert page.count("Télécharger le certificat provisoire de remplacement") == 4


def test_another_accounts_order_and_certificate_answer_404(client, insured):
    order = services.ceam_order(
        user=insured,
        beneficiary=insured.person,
        departure_on=dt.date(2026, 12, 5),
        channel=Channel.WEB,
    )
    other = InsuredUserFactory()
    client.post("/connexion/", {"nir": other.username, "code": DEFAULT_PASSWORD})
    assert client.get(f"/mes-demarches/ceam/commande/{order.pk}/").status_code == 404
    assert (
        client.get(f"/mes-demarches/ceam/commande/{order.pk}/certificat-provisoire/").status_code
        == 404
    )
    assert order.reference not in client.get("/mes-demarches/ceam/suivi/").content.decode()


def test_an_order_without_certificate_has_no_download(insured_client, insured):
    order = services.ceam_order(
        user=insured, beneficiary=insured.person, departure_on=None, channel=Channel.WEB
    )
    url = f"/mes-demarches/ceam/commande/{order.pk}/certificat-provisoire/"
    assert insured_client.get(url).status_code == 404


def _stoppage(person, start, end, payments):
    stoppage = WorkStoppage.objects.create(
        person=person,
        kind=WorkStoppageKind.SICKNESS,
        start_date=start,
        end_date=end,
        employer="Boulangerie Martin",
        received_on=start,
    )
    for offset in range(payments):
        PaymentFactory(
            beneficiary=person,
            daily_allowance=True,
            work_stoppage=stoppage,
            care_date=start + dt.timedelta(days=14 * offset),
            period_end=start + dt.timedelta(days=14 * offset + 13),
            paid_on=start + dt.timedelta(days=14 * offset + 16),
            amount=Decimal("412.30"),
        )
    return stoppage


def test_work_stoppages_with_their_payments(insured_client, insured):
    _stoppage(insured.person, dt.date(2026, 9, 1), dt.date(2026, 9, 28), 2)
    _stoppage(insured.person, dt.date(2026, 11, 20), dt.date(2026, 12, 20), 0)
    _stoppage(PersonFactory(), dt.date(2026, 5, 1), dt.date(2026, 5, 9), 1)  # someone else's
    page = insured_client.get("/mes-demarches/arrets-de-travail/").content.decode()
    assert "Maladie du 01/09/2026 au 28/09/2026" in page
    assert "du 01/09/2026 au 14/09/2026" in page and "du 15/09/2026 au 28/09/2026" in page
    assert "412,30 €" in page
    assert "Aucune indemnité journalière n'a encore été versée pour cet arrêt." in page
    assert "01/05/2026" not in page
    assert page.index("20/11/2026") < page.index("01/09/2026")  # newest first


def test_no_work_stoppage(insured_client):
    page = insured_client.get("/mes-demarches/arrets-de-travail/").content.decode()
    assert "Aucun arrêt de travail n'est enregistré à votre nom." in page


def test_work_stoppages_budget(insured_client, insured, django_assert_max_num_queries):
    for month in range(1, 9):
        _stoppage(insured.person, dt.date(2026, month, 1), dt.date(2026, month, 28), 2)
    with django_assert_max_num_queries(9):
        assert insured_client.get("/mes-demarches/arrets-de-travail/").status_code == 200


def test_a_payment_other_than_an_allowance_cannot_belong_to_a_stoppage(insured):
    stoppage = _stoppage(insured.person, dt.date(2026, 9, 1), dt.date(2026, 9, 28), 0)
    with pytest.raises(IntegrityError):
        PaymentFactory(
            beneficiary=insured.person, kind=PaymentKind.REIMBURSEMENT, work_stoppage=stoppage
        )


def test_rights_closed_page_says_so(insured_client, insured):
    RightsPeriod.objects.filter(person=insured.person).update(end_date=dt.date(2026, 1, 1))
    page = insured_client.get(ORDER_URL).content.decode()
    assert "ne sont pas ouverts" in page


def test_the_certificate_is_in_mes_documents_too(insured_client, insured):
    """CEAM7: downloadable again, from « Mes documents » as every issued document (A5)."""
    order = services.ceam_order(
        user=insured,
        beneficiary=insured.person,
        departure_on=dt.date(2026, 12, 5),
        channel=Channel.WEB,
    )
    page = insured_client.get(reverse("web:certificate_documents")).content.decode()
    assert order.provisional_certificate.reference in page
    assert "Certificat provisoire de remplacement de la CEAM" in page
