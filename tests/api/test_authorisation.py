"""An API user never reaches another person's data: every id-taking endpoint answers 404.

The table PROBES lists every operation that takes an identifier; a test below fails when an
operation of the OpenAPI description takes one and is missing from the table. Add new
endpoints here (docs/api.md says so).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from guichet.accounts.models import User
from guichet.appointments.models import Appointment
from guichet.ceam.models import CeamOrder
from guichet.certificates.enums import Channel
from guichet.certificates.services import (
    ceam_provisional_certificate_issue,
    rights_certificate_issue,
)
from guichet.core import clock
from guichet.exchanges import services as exchange_services
from guichet.exchanges.models import ThreadMessage
from guichet.interfaces.api.api import api as ninja_api
from guichet.notifications.models import Message, Notification
from guichet.powers.models import PowerOfAttorney
from tests.api.factories import other_account
from tests.appointments.factories import desk
from tests.cards.factories import jpeg_bytes, pdf_bytes, upload
from tests.factories import CardFactory
from tests.powers.factories import give_power

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def other_beneficiary(other: User) -> int:
    return other.person.family.members.exclude(pk=other.person_id).get().pk


def other_holder(other: User) -> int:
    return other.person_id


def other_notification(other: User) -> int:
    return Notification.objects.get(recipient=other).pk


def other_message(other: User) -> int:
    return Message.objects.get(recipient=other).pk


def other_power(other: User) -> int:
    return give_power(other.person).pk


def other_card(other: User) -> int:
    return CardFactory(person=other.person).pk


def other_appointment(other: User) -> int:
    place, motif, slot = desk(other.person.family.fund)
    start = clock.now().astimezone(clock.PARIS).replace(hour=9, minute=0, second=0, microsecond=0)
    return Appointment.objects.create(
        person=other.person,
        motif=motif,
        place=place,
        agent=slot.agent,
        start=start + dt.timedelta(days=3),
        end=start + dt.timedelta(days=3, minutes=30),
        phone="0612345678",
    ).pk


def own_agenda(user: User) -> dict:
    """A motif and a place of the caller's own fund: only the beneficiary is someone else's."""
    place, motif, _ = desk(user.person.family.fund)
    return {"motif_id": motif.pk, "place_id": place.pk}


def other_thread(other: User) -> int:
    return exchange_services.thread_start(user=other, subject="rights", body="Bonjour").pk


def other_attachment(other: User) -> tuple[int, int]:
    thread = exchange_services.thread_start(
        user=other,
        subject="rights",
        body="Bonjour",
        uploads=[upload("a.pdf", pdf_bytes(), "application/pdf")],
    )
    return thread.pk, thread.messages.get().attachments.get().pk


def card_order_files() -> dict:
    return {
        "document_type": "passport",
        "photo": upload("selfie.jpg", jpeg_bytes()),
        "document": upload("passeport.pdf", pdf_bytes(), "application/pdf"),
    }


def other_document(other: User) -> str:
    result = rights_certificate_issue(
        person=other.person, user=other, channel=Channel.WEB, beneficiary_id=None, mentions=[]
    )
    assert result.issuance is not None
    return result.issuance.reference


def other_ceam_order(other: User) -> int:
    """An order of the other account with its provisional certificate (made here without the
    service: its notice links to the web, whose URLs these tests do not load)."""
    certificate = ceam_provisional_certificate_issue(
        person=other.person,
        beneficiary=other.person,
        user=other,
        channel=Channel.WEB,
        valid_from=dt.date(2026, 12, 2),
        valid_until=dt.date(2027, 3, 2),
    )
    return CeamOrder.objects.create(
        beneficiary=other.person,
        ordered_by=other,
        expected_on=dt.date(2026, 12, 16),
        departure_on=dt.date(2026, 12, 5),
        provisional_certificate=certificate,
    ).pk


def other_usage_name_change(other: User) -> tuple[str, int]:
    """A pending usage-name change of the other account (SIT27's withdrawal)."""
    from guichet.situation.models import UsageNameChange

    change = UsageNameChange.objects.create(
        person=other.person,
        requested_by=other,
        usage_name="MARTIN",
        proof_kind="marriage_certificate",
        proof_content_type="application/pdf",
    )
    return ("usage-name", change.pk)


def other_parent_files() -> dict:
    return {
        "nir": "184057511101104",
        "last_name": "MOREAU",
        "birth_date": "1982-11-02",
        "proof": upload("livret.pdf", pdf_bytes(), "application/pdf"),
    }


@dataclass(frozen=True)
class Probe:
    method: str
    path: str  # OpenAPI path, relative to /api/v1
    identifier: Callable[[User], int | str | tuple[int, ...]]
    query: str = ""  # the id goes in this query parameter instead of the path
    body_id: str = ""  # the id goes in this field of the JSON body instead
    body_wraps: tuple[str, ...] = ()  # …as a list of one object with these id fields
    multipart: Callable[[], dict] | None = None  # the other fields of a multipart body
    own_query: Callable[[User], dict] | None = None  # the caller's own ids, in the query
    body: dict = field(default_factory=dict)

    def url(self, value: int | str | tuple[int, ...]) -> tuple[str, dict]:
        if self.body_id:
            return self.path, {}
        if self.query:
            return self.path, {self.query: value}
        path = self.path
        for part in value if isinstance(value, tuple) else (value,):
            path = path.replace(path[path.index("{") : path.index("}") + 1], str(part))
        return path, {}


PROBES = [
    Probe("GET", "/family/{beneficiary_id}", other_beneficiary),
    Probe("GET", "/family/{beneficiary_id}", other_holder),
    Probe("GET", "/payments", other_beneficiary, query="beneficiary_id"),
    Probe("GET", "/payments", other_holder, query="beneficiary_id"),
    Probe("POST", "/notifications/{notification_id}/read", other_notification),
    Probe("GET", "/messages/{message_id}", other_message),
    Probe("POST", "/powers/{power_id}/revoke", other_power),
    Probe("GET", "/documents/{reference}/pdf", other_document),
    Probe("POST", "/cards/{card_id}/declare", other_card, body={"kind": "lost"}),
    Probe(
        "POST",
        "/cards/orders",
        other_holder,
        body_id="beneficiary_id",
        multipart=card_order_files,
    ),
    Probe("POST", "/documents/rights", other_beneficiary, body_id="beneficiary_id"),
    Probe(
        "POST",
        "/complementary/choice",
        other_beneficiary,
        body_id="choices",
        body_wraps=("beneficiary_id", "contract_id"),
    ),
    Probe("POST", "/messages/{message_id}/read", other_message),
    Probe("GET", "/ceam/orders/{order_id}/certificate", other_ceam_order),
    Probe("POST", "/ceam/orders", other_holder, body_id="beneficiary_id"),
    Probe("POST", "/ceam/orders", other_beneficiary, body_id="beneficiary_id"),
    Probe(
        "GET",
        "/appointments/slots",
        other_beneficiary,
        query="beneficiary_id",
        own_query=own_agenda,
    ),
    Probe(
        "POST",
        "/appointments/{appointment_id}/move",
        other_appointment,
        body={"start": "2030-01-07T09:00:00+01:00"},
    ),
    Probe("POST", "/appointments/{appointment_id}/cancel", other_appointment),
    Probe("GET", "/exchanges/threads/{thread_id}", other_thread),
    Probe(
        "POST",
        "/exchanges/threads/{thread_id}/messages",
        other_thread,
        multipart=lambda: {"body": "Intrus"},
    ),
    Probe("GET", "/exchanges/threads/{thread_id}/attachments/{attachment_id}", other_attachment),
    Probe("POST", "/situation/requests/{kind}/{request_id}/withdrawal", other_usage_name_change),
    Probe(
        "POST",
        "/situation/other-parent",
        other_beneficiary,
        body_id="child_id",
        multipart=other_parent_files,
    ),
]


@pytest.mark.parametrize(
    "probe", PROBES, ids=lambda p: f"{p.method} {p.path} {p.identifier.__name__}"
)
def test_another_persons_identifier_answers_404(api, api_user, probe):
    other = other_account()
    value = probe.identifier(other)
    path, params = probe.url(value)
    if probe.own_query is not None:
        params = {**probe.own_query(api_user), **params}
    if probe.method == "GET":
        response = api.get(path, **params)
    else:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        body = {**probe.body, probe.body_id: value} if probe.body_id else probe.body
        if probe.body_wraps:
            body = {probe.body_id: [dict.fromkeys(probe.body_wraps, value)]}
        if probe.multipart is not None:
            extra = {probe.body_id: value} if probe.body_id else {}
            response = api.post_multipart(path, {**probe.multipart(), **extra})
        else:
            response = api.post(f"{path}?{query}" if query else path, body)
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    # Nothing of the other person's changed.
    assert not Notification.objects.filter(recipient=other, read_at__isnull=False).exists()
    assert not Message.objects.filter(recipient=other, read_at__isnull=False).exists()
    assert (
        not PowerOfAttorney.objects.filter(grantor=other.person).exclude(status="active").exists()
    )
    assert (
        not Appointment.objects.filter(person__family=other.person.family)
        .exclude(status="booked")
        .exists()
    )
    assert not ThreadMessage.objects.filter(thread__account=other).exclude(author=other).exists()


def _operations_taking_an_identifier() -> set[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema(path_prefix="")
    taking = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {
                p["name"]
                for p in operation.get("parameters", [])
                if p["in"] == "path" or p["name"].endswith("_id")
            }
            if names:
                taking.add((method.upper(), path))
    return taking


# Operations whose only identifier is public reference data, not anybody's: every fund's place
# open to appointments is offered to every insured (rule RDV24); an unknown place is 422
# (tests/appointments/test_other_funds.py).
PUBLIC_IDENTIFIERS = {("GET", "/appointments/choices")}


def test_every_operation_taking_an_identifier_is_probed():
    probed = {(p.method, p.path) for p in PROBES} | PUBLIC_IDENTIFIERS
    missing = _operations_taking_an_identifier() - probed
    assert not missing, f"Ajoutez ces opérations à PROBES : {sorted(missing)}"
