"""« Résilier mon compte ameli » (rule G4): what the closure ends, keeps and frees."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from oauth2_provider.models import AccessToken, Application

from guichet.accounts import services
from guichet.accounts.backends import AccountBackend
from guichet.accounts.models import LoginEvent, User
from guichet.apitokens import selectors as apitokens_selectors
from guichet.apitokens import services as apitokens_services
from guichet.apitokens.enums import RevocationReason
from guichet.complementary.notifications import notify_choice_applied
from guichet.core import clock
from guichet.core.refusals import Refused
from guichet.enrollment import services as enrollment_services
from guichet.enrollment.enums import Way
from guichet.notifications.models import Message, Notification, OutboundEmail
from guichet.notifications.services import message_post, notification_post
from guichet.powers.enums import EndReason, PowerStatus
from guichet.powers.models import PowerTransition
from tests.enrollment.factories import GOOD_CODE, eligible_person
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory
from tests.powers.factories import give_power

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


def _close(user, code=DEFAULT_PASSWORD):
    return services.account_close(user=user, code=code, ip=IP)


def test_closing_frees_the_nir_and_removes_login_and_contact_data(
    django_capture_on_commit_callbacks,
):
    user = InsuredUserFactory(email="corinne@exemple.fr")
    person, nir = user.person, user.username
    with django_capture_on_commit_callbacks(execute=True):
        closed = _close(user)
    user.refresh_from_db()
    assert user.closed_at == closed.closed_at
    assert user.closed_person == person
    assert user.person is None
    assert user.username == f"resilie-{user.pk}"
    assert not user.is_active
    assert not user.has_usable_password()
    assert (user.email, user.email_confirmed_at, user.information_consent) == ("", None, False)
    # The old code no longer signs in, and a session of the account is no longer valid.
    login = services.insured_authenticate(nir=nir, code=DEFAULT_PASSWORD, ip=IP)
    assert login.user is None
    assert AccountBackend().get_user(user.pk) is None
    # The closure is confirmed to the (confirmed) address it had, without personal data.
    email = OutboundEmail.objects.get(category="account_closed")
    assert closed.email_sent_to == email.to == "corinne@exemple.fr"
    assert email.subject == "Votre compte ameli est résilié"
    assert f"le {closed.closed_at.astimezone(clock.PARIS):%d/%m/%Y}" in email.body_text
    assert nir not in email.body_text
    assert "/creer-mon-compte/" in email.body_text


def test_an_unconfirmed_address_gets_no_email():
    user = InsuredUserFactory(email="pas-confirmee@exemple.fr", email_confirmed_at=None)
    closed = _close(user)
    assert closed.email_sent_to == ""
    assert not OutboundEmail.objects.exists()


def test_the_active_power_of_attorney_is_revoked_with_its_reason():
    user = InsuredUserFactory()
    power = give_power(user.person, by=user)
    closed = _close(user)
    power.refresh_from_db()
    assert closed.power_revoked
    assert power.status == PowerStatus.REVOKED
    last = PowerTransition.objects.filter(power=power).order_by("-pk").first()
    assert last.reason == EndReason.ACCOUNT_CLOSED
    assert last.by == user


def test_app_tokens_oidc_tokens_notifications_and_messages_end():
    user = InsuredUserFactory()
    pair = apitokens_services.token_pair_issue(user=user, ip=IP)
    assert apitokens_selectors.user_for_access_token(token=pair.access_token) == user
    application = Application.objects.create(
        name="Site de test",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://rp.example/callback",
    )
    AccessToken.objects.create(
        user=user, application=application, token="t" * 40, expires=clock.now(), scope="openid"
    )
    notification_post(recipient=user, title="Info", body="Texte")
    message_post(recipient=user, subject="Sujet", body="Texte")
    _close(user)
    assert apitokens_selectors.user_for_access_token(token=pair.access_token) is None
    family = user.api_token_families.get()
    assert family.revoked_reason == RevocationReason.CLOSED
    assert not AccessToken.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Message.objects.filter(recipient=user).exists()


def test_a_wrong_code_changes_nothing_and_counts_as_a_failed_login():
    user = InsuredUserFactory()
    power = give_power(user.person, by=user)
    with pytest.raises(Refused) as refused:
        _close(user, code="Mauvais-Code1")
    assert refused.value.message == "Le code personnel saisi est incorrect."
    user.refresh_from_db()
    power.refresh_from_db()
    assert user.closed_at is None and user.is_active and user.person is not None
    assert power.status == PowerStatus.ACTIVE
    assert LoginEvent.objects.filter(user=user, outcome=LoginEvent.Outcome.FAILURE).count() == 1


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_wrong_codes_are_throttled_like_logins():
    """The form cannot be used to guess the code: after the login limit, even the right code
    is refused for the cool-off, with the login's message (G1)."""
    user = InsuredUserFactory()
    for _ in range(3):
        with pytest.raises(Refused) as wrong:
            _close(user, code="Mauvais-Code1")
        assert wrong.value.message == "Le code personnel saisi est incorrect."
    with pytest.raises(Refused) as fourth:
        _close(user, code="Mauvais-Code1")
    assert fourth.value.message.startswith("Trop de tentatives de connexion ont échoué.")
    with pytest.raises(Refused) as right_code:
        _close(user)
    assert right_code.value.message.startswith("Trop de tentatives de connexion ont échoué.")
    user.refresh_from_db()
    assert user.closed_at is None


def test_a_closed_account_cannot_be_closed_again():
    user = InsuredUserFactory()
    _close(user)
    user.refresh_from_db()
    with pytest.raises(Refused) as refused:
        _close(user)
    assert refused.value.message == "Ce compte ne peut pas être résilié."


def test_the_person_can_open_a_new_account_after_closing():
    person = eligible_person()
    old = InsuredUserFactory(person=person)
    _close(old)
    new = enrollment_services.account_create(
        request=enrollment_services.AccountRequest(
            person=person,
            way=Way.CARTE_VITALE,
            password_hash=make_password(GOOD_CODE),
            email="nouvelle@exemple.fr",
        )
    )
    assert new.pk != old.pk
    assert new.username == person.nir
    assert User.objects.get(pk=old.pk).closed_person == person
    assert person.closed_accounts.get() == User.objects.get(pk=old.pk)


def test_notices_for_a_closed_account_go_to_the_persons_new_account_or_nowhere():
    user = InsuredUserFactory()
    person = user.person
    _close(user)
    user.refresh_from_db()
    assert notification_post(recipient=user, title="T", body="B") is None
    assert message_post(recipient=user, subject="S", body="B") is None
    notify_choice_applied(user=user)
    assert not Notification.objects.exists()
    assert not OutboundEmail.objects.filter(category="avis_de_depot").exists()

    new = InsuredUserFactory(person=person, email="nouveau@exemple.fr")
    assert notification_post(recipient=user, title="T", body="B").recipient == new
    assert message_post(recipient=user, subject="S", body="B").recipient == new
    notify_choice_applied(user=user)
    assert OutboundEmail.objects.get(category="avis_de_depot").to == "nouveau@exemple.fr"
