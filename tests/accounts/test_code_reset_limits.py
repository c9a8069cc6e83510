"""« Code oublié ? » limits: per account across IPs (links sent), per IP across NIRs and per
(NIR, IP) (wrong birth dates). Never a silent no-op for the genuine request: it goes through or
gets a clear French message; an attacker's wrong birth dates elsewhere never stop it
(docs/decisions/security-credentials-and-sessions.md)."""

import datetime as dt
from itertools import count

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from guichet.accounts.recovery import (
    RESET_LINKS_PER_ACCOUNT,
    RESET_WRONG_PER_IP,
    RESET_WRONG_PER_NIR_AND_IP,
)
from guichet.core import clock
from guichet.notifications.models import OutboundEmail
from tests.factories import InsuredUserFactory

pytestmark = pytest.mark.django_db

SENT_PAGE = "Consultez votre messagerie"
_addresses = count(1)


def fresh_ip() -> str:
    n = next(_addresses)
    return f"203.0.{n // 250}.{n % 250 + 1}"


def ask(nir: str, birth_date: str, ip: str) -> tuple[str, str]:
    response = Client(REMOTE_ADDR=ip).post(
        reverse("web:password_reset"), {"nir": nir, "birth_date": birth_date}
    )
    assert response.status_code == 200
    page = response.content.decode()
    if SENT_PAGE in page:
        return "usual", page
    assert 'value="' + birth_date + '"' in page  # nothing typed is lost
    return "refused", page


def genuine(user) -> str:
    return user.person.birth_date.strftime("%d/%m/%Y")


def wrong(user, n: int = 0) -> str:
    return (user.person.birth_date + dt.timedelta(days=n + 1)).strftime("%d/%m/%Y")


def links(user) -> int:
    return OutboundEmail.objects.filter(category="code_reset", to=user.email).count()


def test_many_wrong_birth_dates_from_elsewhere_do_not_stop_the_genuine_request():
    """Today's bug: 3 wrong tries blocked the NIR for an hour and the genuine request was
    answered with the usual page but sent nothing."""
    user = InsuredUserFactory()
    for n in range(RESET_WRONG_PER_NIR_AND_IP * 3):
        assert ask(user.username, wrong(user, n), fresh_ip())[0] == "usual"
    assert ask(user.username, genuine(user), fresh_ip())[0] == "usual"
    assert links(user) == 1


def test_per_account_across_addresses_limit_plus_one():
    user = InsuredUserFactory()
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(RESET_LINKS_PER_ACCOUNT):
            assert ask(user.username, genuine(user), fresh_ip())[0] == "usual"
        assert links(user) == RESET_LINKS_PER_ACCOUNT
        outcome, page = ask(user.username, genuine(user), fresh_ip())
        assert outcome == "refused"
        assert f"vous a déjà été envoyé {RESET_LINKS_PER_ACCOUNT} fois" in page
        assert "dans 60 minutes" in page
        assert links(user) == RESET_LINKS_PER_ACCOUNT
        # Another account is not concerned.
        other = InsuredUserFactory()
        assert ask(other.username, genuine(other), fresh_ip())[0] == "usual"
        assert links(other) == 1
        traveller.shift(dt.timedelta(hours=1))
        assert ask(user.username, genuine(user), fresh_ip())[0] == "usual"
        assert links(user) == RESET_LINKS_PER_ACCOUNT + 1


def test_per_address_across_nirs_limit_plus_one():
    scanner = fresh_ip()
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(RESET_WRONG_PER_IP):
            user = InsuredUserFactory()
            assert ask(user.username, wrong(user), scanner)[0] == "usual"
        someone = InsuredUserFactory()
        outcome, page = ask(someone.username, genuine(someone), scanner)
        assert outcome == "refused"  # clearly, not the usual page with nothing sent
        assert "Trop de demandes de nouveau code" in page and "dans 60 minutes" in page
        assert links(someone) == 0
        # The same request from another address goes through.
        assert ask(someone.username, genuine(someone), fresh_ip())[0] == "usual"
        assert links(someone) == 1
        traveller.shift(dt.timedelta(hours=1))
        assert ask(someone.username, genuine(someone), scanner)[0] == "usual"


def test_per_nir_and_address_limit_plus_one():
    user = InsuredUserFactory()
    here = fresh_ip()
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        for n in range(RESET_WRONG_PER_NIR_AND_IP):
            assert ask(user.username, wrong(user, n), here)[0] == "usual"
        outcome, page = ask(user.username, genuine(user), here)
        assert outcome == "refused" and "Trop de demandes de nouveau code" in page
        assert links(user) == 0
        traveller.shift(dt.timedelta(hours=1))
        assert ask(user.username, genuine(user), here)[0] == "usual"
        assert links(user) == 1


def test_the_answer_never_depends_on_whether_the_birth_date_matched():
    """Blocked or not is decided before the birth date is compared: at the limit, a wrong and a
    right birth date are both refused, and before it both get the usual page."""
    user = InsuredUserFactory()
    here = fresh_ip()
    for n in range(RESET_WRONG_PER_NIR_AND_IP - 1):
        ask(user.username, wrong(user, n), here)
    assert ask(user.username, genuine(user), here)[0] == "usual"
    assert ask(user.username, wrong(user, 50), here)[0] == "usual"  # the limit is reached
    assert ask(user.username, wrong(user, 51), here)[0] == "refused"
    assert ask(user.username, genuine(user), here)[0] == "refused"
