"""The web journey of the certificates (rules A1–A6) and the public verification page."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from guichet.certificates.models import Download, Issuance
from guichet.certificates.services import issuance_qr_code
from tests.certificates.helpers import family_user, pdf_text
from tests.factories import DEFAULT_PASSWORD, PaymentFactory

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
RIGHTS_URL = "/mes-demarches/attestation-de-droits/"


def _login(client, user):
    response = client.post("/connexion/", {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_a2_both_entry_points_lead_to_the_attestation(client):
    _login(client, family_user())
    assert RIGHTS_URL in client.get("/mes-demarches/").content.decode()
    home = client.get("/").content.decode()
    assert RIGHTS_URL in home


def test_a1_form_shows_address_family_and_no_mention_when_none_applies(client):
    _login(client, family_user())
    page = client.get(RIGHTS_URL).content.decode()
    assert "Modifier mon adresse" in page
    assert "Toute la famille" in page and "Adrik Reglain 23/05/1995" in page
    assert "Exonération du ticket modérateur" not in page
    assert "mutuelle étudiante" in page


def test_a1_mentions_offered_when_they_apply(client):
    _login(client, family_user(rights={"ticket_moderateur_exemption": True}))
    page = client.get(RIGHTS_URL).content.decode()
    assert "Exonération du ticket modérateur" in page
    assert "Complémentaire santé solidaire" not in page


def test_a4_issued_then_pdf_for_the_owner_only(client, django_assert_max_num_queries):
    user = family_user()
    _login(client, user)
    response = client.post(RIGHTS_URL, {"beneficiary": ""})
    issuance = Issuance.objects.get()
    assert response.url == reverse("web:certificate_document", args=[issuance.reference])
    page = client.get(response.url).content.decode()
    assert "Si votre document ne s'ouvre pas directement, cliquez sur ce lien" in page
    pdf = client.get(f"/mes-documents/{issuance.reference}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert "Nikita Reglain" in pdf_text(pdf.content)
    client.get(f"/mes-documents/{issuance.reference}/pdf/")
    assert Download.objects.filter(issuance=issuance).count() == 2  # A5: again, each recorded
    assert issuance.user == user and issuance.channel == "web"

    other = family_user()
    client.logout()
    _login(client, other)
    assert client.get(f"/mes-documents/{issuance.reference}/pdf/").status_code == 404
    assert client.get(f"/mes-documents/{issuance.reference}/").status_code == 404


def test_a1_invalid_beneficiary_is_refused_with_a_message(client):
    _login(client, family_user())
    stranger = family_user()
    page = client.post(RIGHTS_URL, {"beneficiary": str(stranger.person.pk)}).content.decode()
    assert "Choisissez un bénéficiaire de la liste." in page
    assert not Issuance.objects.exists()


def test_a3_excluded_before_any_step(client):
    _login(client, family_user(rights=False))
    page = client.get(RIGHTS_URL).content.decode()
    assert "pas de droits ouverts" in page
    assert "Valider" not in page
    assert client.post(RIGHTS_URL, {"beneficiary": ""}).status_code == 200
    assert not Issuance.objects.exists()


def test_a3_student_notice(client):
    _login(client, family_user(student=True))
    page = client.get(RIGHTS_URL).content.decode()
    assert "adressez-vous à votre mutuelle étudiante" in page
    assert "Sélection du bénéficiaire" not in page


def test_a4_unknown_address_then_new_address_then_document(client):
    user = family_user(npai=True)
    _login(client, user)
    page = client.post(RIGHTS_URL, {"beneficiary": ""}).content.decode()
    assert "Merci de bien vouloir nous préciser votre nouvelle adresse" in page
    assert "Je renseigne ma nouvelle adresse" in page
    bad = client.post(
        "/mes-demarches/mon-adresse/", {"line1": "", "postal_code": "1100", "city": ""}
    )
    assert "Le code postal comporte 5 chiffres." in bad.content.decode()
    response = client.post(
        "/mes-demarches/mon-adresse/",
        {"line1": "3 rue d'Echallon", "line2": "", "postal_code": "01100", "city": "Oyonnax"},
    )
    issuance = Issuance.objects.get()
    assert response.url == reverse("web:certificate_document", args=[issuance.reference])
    user.person.refresh_from_db()
    assert user.person.city == "Oyonnax" and not user.person.address_npai


def test_a4_cannot_be_issued_shows_the_rejection(client):
    _login(client, family_user(provisional=True))
    page = client.post(RIGHTS_URL, {"beneficiary": ""}).content.decode()
    assert "Nous ne pouvons satisfaire votre demande car les informations vous concernant" in page
    assert "Veuillez contacter votre caisse." in page
    assert not Issuance.objects.exists()


def test_daily_allowance_period_is_validated_and_issued(client):
    user = family_user()
    PaymentFactory(
        beneficiary=user.person,
        daily_allowance=True,
        care_date=dt.date(2026, 1, 5),
        period_end=dt.date(2026, 1, 20),
        paid_on=dt.date(2026, 1, 25),
    )
    _login(client, user)
    url = "/mes-demarches/attestation-indemnites-journalieres/"
    page = client.post(url, {"start": "2026-02-01", "end": "2026-01-01"}).content.decode()
    assert "La date de début doit être antérieure ou égale à la date de fin." in page
    page = client.post(url, {"start": "pas une date", "end": ""}).content.decode()
    assert "La date de début n&#x27;est pas valide" in page
    assert "Saisissez la date de fin de la période." in page
    response = client.post(url, {"start": "2026-01-01", "end": "2026-02-28"})
    assert Issuance.objects.get(kind="daily_allowance").reference in response.url


def test_monthly_and_tax_statements(client):
    user = family_user()
    PaymentFactory(
        beneficiary=user.person,
        daily_allowance=True,
        paid_on=dt.date(2025, 11, 2),
        amount=Decimal("500"),
    )
    PaymentFactory(beneficiary=user.person, paid_on=dt.date(2026, 2, 2))
    _login(client, user)
    page = client.get("/mes-demarches/releves-mensuels/").content.decode()
    assert "Février 2026" in page and "Novembre 2025" in page and "Janvier 2026" not in page
    assert (
        "Choisissez un mois de la liste."
        in client.post("/mes-demarches/releves-mensuels/", {"month": "2026-01-01"}).content.decode()
    )
    response = client.post("/mes-demarches/releves-mensuels/", {"month": "2026-02-01"})
    assert Issuance.objects.get(kind="monthly").reference in response.url
    assert "2025" in client.get("/mes-demarches/releve-fiscal/").content.decode()
    response = client.post("/mes-demarches/releve-fiscal/")
    tax = Issuance.objects.get(kind="tax")
    assert "500,00 €" in pdf_text(client.get(f"/mes-documents/{tax.reference}/pdf/").content)


def test_public_verification_page(client):
    user = family_user()
    _login(client, user)
    client.post(RIGHTS_URL, {"beneficiary": ""})
    issuance = Issuance.objects.get()
    client.logout()
    genuine = client.get(f"/verifier/{issuance_qr_code(issuance)}/").content.decode()
    assert "Document authentique" in genuine and "C. C." in genuine
    assert "Chevalerias" not in genuine and "Corinne" not in genuine
    assert (
        "Document authentique"
        in client.get("/verifier/", {"reference": issuance.reference}).content.decode()
    )
    code = issuance_qr_code(issuance)
    altered = client.get(f"/verifier/{code[:-2]}{'AA' if code[-2:] != 'AA' else 'BB'}/")
    assert "Ce document a été modifié" in altered.content.decode()
    other_day = code.replace(".20260310.", ".20260311.")
    altered = client.get(f"/verifier/{other_day}/").content.decode()
    assert "Ce document a été modifié" in altered
    unknown = client.get("/verifier/", {"reference": "ATD-0000-0000-0000"}).content.decode()
    assert "Aucun document ne porte cette référence." in unknown
    # The same reference typed in the address gets the same answer, not « modifié » (issue 14).
    unknown_in_url = client.get("/verifier/ATD-0000-0000-0000/").content.decode()
    assert "Aucun document ne porte cette référence." in unknown_in_url
    assert "Ce document a été modifié" not in unknown_in_url
    assert "Document authentique" in client.get(f"/verifier/{issuance.reference}/").content.decode()


def test_a6_immediate_no_email_and_no_notification(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from guichet.notifications.models import Notification

    _login(client, family_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RIGHTS_URL, {"beneficiary": ""})
        client.get(response.url + "pdf/")
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_query_count_does_not_grow_with_the_family(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PersonFactory

    user = family_user()
    _login(client, user)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(RIGHTS_URL).status_code == 200
            response = client.post(RIGHTS_URL, {"beneficiary": ""})
            client.get(response.url + "pdf/")
        counts.append(len(queries))
        for _ in range(3):
            PersonFactory(dependant=True, family=user.person.family)
    assert counts[0] == counts[1]


def test_issuing_reads_the_covered_members_once(client):
    """Issue 16: the form's read of the family's open rights is the service's (one query on
    the rights periods for the whole POST, formerly two)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, family_user())
    with CaptureQueriesContext(connection) as queries:
        response = client.post(RIGHTS_URL, {"beneficiary": ""})
    assert response.status_code == 302
    periods = [q for q in queries.captured_queries if '"reference_rightsperiod"' in q["sql"]]
    assert len(periods) == 1
