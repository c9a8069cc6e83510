"""Rule C8's « me le renvoyer à une adresse différente » is an email change: it is accepted only
from the person (code personnel, or carte Vitale serial + IBAN tail again), throttled, and the
old address is told (issue 13, ASVS 3.7.1; docs/decisions/security-email-change.md)."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core import mail

from guichet.accounts.models import User
from guichet.enrollment import services
from guichet.enrollment.enums import ConfirmationStatus, ProofMethod, Way
from guichet.enrollment.models import EmailConfirmation
from guichet.notifications.models import OutboundEmail
from tests.enrollment.factories import GOOD_CODE, IBAN, PROOF, SERIAL, eligible_person

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DAY_8 = START + dt.timedelta(days=8)
OWNER = "marie@exemple.fr"
STRANGER = "inconnu@exemple.fr"
BY_CODE = services.OwnerProof(method=ProofMethod.CODE, code=GOOD_CODE)
BY_CARD = services.OwnerProof(method=ProofMethod.CARD, iban_end=IBAN[-7:], serial_end=SERIAL[-11:])


def _create(person=None, email=OWNER):
    with time_machine.travel(START, tick=False):
        return services.account_create(
            request=services.AccountRequest(
                person=person or eligible_person(),
                way=Way.CARTE_VITALE,
                password_hash=make_password(GOOD_CODE),
                email=email,
            )
        )


# --- The domain service ----------------------------------------------------------------------


def test_a_new_address_without_proof_is_refused_and_changes_nothing():
    user = _create()
    with time_machine.travel(DAY_8, tick=False), pytest.raises(services.ProofRefused) as refused:
        services.confirmation_resend(user=user, email=STRANGER, ip="10.0.0.1")
    assert str(refused.value) == services.OWNER_PROOF_REQUIRED
    user.refresh_from_db()
    assert user.email == OWNER
    assert not OutboundEmail.objects.filter(to=STRANGER).exists()
    assert EmailConfirmation.objects.get(user=user).status == ConfirmationStatus.PENDING


@pytest.mark.parametrize("proof", [BY_CODE, BY_CARD], ids=["code", "carte_vitale"])
def test_the_right_proof_sends_the_link_and_tells_the_old_address(
    proof, django_capture_on_commit_callbacks
):
    user = _create()
    with (
        time_machine.travel(DAY_8, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.confirmation_resend(user=user, email="nouvelle@exemple.fr", proof=proof, ip="")
    user.refresh_from_db()
    assert user.email == "nouvelle@exemple.fr"
    link = OutboundEmail.objects.get(to="nouvelle@exemple.fr")
    assert "/creer-mon-compte/email/" in link.body_text
    notice = OutboundEmail.objects.get(to=OWNER, category="email_changed")
    assert notice.subject == services.EMAIL_CHANGED_SUBJECT
    for body in (notice.body_text, notice.body_html):
        assert "n•••••••@exemple.fr" in body  # the new address, masked
        assert "10/03/2026" in body  # the day of the change
        assert "contactez votre caisse" in body
        assert "/creer-mon-compte/email/" not in body  # never the new link
    assert {m.to[0] for m in mail.outbox} == {OWNER, "nouvelle@exemple.fr"}


def test_the_same_address_again_needs_no_proof_and_sends_no_notice(
    django_capture_on_commit_callbacks,
):
    user = _create()
    with (
        time_machine.travel(DAY_8, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.confirmation_resend(user=user)
    assert not OutboundEmail.objects.filter(category="email_changed").exists()
    assert EmailConfirmation.objects.filter(user=user, email=OWNER).count() == 2


@pytest.mark.parametrize(
    ("proof", "field", "message"),
    [
        (
            services.OwnerProof(method=ProofMethod.CODE, code="Faux-Code-2026"),
            "code",
            services.OWNER_CODE_ERROR,
        ),
        (
            services.OwnerProof(
                method=ProofMethod.CARD, iban_end=IBAN[-7:], serial_end="00000000000"
            ),
            None,
            services.PROOF_ERROR,
        ),
        (
            services.OwnerProof(
                method=ProofMethod.CARD, iban_end="0000000", serial_end=SERIAL[-11:]
            ),
            None,
            services.PROOF_ERROR,
        ),
    ],
    ids=["wrong-code", "wrong-serial", "wrong-iban-tail"],
)
def test_a_wrong_proof_is_refused_with_its_french_message(proof, field, message):
    user = _create()
    with time_machine.travel(DAY_8, tick=False), pytest.raises(services.ProofRefused) as refused:
        services.confirmation_resend(user=user, email=STRANGER, proof=proof, ip="10.0.0.1")
    assert str(refused.value) == message
    assert refused.value.field == field and refused.value.retry_after is None
    user.refresh_from_db()
    assert user.email == OWNER


def test_the_card_of_another_person_is_no_proof():
    user = _create()
    other = eligible_person(serial="80250000209999999999")
    proof = services.OwnerProof(
        method=ProofMethod.CARD,
        iban_end=IBAN[-7:],
        serial_end=other.cards.get().serial_number[-11:],
    )
    with pytest.raises(services.ProofRefused, match="ne correspondent pas"):
        services.owner_proof_check(user=user, proof=proof, ip="")


def test_wrong_proofs_are_counted_per_account_whatever_the_ip():
    """After PROOF_LIMIT_PER_ACCOUNT wrong proofs in an hour, even the right one waits."""
    user = _create()
    wrong = services.OwnerProof(method=ProofMethod.CODE, code="Faux-Code-2026")
    with time_machine.travel(DAY_8, tick=False):
        for i in range(services.PROOF_LIMIT_PER_ACCOUNT):
            with pytest.raises(services.ProofRefused) as refused:
                services.owner_proof_check(user=user, proof=wrong, ip=f"10.0.2.{i}")
            assert refused.value.retry_after is None
        with pytest.raises(services.ProofRefused) as refused:
            services.owner_proof_check(user=user, proof=wrong, ip="10.0.3.1")
        assert refused.value.retry_after == services.PROOF_COOL_OFF
        assert "réessayez dans 60 minutes" in str(refused.value)
        with pytest.raises(services.ProofRefused, match="réessayez dans 60 minutes"):
            services.owner_proof_check(user=user, proof=BY_CODE, ip="10.0.3.2")
    with time_machine.travel(DAY_8 + services.PROOF_COOL_OFF, tick=False):
        services.owner_proof_check(user=user, proof=BY_CODE, ip="10.0.3.2")


def test_wrong_proofs_are_counted_per_ip_across_accounts():
    count = services.PROOF_LIMIT_PER_IP // services.PROOF_LIMIT_PER_ACCOUNT + 1
    users = [
        _create(eligible_person(serial=f"8025{i:016d}"), email=f"assure{i}@exemple.fr")
        for i in range(count)
    ]
    wrong = services.OwnerProof(method=ProofMethod.CODE, code="Faux-Code-2026")
    refusals = []
    for user in users:
        for _ in range(services.PROOF_LIMIT_PER_ACCOUNT):
            try:
                services.owner_proof_check(user=user, proof=wrong, ip="10.0.0.9")
            except services.ProofRefused as exc:
                refusals.append(exc.retry_after)
    assert refusals.count(None) == services.PROOF_LIMIT_PER_IP
    assert refusals[services.PROOF_LIMIT_PER_IP] == services.PROOF_COOL_OFF
    with pytest.raises(services.ProofRefused, match="réessayez dans"):
        services.owner_proof_check(user=users[-1], proof=BY_CODE, ip="10.0.0.9")


def test_after_21_days_a_new_address_also_needs_the_proof(django_capture_on_commit_callbacks):
    """The address is deleted (C8): nobody to tell, but the proof is still asked."""
    user = _create()
    with time_machine.travel(START + services.ADDRESS_RETENTION, tick=False):
        services.unconfirmed_addresses_delete()
        with pytest.raises(services.ProofRefused):
            services.confirmation_resend(user=user, email=STRANGER)
        with django_capture_on_commit_callbacks(execute=True):
            services.confirmation_resend(user=user, email="neuve@exemple.fr", proof=BY_CODE)
    assert OutboundEmail.objects.filter(to="neuve@exemple.fr").exists()
    assert not OutboundEmail.objects.filter(category="email_changed").exists()


# --- The web page ----------------------------------------------------------------------------


def _link_path(to):
    body = OutboundEmail.objects.filter(to=to).order_by("-pk").first().body_text
    return re.search(r"https?://[^/\s]+(/creer-mon-compte/email/\S+/)", body).group(1)


def _expired_link_page(client, django_capture_on_commit_callbacks):
    """The owner created the account at START; on day 8 `client` opens the unused link."""
    person = eligible_person()
    with django_capture_on_commit_callbacks(execute=True):
        _create(person)
    link = _link_path(OWNER)
    with time_machine.travel(DAY_8, tick=False):
        page = client.get(link, follow=True).content.decode()
    assert "Le lien n&#x27;est plus actif" in page
    return person


def test_takeover_with_an_expired_link_fails_end_to_end(client, django_capture_on_commit_callbacks):
    """The stranger who holds the unused link (a shared mailbox, a forwarded email…) walks
    today's path: another address, the new link, « Code oublié ? », login. Each step fails."""
    person = _expired_link_page(client, django_capture_on_commit_callbacks)
    pirate = "Pirate-Code-2026"
    with (
        time_machine.travel(DAY_8, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = client.post("/creer-mon-compte/activation/", {"action": "other", "email": STRANGER})
        if OutboundEmail.objects.filter(to=STRANGER).exists():
            client.get(_link_path(STRANGER))
        client.post(
            "/connexion/code-oublie/",
            {"nir": person.nir, "birth_date": person.birth_date.strftime("%d/%m/%Y")},
        )
        reset = OutboundEmail.objects.filter(to=STRANGER, category="code_reset").first()
        if reset is not None:
            path = "/" + re.search(r"https?://\S+", reset.body_text).group(0).split("/", 3)[3]
            client.post(path, {"new_password1": pirate, "new_password2": pirate})
            client.post("/connexion/", {"nir": person.nir, "code": pirate})
        assert "_auth_user_id" not in client.session  # (a session of day 8 is idle later on)
    assert not OutboundEmail.objects.filter(to=STRANGER).exists()
    user = User.objects.get(person=person)
    assert not user.is_active and user.email == OWNER and user.check_password(GOOD_CODE)
    assert page.status_code == 200
    assert services.OWNER_PROOF_REQUIRED in page.content.decode()


def _other(client, **data):
    with time_machine.travel(DAY_8, tick=False):
        return client.post(
            "/creer-mon-compte/activation/", {"action": "other", "email": STRANGER, **data}
        )


@pytest.mark.parametrize(
    ("data", "message", "kept"),
    [
        ({"method": "code", "code": "Faux-Code-2026"}, services.OWNER_CODE_ERROR, []),
        (
            {"method": "carte_vitale", "iban_end": PROOF["iban_end"], "serial_end": "00000000000"},
            services.PROOF_ERROR,
            [PROOF["iban_end"], "00000000000"],
        ),
        (
            {"method": "carte_vitale", "iban_end": "0000000", "serial_end": PROOF["serial_end"]},
            services.PROOF_ERROR,
            ["0000000", PROOF["serial_end"]],
        ),
        ({}, services.OWNER_PROOF_REQUIRED, []),
        ({"method": "code"}, "Saisissez votre code personnel.", []),
        (
            {"method": "carte_vitale", "iban_end": "12", "serial_end": PROOF["serial_end"]},
            "Saisissez exactement 7 chiffres ou lettres.",
            [PROOF["serial_end"]],
        ),
        (
            {"method": "carte_vitale", "iban_end": PROOF["iban_end"]},
            "Saisissez les 11 derniers chiffres du numéro de série de votre carte Vitale.",
            [PROOF["iban_end"]],
        ),
    ],
    ids=[
        "wrong-code",
        "wrong-serial",
        "wrong-iban-tail",
        "no-method",
        "no-code",
        "short-iban",
        "no-serial",
    ],
)
def test_refusals_on_the_page_keep_what_was_typed(
    client, django_capture_on_commit_callbacks, data, message, kept
):
    _expired_link_page(client, django_capture_on_commit_callbacks)
    response = _other(client, **data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in page
    assert f'value="{STRANGER}"' in page
    for value in kept:
        assert f'value="{value}"' in page
    if data.get("method"):
        assert re.search(
            rf'<input type="radio" name="method" value="{data["method"]}"[^>]*\schecked>', page
        )
    assert 'value="Faux-Code-2026"' not in page  # a code is never written back into the page
    assert not OutboundEmail.objects.filter(to=STRANGER).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"method": "code", "code": GOOD_CODE},
        {"method": "carte_vitale", **PROOF},
    ],
    ids=["code", "carte_vitale"],
)
def test_the_person_with_the_proof_gets_the_link_and_the_old_address_is_told(
    client, django_capture_on_commit_callbacks, data
):
    person = _expired_link_page(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = _other(client, email="nouvelle@exemple.fr", **data)
    assert response["Location"] == "/creer-mon-compte/validation-email/"
    assert OutboundEmail.objects.filter(to=OWNER, category="email_changed").count() == 1
    with time_machine.travel(DAY_8, tick=False):
        assert (
            "Mon compte est activé"
            in client.get(_link_path("nouvelle@exemple.fr")).content.decode()
        )
    assert User.objects.get(person=person).email == "nouvelle@exemple.fr"


def test_the_page_says_when_to_try_again_after_too_many_wrong_proofs(
    client, django_capture_on_commit_callbacks
):
    _expired_link_page(client, django_capture_on_commit_callbacks)
    for _ in range(services.PROOF_LIMIT_PER_ACCOUNT):
        page = _other(client, method="code", code="Faux-Code-2026").content.decode()
        assert "Le code personnel saisi est incorrect." in page
    for code in ("Faux-Code-2026", GOOD_CODE):  # the one too many, then even the right code
        page = _other(client, method="code", code=code).content.decode()
        assert "Trop de tentatives ont échoué" in page and "réessayez dans 60 minutes" in page
        assert f'value="{STRANGER}"' in page
    assert not OutboundEmail.objects.filter(to=STRANGER).exists()


def test_the_account_is_locked_while_a_proof_is_checked_and_counted():
    """Parallel guesses queue on the account row, so none passes the check before the others
    are counted (PostgreSQL; SQLite's transactions take the write lock at once)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = _create()
    wrong = services.OwnerProof(method=ProofMethod.CODE, code="Faux-Code-2026")
    with CaptureQueriesContext(connection) as queries, pytest.raises(services.ProofRefused):
        services.owner_proof_check(user=user, proof=wrong, ip="10.0.0.1")
    sql = [q["sql"] for q in queries.captured_queries]
    locked = next(i for i, q in enumerate(sql) if "accounts_user" in q)
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in sql[locked]
    assert locked < next(i for i, q in enumerate(sql) if "core_throttlecounter" in q)
