"""Services of account creation: identity oracle, throttling, account, C8's 7/21-day clock."""

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management import call_command

from guichet.accounts.models import User
from guichet.core.refusals import Refused
from guichet.enrollment import selectors, services
from guichet.enrollment.enums import ConfirmationStatus, Exclusion, LinkPhase, ProofMethod, Way
from guichet.enrollment.models import EmailConfirmation
from guichet.notifications.models import OutboundEmail
from guichet.reference.enums import NirStatus
from guichet.reference.models import Person
from tests.enrollment.factories import GOOD_CODE, IBAN, SERIAL, eligible_person
from tests.factories import InsuredUserFactory, PersonFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
# C8's other address needs the holder's proof (issue 13, tests/enrollment/test_email_change.py).
BY_CODE = services.OwnerProof(method=ProofMethod.CODE, code=GOOD_CODE)


def _check(person, **overrides):
    data = {
        "last_name": person.last_name,
        "nir": person.nir,
        "birth_date": person.birth_date,
        "postal_code": person.postal_code,
        "ip": "10.0.0.1",
        **overrides,
    }
    return services.identity_check(**data)


def test_identity_matches_case_and_accents_insensitively():
    person = eligible_person(last_name="Lefèvre")
    assert _check(person, last_name=" LEFEVRE ").person == person


@pytest.mark.parametrize(
    "override",
    [
        {"last_name": "Autre"},
        {"birth_date": dt.date(1990, 1, 1)},
        {"postal_code": "75001"},
        {"nir": "184127512345610"},
    ],
)
def test_any_wrong_field_or_unknown_nir_gives_the_same_generic_message(override):
    person = eligible_person()
    result = _check(person, **override)
    assert result.person is None
    assert result.error == services.IDENTITY_ERROR


def test_proof_needs_both_the_iban_end_and_the_serial_end():
    person = eligible_person()
    ok = services.proof_check(
        person=person, iban_end=IBAN[-7:], serial_end=SERIAL[-11:], ip="10.0.0.1"
    )
    assert ok.person == person
    for iban_end, serial_end in [("0000000", SERIAL[-11:]), (IBAN[-7:], "00000000000")]:
        bad = services.proof_check(
            person=person, iban_end=iban_end, serial_end=serial_end, ip="10.0.0.1"
        )
        assert bad.person is None
        assert bad.error == services.PROOF_ERROR


def test_throttling_per_nir_refuses_the_attempt_after_the_limit():
    person = eligible_person()
    results = [
        _check(person, postal_code="99999", ip=f"10.0.1.{i}")
        for i in range(services.ATTEMPT_LIMIT_PER_NIR + 1)
    ]
    assert all(not r.throttled for r in results[:-1])
    assert results[-1].throttled
    # Even the right answers are refused during the cool-off, from any address.
    assert _check(person, ip="10.9.9.9").throttled


def test_throttling_per_ip_across_nirs():
    people = [PersonFactory() for _ in range(services.ATTEMPT_LIMIT_PER_IP + 1)]
    results = [_check(p, postal_code="99999", ip="10.0.0.7") for p in people]
    assert not results[-2].throttled
    assert results[-1].throttled


def _create(person=None, email="nouvel.assure@exemple.fr", consent=True):
    person = person or eligible_person()
    return services.account_create(
        request=services.AccountRequest(
            person=person,
            way=Way.CARTE_VITALE,
            password_hash=make_password(GOOD_CODE),
            email=email,
            mobile_phone="06 12 34 56 78",
            information_consent=consent,
        )
    )


def test_account_create_is_inactive_stores_consent_and_queues_the_link(
    django_capture_on_commit_callbacks,
):
    with (
        time_machine.travel(START, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        user = _create()
    assert not user.is_active
    assert user.email_confirmed_at is None
    assert user.information_consent and user.information_consent_at == START
    assert user.person.mobile_phone == "06 12 34 56 78"
    assert user.check_password(GOOD_CODE)
    outbox = OutboundEmail.objects.get(to="nouvel.assure@exemple.fr")
    assert "/creer-mon-compte/email/" in outbox.body_text
    assert len(mail.outbox) == 1
    confirmation = EmailConfirmation.objects.get(user=user)
    assert confirmation.status == ConfirmationStatus.PENDING
    assert [(t.from_status, t.to_status) for t in confirmation.transitions.all()] == [
        ("", "pending")
    ]


def test_email_must_be_unique_case_insensitively():
    InsuredUserFactory(email="Famille@Exemple.fr")
    with pytest.raises(services.EmailTaken):
        _create(email="famille@exemple.FR")


@pytest.mark.parametrize(
    ("change", "code"),
    [({"nir_status": NirStatus.PROVISIONAL}, "provisional_nir"), ({"iban": ""}, "no_bank_details")],
)
def test_account_create_refuses_a_person_excluded_by_c4_whoever_calls_it(change, code):
    """C4 is the service's own rule: called directly (no web page, no API), it refuses."""
    person = eligible_person()
    Person.objects.filter(pk=person.pk).update(**change)
    with pytest.raises(Refused) as refused:
        _create(person=person)
    assert refused.value.code == code
    assert refused.value.message == Exclusion(code).label
    assert not User.objects.filter(person=person).exists()
    assert not EmailConfirmation.objects.exists()


def test_a_person_with_an_account_cannot_create_another():
    user = InsuredUserFactory()
    with pytest.raises(services.AccountExists):
        _create(person=user.person)


def _token_of(user):
    return services.confirmation_token(EmailConfirmation.objects.get(user=user, status="pending"))


@pytest.mark.parametrize(
    ("delay", "phase"),
    [
        (dt.timedelta(0), LinkPhase.ACTIVE),
        (services.LINK_VALIDITY - dt.timedelta(seconds=1), LinkPhase.ACTIVE),
        (services.LINK_VALIDITY, LinkPhase.EXPIRED),
        (services.ADDRESS_RETENTION - dt.timedelta(seconds=1), LinkPhase.EXPIRED),
        (services.ADDRESS_RETENTION, LinkPhase.ADDRESS_DELETED),
    ],
)
def test_link_boundaries_7_and_21_days(delay, phase):
    with time_machine.travel(START, tick=False):
        user = _create()
    confirmation = services.confirmation_from_token(_token_of(user))
    with time_machine.travel(START + delay, tick=False):
        assert services.confirmation_use(confirmation_id=confirmation.pk) == phase
    user.refresh_from_db()
    confirmation.refresh_from_db()
    assert user.is_active == (phase == LinkPhase.ACTIVE)
    if phase == LinkPhase.ACTIVE:
        assert confirmation.status == ConfirmationStatus.CONFIRMED
        assert user.email_confirmed_at == START + delay
    elif phase == LinkPhase.EXPIRED:
        assert confirmation.status == ConfirmationStatus.EXPIRED
        assert user.email == "nouvel.assure@exemple.fr"
    else:
        assert confirmation.status == ConfirmationStatus.ADDRESS_DELETED
        assert user.email == ""


def test_link_is_single_use_and_tampered_links_are_refused():
    user = _create()
    token = _token_of(user)
    confirmation = services.confirmation_from_token(token)
    assert services.confirmation_use(confirmation_id=confirmation.pk) == LinkPhase.ACTIVE
    assert services.confirmation_use(confirmation_id=confirmation.pk) == LinkPhase.CONFIRMED
    assert services.confirmation_from_token(token[:-2] + "xx") is None


def test_resend_to_another_address_supersedes_the_old_link():
    with time_machine.travel(START, tick=False):
        user = _create()
    old = EmailConfirmation.objects.get(user=user)
    with time_machine.travel(START + dt.timedelta(days=10), tick=False):
        new = services.confirmation_resend(user=user, email="autre@exemple.fr", proof=BY_CODE)
        old.refresh_from_db()
        assert old.status == ConfirmationStatus.SUPERSEDED
        assert services.link_phase(old) == LinkPhase.SUPERSEDED
        assert services.confirmation_use(confirmation_id=new.pk) == LinkPhase.ACTIVE
    user.refresh_from_db()
    assert user.is_active and user.email == "autre@exemple.fr"


def test_resend_refuses_an_address_of_another_account():
    InsuredUserFactory(email="pris@exemple.fr")
    user = _create()
    with pytest.raises(services.EmailTaken):
        services.confirmation_resend(user=user, email="PRIS@exemple.fr", proof=BY_CODE)


def test_periodic_job_deletes_addresses_after_21_days_and_is_idempotent():
    with time_machine.travel(START, tick=False):
        user = _create()
    with time_machine.travel(START + services.ADDRESS_RETENTION - dt.timedelta(seconds=1)):
        out = io.StringIO()
        call_command("enrollment_delete_unconfirmed", stdout=out)
        assert out.getvalue().startswith("0 ")
    user.refresh_from_db()
    assert user.email == "nouvel.assure@exemple.fr"
    with time_machine.travel(START + services.ADDRESS_RETENTION, tick=False):
        assert services.unconfirmed_addresses_delete() == 1
        assert services.unconfirmed_addresses_delete() == 0
    user.refresh_from_db()
    assert user.email == ""
    confirmation = EmailConfirmation.objects.get(user=user)
    assert confirmation.status == ConfirmationStatus.ADDRESS_DELETED
    last = confirmation.transitions.last()
    assert (last.by, last.note) == (None, "tâche périodique")
    # Then a new valid address gets a new link.
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        with pytest.raises(services.EnrollmentError):
            services.confirmation_resend(user=user)
        new = services.confirmation_resend(user=user, email="neuve@exemple.fr", proof=BY_CODE)
    assert new.status == ConfirmationStatus.PENDING


def test_awaiting_activation_selector_needs_the_right_code():
    user = _create()
    assert selectors.account_awaiting_activation(nir=user.username, code=GOOD_CODE) == user
    assert selectors.account_awaiting_activation(nir=user.username, code="Faux-Code-1") is None
    User.objects.filter(pk=user.pk).update(is_active=True)


def test_a_card_without_photo_cannot_serve_as_proof():
    person = eligible_person()
    person.cards.update(has_photo=False)
    result = services.proof_check(
        person=person, iban_end=IBAN[-7:], serial_end=SERIAL[-11:], ip="10.0.0.1"
    )
    assert result.person is None and result.error == services.PROOF_ERROR


def test_c8_resending_the_link_is_limited_per_account_and_hour():
    """C8: a new link on demand, but not as often as a script would ask (3 an hour)."""
    with time_machine.travel(START, tick=False):
        user = _create()
        sent = [services.confirmation_resend(user=user) for _ in range(services.RESEND_LIMIT)]
        assert len({c.pk for c in sent}) == services.RESEND_LIMIT
        with pytest.raises(services.EnrollmentError, match="réessayez dans 60 minutes"):
            services.confirmation_resend(user=user, email="autre@exemple.fr", proof=BY_CODE)
    user.refresh_from_db()
    assert user.email == "nouvel.assure@exemple.fr"  # the refused request changed nothing
    with time_machine.travel(START + services.RESEND_WINDOW, tick=False):
        assert services.confirmation_resend(user=user).status == ConfirmationStatus.PENDING
