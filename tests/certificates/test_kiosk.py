"""The kiosk (borne multi-services), rule A7: card, choices answered, document, idle timeout."""

import datetime as dt

import pytest
import time_machine

from guichet.certificates.models import Download, Issuance
from tests.certificates.helpers import family_user, pdf_text
from tests.factories import CardFactory
from tests.terminals.helpers import enrol_client

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _enrolled_kiosk(client):
    """Every test here runs on a kiosk enrolled by the IT team (security-kiosk-devices.md)."""
    enrol_client(client)


def _card(**person_kwargs):
    user = family_user(**person_kwargs)
    return CardFactory(person=user.person)


def _sign_in(client, card):
    return client.post("/borne/", {"serial_number": card.serial_number, "birth_date": "20/05/1970"})


@time_machine.travel(TODAY, tick=False)
def test_a7_card_then_whole_family_then_no_option_then_document(client):
    card = _card()
    assert _sign_in(client, card).url == "/borne/services/"
    page = client.get("/borne/attestation-de-droits/").content.decode()
    assert "L&#x27;ensemble des bénéficiaires" in page or "L'ensemble des bénéficiaires" in page
    response = client.post("/borne/attestation-de-droits/", {"beneficiary": "all"})
    issuance = Issuance.objects.get()
    assert response.url == f"/borne/documents/{issuance.reference}/"
    assert issuance.channel == "kiosk" and issuance.user is None
    pdf = client.get(f"/borne/documents/{issuance.reference}/pdf/")
    assert "Adrik Reglain" in pdf_text(pdf.content)
    assert Download.objects.get().channel == "kiosk"


@time_machine.travel(TODAY, tick=False)
def test_a7_each_option_must_be_answered_no_or_yes(client):
    card = _card(rights={"ticket_moderateur_exemption": True})
    _sign_in(client, card)
    assert (
        "Choisissez l&#x27;ensemble"
        in client.post("/borne/attestation-de-droits/", {}).content.decode()
    )
    response = client.post("/borne/attestation-de-droits/", {"beneficiary": str(card.person.pk)})
    assert response.url == "/borne/attestation-de-droits/options/"
    page = client.get(response.url).content.decode()
    assert "NON" in page and "OUI" in page and "Exonération du ticket modérateur" in page
    page = client.post(response.url, {}).content.decode()
    assert "Répondez NON ou OUI" in page
    assert not Issuance.objects.exists()
    response = client.post("/borne/attestation-de-droits/options/", {"etm": "oui"})
    issuance = Issuance.objects.get()
    text = pdf_text(client.get(f"/borne/documents/{issuance.reference}/pdf/").content)
    assert "Exonération du ticket modérateur" in text
    assert "Adrik" not in text


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("status", ["lost", "stolen", "faulty"])
def test_a7_a_card_not_active_is_refused(client, status):
    card = _card()
    card.status = status
    card.save()
    page = _sign_in(client, card).content.decode()
    assert "Cette carte Vitale ne peut pas être utilisée" in page
    assert client.get("/borne/services/").url == "/borne/"


@time_machine.travel(TODAY, tick=False)
def test_a7_wrong_birth_date_is_refused(client):
    card = _card()
    page = client.post("/borne/", {"serial_number": card.serial_number, "birth_date": "21/05/1970"})
    assert "La carte Vitale n&#x27;a pas pu être lue" in page.content.decode()


def test_a7_idle_timeout_clears_the_session(client, settings):
    settings.KIOSK_IDLE_SECONDS = 60
    with time_machine.travel(TODAY, tick=False):
        _sign_in(client, _card())
        assert client.get("/borne/services/").status_code == 200
    with time_machine.travel(TODAY + dt.timedelta(seconds=50), tick=False):
        assert client.get("/borne/services/").status_code == 200
    with time_machine.travel(TODAY + dt.timedelta(seconds=111), tick=False):
        response = client.get("/borne/services/")
        assert response.url == "/borne/?expiree=1"
        assert "kiosk_person" not in client.session
        assert client.get("/borne/services/").url == "/borne/"


@time_machine.travel(TODAY, tick=False)
def test_a7_kiosk_pdf_for_the_card_holder_only(client):
    first = _card()
    _sign_in(client, first)
    client.post("/borne/attestation-de-droits/", {"beneficiary": "all"})
    issuance = Issuance.objects.get()
    client.post("/borne/terminer/")
    other = CardFactory(person=family_user().person)
    _sign_in(client, other)
    assert client.get(f"/borne/documents/{issuance.reference}/pdf/").status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a7_the_document_is_shown_inside_a_kiosk_page(client):
    """The PDF is framed by a kiosk page (idle timeout, « Terminer »), never left on its own."""
    _sign_in(client, _card())
    client.post("/borne/attestation-de-droits/", {"beneficiary": "all"})
    reference = Issuance.objects.get().reference
    page = client.get(f"/borne/documents/{reference}/").content.decode()
    assert f'href="/borne/documents/{reference}/afficher/"' in page
    assert f'/borne/documents/{reference}/pdf/"' not in page
    viewer = client.get(f"/borne/documents/{reference}/afficher/")
    html = viewer.content.decode()
    pdf_src = f"/borne/documents/{reference}/pdf/#navpanes=0&amp;view=FitH"
    assert f'id="kiosk-document" src="{pdf_src}"' in html
    assert 'id="kiosk-idle"' in html and 'id="kiosk-finish"' in html
    assert viewer["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in viewer["Content-Security-Policy"]
    pdf = client.get(f"/borne/documents/{reference}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pdf["Content-Security-Policy"]
    assert "'none'" not in pdf["Content-Security-Policy"].split("frame-ancestors")[1].split(";")[0]


@time_machine.travel(TODAY, tick=False)
def test_a7_the_viewer_is_for_the_card_holder_only(client):
    _sign_in(client, _card())
    client.post("/borne/attestation-de-droits/", {"beneficiary": "all"})
    reference = Issuance.objects.get().reference
    client.post("/borne/terminer/")
    assert client.get(f"/borne/documents/{reference}/afficher/").url == "/borne/"
    _sign_in(client, CardFactory(person=family_user().person))
    assert client.get(f"/borne/documents/{reference}/afficher/").status_code == 404


def test_a7_activity_keeps_the_session_alive(client, settings):
    """A touch on a kiosk page (the idle script's request) counts as activity on the server."""
    settings.KIOSK_IDLE_SECONDS = 60
    with time_machine.travel(TODAY, tick=False):
        _sign_in(client, _card())
    with time_machine.travel(TODAY + dt.timedelta(seconds=50), tick=False):
        assert client.post("/borne/activite/").status_code == 204
        assert client.get("/borne/activite/").status_code == 405
    with time_machine.travel(TODAY + dt.timedelta(seconds=100), tick=False):
        assert client.get("/borne/services/").status_code == 200
    with time_machine.travel(TODAY + dt.timedelta(seconds=200), tick=False):
        response = client.post("/borne/activite/")
        assert response.status_code == 302 and response.url == "/borne/?expiree=1"
        assert "kiosk_person" not in client.session


def test_a7_activity_needs_a_kiosk_session_and_the_csrf_token(client):
    assert client.post("/borne/activite/").url == "/borne/"
    _sign_in(client, _card())
    client.get("/borne/services/")  # the page that carries the token
    client.handler.enforce_csrf_checks = True
    assert client.post("/borne/activite/").status_code == 403
    token = client.cookies["csrftoken"].value
    assert client.post("/borne/activite/", HTTP_X_CSRFTOKEN=token).status_code == 204


@time_machine.travel(TODAY, tick=False)
def test_a7_confirmer_says_what_it_waits_for(client):
    """Issue 14: the button the script keeps inactive is described by what it waits for."""
    from tests.web.test_inactive_buttons import assert_described

    _sign_in(client, _card())
    assert_described(client.get("/borne/attestation-de-droits/").content.decode(), "Confirmer")
