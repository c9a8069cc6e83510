"""Pages of « Je crée mon compte ameli », way 1, with Django's test client (rules C2-C8)."""

import datetime as dt
import re

import pytest
import time_machine

from guichet.accounts.models import User
from guichet.enrollment import services
from guichet.interfaces.web.enrollment.views import ACTIVATION_KEY
from guichet.notifications.models import OutboundEmail
from guichet.reference.enums import CardStatus
from tests.enrollment.factories import GOOD_CODE, PROOF, eligible_person, identity_data
from tests.factories import InsuredUserFactory, PersonFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
# C8's other address needs the holder's proof (issue 13, tests/enrollment/test_email_change.py).
BY_CODE = {"method": "code", "code": GOOD_CODE}


def _link_path():
    body = OutboundEmail.objects.order_by("-pk").first().body_text
    return re.search(r"https?://[^/\s]+(/creer-mon-compte/email/\S+/)", body).group(1)


def _to_code_step(client, person):
    response = client.post("/creer-mon-compte/carte-vitale/", identity_data(person))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/creer-mon-compte/carte-vitale/verification/"
    response = client.post("/creer-mon-compte/carte-vitale/verification/", PROOF)
    assert response["Location"] == "/creer-mon-compte/code-personnel/"


def _create_account_at_start(client, person, capture_on_commit):
    """The account created at START, its confirmation email queued and sent."""
    with time_machine.travel(START, tick=False), capture_on_commit(execute=True):
        _create_account(client, person)


def _create_account(client, person, email="marie@exemple.fr"):
    _to_code_step(client, person)
    response = client.post(
        "/creer-mon-compte/code-personnel/", {"code1": GOOD_CODE, "code2": GOOD_CODE}
    )
    assert response["Location"] == "/creer-mon-compte/coordonnees/"
    response = client.post(
        "/creer-mon-compte/coordonnees/",
        {"email": email, "mobile_phone": "+33 6 12 34 56 78", "information_consent": "on"},
    )
    assert response["Location"] == "/creer-mon-compte/validation-email/"
    return response


def test_login_page_links_to_creation_and_franceconnect(client):
    """C1: the login page offers both ways, the form (carte Vitale + IBAN) and FranceConnect."""
    content = client.get("/connexion/").content.decode()
    assert 'href="/creer-mon-compte/"' in content
    assert 'action="/franceconnect/connexion/"' in content


def test_way_1_from_form_to_activated_account(client, django_capture_on_commit_callbacks):
    person = eligible_person()
    with django_capture_on_commit_callbacks(execute=True):
        _create_account(client, person)
    # C7: logged out, told to open the mailbox.
    assert "_auth_user_id" not in client.session
    page = client.get("/creer-mon-compte/validation-email/").content.decode()
    assert "Validation de mon email" in page
    assert "Pour finaliser la création de votre compte" in page
    user = User.objects.get(person=person)
    assert not user.is_active
    assert person.mobile_phone == "" and User.objects.get(pk=user.pk).person.mobile_phone == (
        "06 12 34 56 78"
    )
    # Cannot log in before the link is clicked.
    response = client.post("/connexion/", {"nir": person.nir, "code": GOOD_CODE})
    assert response["Location"] == "/creer-mon-compte/activation/"
    # The link activates and does not log in.
    page = client.get(_link_path())
    assert "Mon compte est activé" in page.content.decode()
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.is_active and user.email_confirmed_at
    response = client.post("/connexion/", {"nir": person.nir, "code": GOOD_CODE})
    assert response.status_code == 302 and "activation" not in response["Location"]
    assert client.session["_auth_user_id"] == str(user.pk)


def test_iban_is_shown_masked_only_after_the_identity_matched(client):
    """C2: once the identity matched, the IBAN shown masked but for the 7 characters to type,
    and the link « Je ne dispose pas du numéro de série de ma carte Vitale »."""
    person = eligible_person()
    assert client.get("/creer-mon-compte/carte-vitale/verification/")["Location"] == (
        "/creer-mon-compte/carte-vitale/"
    )
    client.post("/creer-mon-compte/carte-vitale/", identity_data(person))
    page = client.get("/creer-mon-compte/carte-vitale/verification/").content.decode()
    assert "FR76 3000 6••• •••• •••• •••• •••" in page
    assert "0189" not in page
    assert "Je ne dispose pas du numéro de série de ma carte Vitale" in page


def test_identity_oracle_same_answer_whatever_the_wrong_field(client):
    person = eligible_person()
    pages = []
    for override in ({"last_name": "Autre"}, {"postal_code": "75001"}, {"nir": "184127512345610"}):
        response = client.post("/creer-mon-compte/carte-vitale/", identity_data(person, **override))
        assert response.status_code == 200
        content = response.content.decode()
        assert services.IDENTITY_ERROR.split(".")[0] in content
        pages.append(re.sub(r'value="[^"]*"', "", content.split("<main")[1]))
    assert pages[0] == pages[1]


def test_throttled_form_refuses_limit_plus_one(client):
    person = eligible_person()
    bad = identity_data(person, postal_code="99999")
    for _ in range(services.ATTEMPT_LIMIT_PER_NIR):
        assert (
            "Trop de tentatives"
            not in client.post("/creer-mon-compte/carte-vitale/", bad).content.decode()
        )
    content = client.post("/creer-mon-compte/carte-vitale/", bad).content.decode()
    assert "Trop de tentatives" in content
    good = client.post("/creer-mon-compte/carte-vitale/", identity_data(person))
    assert good.status_code == 200 and "Trop de tentatives" in good.content.decode()


def test_wrong_proof_gives_one_generic_message(client):
    person = eligible_person()
    client.post("/creer-mon-compte/carte-vitale/", identity_data(person))
    response = client.post(
        "/creer-mon-compte/carte-vitale/verification/", {**PROOF, "serial_end": "12345678901"}
    )
    assert services.PROOF_ERROR.split(".")[0] in response.content.decode()


def _no_bank():
    person = eligible_person()
    person.iban = ""
    person.save()
    return person


EXCLUDED = {
    "no_bank": (_no_bank, "Nous ne disposons pas de vos coordonnées bancaires"),
    "no_card": (lambda: PersonFactory(postal_code="63000"), "carte Vitale active"),
    "provisional": (lambda: eligible_person(nir_status="provisional"), "provisoire"),
}


@pytest.mark.parametrize("case", sorted(EXCLUDED))
def test_exclusions_lead_to_the_two_ways_out(client, case):
    """C3: an excluded person is invited to contact their caisse or to use FranceConnect."""
    make, message = EXCLUDED[case]
    person = make()
    response = client.post("/creer-mon-compte/carte-vitale/", identity_data(person), follow=True)
    content = response.content.decode()
    assert message in content
    assert "Contactez votre caisse" in content
    assert "FranceConnect" in content


def test_failed_card_transfer_is_excluded(client):
    person = PersonFactory(postal_code="63000")
    person.cards.create(
        serial_number="1" * 20, status=CardStatus.TRANSFER_FAILED, issued_on=START.date()
    )
    content = client.post(
        "/creer-mon-compte/carte-vitale/", identity_data(person), follow=True
    ).content.decode()
    assert "La mutation de votre carte Vitale" in content


def test_person_with_an_account_is_sent_to_login_and_code_oublie(client):
    user = InsuredUserFactory(person=eligible_person())
    response = client.post(
        "/creer-mon-compte/carte-vitale/", identity_data(user.person), follow=True
    )
    content = response.content.decode()
    assert "Vous avez déjà un compte" in content
    assert "/connexion/code-oublie/" in content


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("Ab1", "entre 8 et 50 caractères"),
        ("soleil-vert-2026", "lettre majuscule"),
        ("SOLEIL-VERT-2026", "lettre minuscule"),
        ("SoleilVertJaune", "un chiffre ou un caractère spécial"),
        ("Soleil-Vért-2026", "caractères non autorisés"),
        ("Password1", "les plus utilisés"),
    ],
)
def test_code_refusals_name_the_broken_rule(client, code, message):
    _to_code_step(client, eligible_person())
    response = client.post("/creer-mon-compte/code-personnel/", {"code1": code, "code2": code})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_code_containing_part_of_nir_or_birth_date_is_refused(client):
    person = eligible_person(birth_date=dt.date(1984, 5, 12))
    _to_code_step(client, person)
    for code in (f"Abc-{person.nir[3:9]}", "Mai-1205-Soleil", "Xy!" + person.nir):
        response = client.post("/creer-mon-compte/code-personnel/", {"code1": code, "code2": code})
        assert "ne doit pas contenir votre numéro de sécurité sociale" in response.content.decode()


def test_codes_must_match_and_strength_is_shown_without_javascript(client):
    _to_code_step(client, eligible_person())
    response = client.post(
        "/creer-mon-compte/code-personnel/", {"code1": GOOD_CODE, "code2": GOOD_CODE + "x"}
    )
    content = response.content.decode()
    assert "Les deux codes saisis ne sont pas identiques." in content
    assert "Niveau indicatif de sécurité" in content
    assert re.search(r'<meter id="strength-meter"[^>]*value="[34]"', content)


def test_strength_endpoint_needs_an_identified_session(client):
    assert client.post("/creer-mon-compte/code-personnel/niveau/", {"code": "x"}).status_code == 403
    _to_code_step(client, eligible_person())
    weak = client.post("/creer-mon-compte/code-personnel/niveau/", {"code": "azerty"}).json()
    strong = client.post("/creer-mon-compte/code-personnel/niveau/", {"code": GOOD_CODE}).json()
    assert weak["score"] < strong["score"]
    assert strong["label"] in {"Bon", "Très bon"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "Saisissez votre adresse email."),
        ("email", "pas-une-adresse", "Saisissez une adresse email valide"),
        ("mobile_phone", "01 23 45 67 89", "commencer par 06 ou 07"),
        ("landline_phone", "06 12", "commencer par 01 à 05 ou 09"),
    ],
)
def test_contact_form_validation(client, field, value, message):
    """C6: the email is mandatory and valid; the phones, optional, are French numbers."""
    _to_code_step(client, eligible_person())
    client.post("/creer-mon-compte/code-personnel/", {"code1": GOOD_CODE, "code2": GOOD_CODE})
    data = {"email": "ok@exemple.fr", field: value}
    response = client.post("/creer-mon-compte/coordonnees/", data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_email_already_used_by_a_relative_is_refused(client):
    """C6: an email already used by another account (here a relative's) is refused."""
    InsuredUserFactory(email="famille@exemple.fr")
    _to_code_step(client, eligible_person())
    client.post("/creer-mon-compte/code-personnel/", {"code1": GOOD_CODE, "code2": GOOD_CODE})
    response = client.post("/creer-mon-compte/coordonnees/", {"email": "FAMILLE@exemple.fr"})
    assert "déjà utilisée par un autre compte" in response.content.decode()


def test_day_7_to_21_link_offers_the_two_choices(client, django_capture_on_commit_callbacks):
    person = eligible_person()
    _create_account_at_start(client, person, django_capture_on_commit_callbacks)
    link = _link_path()
    with time_machine.travel(START + services.LINK_VALIDITY, tick=False):
        page = client.get(link, follow=True).content.decode()
        assert "Le lien n&#x27;est plus actif" in page
        assert "Renvoyer le lien à la même adresse" in page
        assert "adresse différente" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/creer-mon-compte/activation/",
                {"action": "other", "email": "nouvelle@exemple.fr", **BY_CODE},
            )
        assert response["Location"] == "/creer-mon-compte/validation-email/"
        assert client.get(_link_path()).status_code == 200
    user = User.objects.get(person=person)
    assert user.is_active and user.email == "nouvelle@exemple.fr"


def test_after_21_days_login_asks_for_a_valid_address(client, django_capture_on_commit_callbacks):
    person = eligible_person()
    _create_account_at_start(client, person, django_capture_on_commit_callbacks)
    with time_machine.travel(START + services.ADDRESS_RETENTION, tick=False):
        services.unconfirmed_addresses_delete()
        response = client.post("/connexion/", {"nir": person.nir, "code": GOOD_CODE}, follow=True)
        page = response.content.decode()
        assert "Je saisis une adresse email valide" in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/creer-mon-compte/activation/",
                {"action": "new", "email": "ok@exemple.fr", **BY_CODE},
            )
        assert "Mon compte est activé" in client.get(_link_path()).content.decode()


def test_wrong_code_on_an_inactive_account_is_a_plain_login_failure(client):
    person = eligible_person()
    _create_account(client, person)
    response = client.post("/connexion/", {"nir": person.nir, "code": "Autre-Code-99"})
    assert response.status_code == 200
    assert "code personnel incorrect" in response.content.decode()


def test_c8_fourth_new_link_within_the_hour_is_refused_on_the_page(
    client, django_capture_on_commit_callbacks
):
    """C8: after 3 new links in an hour the page says when to try again (no email sent)."""
    person = eligible_person()
    _create_account_at_start(client, person, django_capture_on_commit_callbacks)
    link = _link_path()
    with time_machine.travel(START + services.LINK_VALIDITY, tick=False):
        client.get(link, follow=True)  # expired: the two choices
        choices = [{"action": "other", "email": "nouvelle@exemple.fr", **BY_CODE}]
        choices += [{"action": "same"}] * (services.RESEND_LIMIT - 1)
        for data in choices:
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post("/creer-mon-compte/activation/", data)
            assert response["Location"] == "/creer-mon-compte/validation-email/"
            # Back on the activation page, as the login page sends an account not activated.
            session = client.session
            session[ACTIVATION_KEY] = User.objects.get(person=person).pk
            session.save()
        sent = OutboundEmail.objects.count()
        response = client.post("/creer-mon-compte/activation/", {"action": "same"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "réessayez dans 60 minutes" in page
        assert OutboundEmail.objects.count() == sent
