"""The session row read with its account and person in one statement, with every check of
Django's get_user (guichet.accounts.sessions, docs/decisions/sessions-with-the-account.md)."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.accounts.models import Session, User
from guichet.accounts.sessions import SessionStore, joined_session_row
from guichet.core import clock
from guichet.core.sessions import SIGNED_IN_AT_KEY
from tests.factories import DEFAULT_PASSWORD, AgentFactory, InsuredUserFactory, agent_login

pytestmark = pytest.mark.django_db

BACKEND = "guichet.accounts.backends.AccountBackend"


def _row(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _session_for(user: User, **data: object) -> str:
    """A session row written by the store, as login() leaves it; returns its key."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SIGNED_IN_AT_KEY] = int(clock.now().timestamp())
    for key, value in data.items():
        store[key] = value
    store.create()
    return store.session_key


def _client_with(key: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def _signed_in(client: Client) -> bool:
    return client.get(reverse("web:home")).status_code == 200


def test_the_row_names_its_account_from_the_sign_in_to_the_sign_out(client, insured):
    session = client.session
    session["guichet-test"] = "anonymous visit"
    session.save()
    assert _row(client).user_id is None
    client.post(reverse("web:login"), {"nir": insured.username, "code": DEFAULT_PASSWORD})
    assert _row(client).user_id == insured.pk
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("web:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not Session.objects.filter(user=insured).exists()


def test_the_minimal_signed_in_view_is_one_statement(insured_client, django_assert_num_queries):
    """« Rester connecté » right after a page: the session row with its account, nothing else."""
    insured_client.get(reverse("web:home"))
    with django_assert_num_queries(1) as queries:
        assert insured_client.post(reverse("web:session_extend")).status_code == 204
    sql = queries.captured_queries[0]["sql"]
    assert 'FROM "accounts_session"' in sql and '"accounts_user"' in sql
    assert '"reference_person"' in sql


def _values(instance: object) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}  # type: ignore[attr-defined]


@pytest.mark.parametrize("with_account", [True, False])
def test_the_written_statement_reads_what_the_orm_reads(insured, with_account):
    """The statement written once per process (joined_session_row) builds the same session,
    account and person as the ORM's select_related, relations cached the same way."""
    key = _session_for(insured)
    if not with_account:
        Session.objects.filter(session_key=key).update(user=None)
    expected = Session.objects.select_related("user__person").get(session_key=key)
    with CaptureQueriesContext(connection) as queries:
        row = joined_session_row(key)
        assert _values(row) == _values(expected)
        if with_account:
            assert _values(row.user) == _values(expected.user)
            assert _values(row.user.person) == _values(expected.user.person)
            assert row.user.person.account is row.user
            assert row.user._state.adding is False and row.user._state.db == "default"
        else:
            assert row.user is None
    assert len(queries) == 1
    with pytest.raises(Session.DoesNotExist):
        joined_session_row("no-such-session-key")


def test_the_dashboard_reads_the_account_only_with_the_session(insured_client):
    insured_client.get(reverse("web:home"))
    with CaptureQueriesContext(connection) as queries:
        assert insured_client.get(reverse("web:home")).status_code == 200
    reads_of_the_account = [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]
    assert reads_of_the_account == []
    assert 'FROM "accounts_session"' in queries.captured_queries[0]["sql"]


def test_a_new_code_ends_a_session_read_with_its_account(insured):
    key = _session_for(insured)
    assert _signed_in(_client_with(key))
    insured.set_password("Un-Autre-Code-2026!")
    insured.save()
    client = _client_with(key)
    assert not _signed_in(client)
    assert not Session.objects.filter(session_key=key).exists()  # flushed, not only ignored


def test_a_hash_of_a_previous_secret_key_renews_the_session(insured, settings):
    key = _session_for(insured)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789abcdef"
    client = _client_with(key)
    assert _signed_in(client)
    renewed = _row(client)
    assert renewed.session_key != key and renewed.user_id == insured.pk
    assert renewed.get_decoded()[HASH_SESSION_KEY] == insured.get_session_auth_hash()
    assert not Session.objects.filter(session_key=key).exists()


def test_an_inactive_account_is_signed_out_and_its_session_emptied(insured):
    key = _session_for(insured, draft="kept?")
    User.objects.filter(pk=insured.pk).update(is_active=False)
    assert not _signed_in(_client_with(key))
    assert not Session.objects.filter(session_key=key).exists()


def test_a_session_of_another_backend_is_not_taken_from_the_join(insured):
    key = _session_for(insured)
    store = SessionStore(key)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store.save()
    assert not _signed_in(_client_with(key))  # not in AUTHENTICATION_BACKENDS, as Django says


def test_a_backend_taken_out_of_the_settings_signs_the_session_out(insured, settings):
    key = _session_for(insured)
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    assert not _signed_in(_client_with(key))
    assert not Session.objects.filter(session_key=key).exists()


def test_a_row_whose_column_does_not_name_the_account_falls_back_to_django(insured):
    """The data is the truth: a row whose column was not written is read by Django's get_user."""
    key = _session_for(insured)
    Session.objects.filter(session_key=key).update(user=None)
    client = _client_with(key)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(reverse("web:session_extend")).status_code == 204
    assert len(queries) >= 2  # the row, then the account by Django's backend
    other = InsuredUserFactory()
    Session.objects.filter(session_key=key).update(user=other)
    response = _client_with(key).get(reverse("web:information"))
    assert response.status_code == 200
    assert other.person.last_name not in response.content.decode()
    assert insured.person.last_name in response.content.decode()


def test_deleting_an_account_deletes_its_sessions(insured):
    key = _session_for(insured)
    other_key = _session_for(InsuredUserFactory())  # another account's session stays
    insured.delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=other_key).exists()


def test_an_agent_session_is_read_with_its_account_too():
    agent = AgentFactory()
    client = agent_login(Client(), agent)
    assert client.get(reverse("agents:home")).status_code == 200
    assert _row(client).user_id == agent.pk
