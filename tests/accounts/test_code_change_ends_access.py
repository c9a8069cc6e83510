"""A new code personnel, by « Code oublié ? » or « Mon code personnel », ends every web session,
every app token and every token of the identity provider (/oidc/), and an email tells the
person, with what to do if it was not them (docs/decisions/security-credentials-and-sessions.md)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken

from guichet.apitokens import selectors as apitokens_selectors
from guichet.apitokens import services as apitokens_services
from guichet.apitokens.enums import RevocationReason
from guichet.core import clock
from guichet.notifications.models import OutboundEmail
from tests.factories import DEFAULT_PASSWORD, InsuredUserFactory

pytestmark = pytest.mark.django_db

NEW_CODE = "Autre-Code-2027"


def _signed_in(user) -> Client:
    """A browser of its own: a separate session row, as another process would see it."""
    browser = Client()
    response = browser.post(reverse("web:login"), {"nir": user.username, "code": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert browser.get(reverse("web:information")).status_code == 200
    return browser


def _signed_out(browser: Client) -> bool:
    response = browser.get(reverse("web:information"))
    return response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def _oidc_tokens(user):
    application = Application.objects.create(
        name="Site de test",
        client_id=f"rp-{user.pk}",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://rp.example/callback",
        algorithm=Application.RS256_ALGORITHM,
    )
    later = clock.now() + dt.timedelta(minutes=5)
    id_token = IDToken.objects.create(
        user=user, application=application, expires=later, scope="openid"
    )
    access = AccessToken.objects.create(
        user=user,
        application=application,
        token=f"a{user.pk}" * 10,
        expires=later,
        scope="openid",
        id_token=id_token,
    )
    RefreshToken.objects.create(
        user=user, application=application, token=f"r{user.pk}" * 10, access_token=access
    )
    Grant.objects.create(
        user=user,
        application=application,
        code=f"g{user.pk}" * 10,
        expires=later,
        redirect_uri="https://rp.example/callback",
        scope="openid",
    )


def _oidc_count(user) -> int:
    return sum(
        model.objects.filter(user=user).count()
        for model in (AccessToken, RefreshToken, IDToken, Grant)
    )


@pytest.fixture
def accesses():
    """A person signed in on two browsers, in the app and on a relying party; and a bystander."""
    user = InsuredUserFactory()
    other = InsuredUserFactory()
    pair = apitokens_services.token_pair_issue(user=user, ip="10.0.0.1")
    other_pair = apitokens_services.token_pair_issue(user=other, ip="10.0.0.1")
    _oidc_tokens(user)
    _oidc_tokens(other)
    return user, other, pair, other_pair


def _assert_everything_ended(user, other, pair, other_pair):
    assert apitokens_selectors.user_for_access_token(token=pair.access_token) is None
    with pytest.raises(apitokens_services.RefreshRefused):
        apitokens_services.token_pair_refresh(refresh_token=pair.refresh_token)
    assert set(user.api_token_families.values_list("revoked_reason", flat=True)) == {
        RevocationReason.CODE_CHANGED
    }
    assert _oidc_count(user) == 0
    # Nobody else's access is touched.
    assert apitokens_selectors.user_for_access_token(token=other_pair.access_token) == other
    assert _oidc_count(other) == 4


def _security_email(user):
    email = OutboundEmail.objects.get(category="code_changed")
    assert email.to == user.email
    assert email.subject == "Votre code personnel a été modifié"
    assert "Si vous n'êtes pas à l'origine de ce changement" in email.body_text
    assert reverse("web:password_reset") in email.body_text
    return email


def test_code_reset_ends_every_access_and_tells_the_person(
    accesses, django_capture_on_commit_callbacks
):
    user, other, pair, other_pair = accesses
    phone, laptop = _signed_in(user), _signed_in(user)
    other_browser = _signed_in(other)
    anonymous = Client()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(
            reverse("web:password_reset"),
            {"nir": user.username, "birth_date": user.person.birth_date.strftime("%d/%m/%Y")},
        )
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path = "/" + link.split("/", 3)[3]
    with django_capture_on_commit_callbacks(execute=True):
        done = anonymous.post(path, {"new_password1": NEW_CODE, "new_password2": NEW_CODE})
    assert done.status_code == 302

    assert _signed_out(phone) and _signed_out(laptop)
    assert not _signed_out(other_browser)
    _assert_everything_ended(user, other, pair, other_pair)
    email = _security_email(user)
    assert "« Code oublié ? »" in email.body_text
    assert mail.outbox[-1].to == [user.email]


def test_code_change_ends_every_other_access_and_tells_the_person(
    accesses, django_capture_on_commit_callbacks
):
    user, other, pair, other_pair = accesses
    here, elsewhere = _signed_in(user), _signed_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            reverse("web:code_change"),
            {
                "old_password": DEFAULT_PASSWORD,
                "new_password1": NEW_CODE,
                "new_password2": NEW_CODE,
            },
        )
    assert response.status_code == 302
    # The browser that changed the code stays signed in; every other session ends.
    assert not _signed_out(here)
    assert _signed_out(elsewhere)
    _assert_everything_ended(user, other, pair, other_pair)
    email = _security_email(user)
    assert "« Mon code personnel »" in email.body_text
    user.refresh_from_db()
    assert user.check_password(NEW_CODE)


def test_the_ended_session_cannot_come_back_with_its_old_cookie(accesses):
    """The session row of another browser is refused by its auth hash, in whatever process."""
    user, *_ = accesses
    elsewhere = _signed_in(user)
    cookie = elsewhere.cookies["sessionid"].value
    user.set_password(NEW_CODE)
    user.save()
    thief = Client()
    thief.cookies["sessionid"] = cookie
    assert _signed_out(thief)
