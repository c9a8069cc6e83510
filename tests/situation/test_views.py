"""The web pages of « Changement d'adresse postale » and « Modifier mes coordonnées bancaires »
(rules G3, SIT1–SIT10): every bad input answered in French on its field, nothing typed lost."""

import pytest
import time_machine
from django.urls import reverse

from guichet.situation.models import BankDetailsChange
from tests.cards.factories import upload
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory
from tests.situation.factories import NEW_IBAN, REQUESTED, bank_change_for, rib_pdf

pytestmark = pytest.mark.django_db
ADDRESS_URL = "/mes-demarches/changement-adresse/"
BANK_URL = "/mes-demarches/coordonnees-bancaires/"
GOOD_ADDRESS = {"line1": "3 rue d'Echallon", "line2": "", "postal_code": "01100", "city": "Oyonnax"}


def _login(client, user):
    response = client.post("/connexion/", {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def npai_user():
    return InsuredUserFactory(person__npai=True)


def test_g3_both_demarches_are_offered_in_mes_demarches(client, npai_user):
    page = _login(client, npai_user).get(reverse("web:procedures")).content.decode()
    assert f'href="{ADDRESS_URL}">Changement d&#x27;adresse postale</a>' in page
    assert f'href="{BANK_URL}">Modifier mes coordonnées bancaires</a>' in page


@pytest.mark.parametrize("url", [ADDRESS_URL, BANK_URL])
def test_the_pages_need_a_signed_in_insured(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/connexion/")


def test_sit2_an_npai_address_starts_empty_with_the_notice(client, npai_user):
    page = _login(client, npai_user).get(ADDRESS_URL).content.decode()
    assert "Le courrier envoyé à votre adresse nous est revenu" in page
    assert "12 rue de la Paix" not in page


def test_sit2_a_known_address_is_shown_and_prefilled(client):
    page = _login(client, InsuredUserFactory()).get(ADDRESS_URL).content.decode()
    assert "Votre adresse actuelle : 12 rue de la Paix, 75002 Paris." in page
    assert 'value="12 rue de la Paix"' in page


def test_sit1_a_commune_not_served_is_refused_and_what_was_typed_is_kept(client, npai_user):
    typed = {**GOOD_ADDRESS, "city": "Lyon", "line2": "Escalier C"}
    page = _login(client, npai_user).post(ADDRESS_URL, typed).content.decode()
    assert "La commune ne correspond pas au code postal 01100." in page
    assert "Le formulaire comporte une ou plusieurs erreurs" in page
    for value in ("3 rue d&#x27;Echallon", "Escalier C", "01100", "Lyon"):
        assert f'value="{value}"' in page
    npai_user.person.refresh_from_db()
    assert npai_user.person.address_npai


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"line1": ""}, "Saisissez votre adresse (numéro et voie)."),
        ({"postal_code": "1100"}, "Le code postal comporte 5 chiffres."),
        ({"postal_code": "99999"}, "Ce code postal n&#x27;existe pas : vérifiez-le."),
        ({"city": ""}, "Saisissez votre commune."),
        ({"line1": "3 rue <script>"}, "n&#x27;est pas accepté"),
    ],
)
def test_sit1_each_bad_field_gets_its_french_message(client, npai_user, fields, message):
    page = _login(client, npai_user).post(ADDRESS_URL, {**GOOD_ADDRESS, **fields})
    assert message in page.content.decode()


def test_sit2_the_new_address_is_saved_then_the_attestation_and_the_card_are_offered(
    client, npai_user
):
    response = _login(client, npai_user).post(ADDRESS_URL, GOOD_ADDRESS)
    assert response.url == reverse("web:situation_address_done")
    page = client.get(response.url).content.decode()
    assert "Votre nouvelle adresse : 3 rue d&#x27;Echallon, 01100 Oyonnax." in page
    assert reverse("web:certificate_rights") in page and reverse("web:card_order_start") in page
    npai_user.person.refresh_from_db()
    assert not npai_user.person.address_npai


def test_a4_address_page_uses_the_same_service_and_its_checks(client, npai_user):
    page = _login(client, npai_user).post(
        "/mes-demarches/mon-adresse/", {**GOOD_ADDRESS, "city": "Lyon"}
    )
    assert "La commune ne correspond pas au code postal 01100." in page.content.decode()


def test_v4_the_npai_refusal_of_the_card_order_links_to_the_address_change(client, npai_user):
    text = _login(client, npai_user).get(reverse("web:card_order_start")).content.decode()
    assert "Le courrier envoyé à votre adresse nous est revenu" in text
    assert f'href="{ADDRESS_URL}"' in text


# --- « Modifier mes coordonnées bancaires » ---------------------------------------------------


def _bank_post(client, user, **overrides):
    data = {
        "iban": NEW_IBAN,
        "holder_name": f"{user.person.first_names} {user.person.last_name}",
        "rib": rib_pdf(),
        "code": DEFAULT_PASSWORD,
        **overrides,
    }
    return client.post(BANK_URL, data)


def test_sit3_the_page_shows_the_masked_iban_and_the_form(client):
    page = _login(client, InsuredUserFactory()).get(BANK_URL).content.decode()
    assert "FR76 •••• •••• •••• •••• 7890 189" in page or "7890 189" in page
    assert "FR7630006000011234567890189" not in page
    assert "Mon code personnel" in page and 'enctype="multipart/form-data"' in page


def test_sit4_a_wrong_code_is_refused_on_its_field_and_the_iban_and_holder_are_kept(client):
    user = InsuredUserFactory(person__last_name="GIRARD")
    page = _bank_post(_login(client, user), user, code="pas-le-bon").content.decode()
    assert "Le code personnel saisi est incorrect." in page
    assert f'value="{NEW_IBAN}"' in page and "GIRARD" in page
    assert not BankDetailsChange.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"iban": "FR76 0000"}, "Cet IBAN n&#x27;est pas valide."),
        ({"iban": ""}, "Saisissez l&#x27;IBAN du nouveau compte."),
        ({"holder_name": "Marc Dupont"}, "Le titulaire du compte doit être vous-même"),
        ({"holder_name": ""}, "Saisissez le nom du titulaire du compte."),
        ({"rib": ""}, "Joignez votre RIB."),
        (
            {"rib": upload("rib.gif", b"GIF89a....", "image/gif")},
            "Le RIB doit être un fichier PDF, JPEG ou PNG",
        ),
        ({"code": ""}, "Saisissez votre code personnel."),
        ({"iban": "TR330006100519786457841326"}, "zone SEPA"),
    ],
)
def test_sit3_to_sit6_each_bad_input_gets_its_french_message(client, overrides, message):
    user = InsuredUserFactory(person__last_name="GIRARD")
    page = _bank_post(_login(client, user), user, **overrides).content.decode()
    assert message in page
    assert "Le formulaire comporte une ou plusieurs erreurs" in page
    assert not BankDetailsChange.objects.exists()


@time_machine.travel(REQUESTED, tick=False)
def test_sit9_a_request_is_sent_then_shown_pending_and_no_second_one_is_offered(client):
    user = InsuredUserFactory(person__last_name="GIRARD")
    response = _bank_post(_login(client, user), user)
    assert response.url == BANK_URL
    page = client.get(BANK_URL).content.decode()
    assert "Votre demande est envoyée : votre caisse la vérifie." in page
    assert "Demande en cours" in page and "En cours de vérification" in page
    assert "restent versés sur votre compte actuel" in page
    assert "Une demande de changement de coordonnées bancaires est déjà en cours" in page
    assert "Envoyer ma demande" not in page


def test_sit9_the_page_reads_in_a_few_queries_whatever_the_history(
    client, django_assert_max_num_queries
):
    user = InsuredUserFactory(person__last_name="GIRARD")
    bank_change_for(user)
    BankDetailsChange.objects.update(status="rejected", rejection_reason="RIB illisible.")
    bank_change_for(user)
    BankDetailsChange.objects.filter(status="pending").update(
        status="rejected", rejection_reason="RIB illisible."
    )
    _login(client, user)
    with django_assert_max_num_queries(14):
        page = client.get(BANK_URL).content.decode()
    assert "Motif du refus :</strong> RIB illisible." in page


def test_g4_mes_informations_links_to_both_demarches(client, npai_user):
    page = _login(client, npai_user).get(reverse("web:information")).content.decode()
    assert f'href="{BANK_URL}">Modifier mes coordonnées bancaires</a>' in page
    assert f'href="{ADDRESS_URL}">Changement d\'adresse postale</a>' in page
