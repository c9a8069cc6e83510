"""The CEAM orders of the family in the agents' client file (CEAM8), in a fixed number of
queries whatever the number of orders."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from guichet.ceam import services as ceam_services
from guichet.certificates.enums import Channel
from guichet.core.clock import PARIS
from guichet.frontdesk.enums import ConsultationReason
from tests.factories import AgentFactory, InsuredUserFactory, PersonFactory, agent_login

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _file_url(client, person):
    response = client.post(
        reverse("agents:frontdesk_lookup"),
        {"nir": person.nir, "reason": ConsultationReason.PROXY_AT_DESK, "detail": ""},
    )
    assert response.status_code == 302, response.content[:300]
    return response.url


def test_the_client_file_lists_the_familys_ceam_orders(client, django_assert_max_num_queries):
    user = InsuredUserFactory()
    children = [PersonFactory(family=user.person.family, dependant=True) for _ in range(3)]
    orders = [
        ceam_services.ceam_order(
            user=user, beneficiary=child, departure_on=dt.date(2026, 12, 5), channel=Channel.WEB
        )
        for child in children
    ]
    other = InsuredUserFactory()
    other_order = ceam_services.ceam_order(
        user=other, beneficiary=other.person, departure_on=None, channel=Channel.WEB
    )
    agent_login(client, AgentFactory())
    url = _file_url(client, user.person)
    with django_assert_max_num_queries(16):
        text = client.get(url).content.decode()
    for order in orders:
        assert order.reference in text
        assert order.provisional_certificate.reference in text
    assert "réception prévue le 16/12/2026" in text
    assert other_order.reference not in text


def test_no_ceam_order(client):
    person = PersonFactory()
    agent_login(client, AgentFactory())
    assert "Aucune commande de CEAM." in client.get(_file_url(client, person)).content.decode()
