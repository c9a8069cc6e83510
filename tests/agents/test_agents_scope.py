"""Agents see only what their fund handles (docs/decisions/security-agents-scope.md).

The sweep walks the URL resolver of the ``desk`` namespace, so a new agent page is swept as
soon as it exists, and fails when a page with an object in its URL is not in ``OBJECT_URLS``.
Three funds: the CPAM de Paris, the CPAM du Rhône and the central fund, which handles the
complex cases of every fund (rule O6). Each agent (front desk, back office, supervisor) of
one fund gets 404 on GET and on POST of every object of another fund, whatever their role may
otherwise open, and still reaches their own fund's objects.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guichet.accounts.models import User
from guichet.appointments.models import Appointment, Motif, OpeningSlot, Place, PlaceClosure
from guichet.cards import selectors as card_selectors
from guichet.cards import services as card_services
from guichet.cards.enums import OrderStatus
from guichet.cards.models import CardOrder
from guichet.cases import services as case_services
from guichet.cases.enums import CaseKind, CaseStatus
from guichet.cases.models import Case
from guichet.complementary import services as complementary_services
from guichet.complementary.detection import conflicts_detect
from guichet.complementary.models import ChoiceRequest
from guichet.core import clock
from guichet.exchanges import services as exchange_services
from guichet.exchanges.models import Thread, ThreadMessage
from guichet.frontdesk import services as frontdesk_services
from guichet.frontdesk.enums import ConsultationReason
from guichet.frontdesk.models import FileConsultation
from guichet.powers import services as power_services
from guichet.powers.models import PowerOfAttorney, PowerUse
from guichet.reference.models import Fund, Person
from guichet.situation.models import BankDetailsChange, NewbornDeclaration, UsageNameChange
from tests.appointments.factories import motif_for, place_for
from tests.cards.factories import jpeg_bytes, pdf_bytes, upload
from tests.complementary.factories import overlap_for
from tests.factories import (
    AgentFactory,
    CardFactory,
    FundFactory,
    InsuredUserFactory,
    PersonFactory,
    agent_login,
)
from tests.powers.factories import give_power
from tests.situation.factories import bank_change_for, newborn_for, usage_name_change_for

pytestmark = pytest.mark.django_db

ROLES = ("front_desk", "back_office", "supervisor")


@dataclasses.dataclass
class FundWorld:
    """One fund, its three agents and the objects its agents work on."""

    fund: Fund
    agents: dict[str, User]
    markers: list[str]  # last names borne only by this fund's insured
    people: list[Person] = dataclasses.field(default_factory=list)
    orders: list[CardOrder] = dataclasses.field(default_factory=list)
    cases: list[Case] = dataclasses.field(default_factory=list)
    consultations: list[FileConsultation] = dataclasses.field(default_factory=list)
    bank_cases: list[Case] = dataclasses.field(default_factory=list)
    usage_name_cases: list[Case] = dataclasses.field(default_factory=list)
    newborn_cases: list[Case] = dataclasses.field(default_factory=list)
    other_parent_cases: list[Case] = dataclasses.field(default_factory=list)
    appointments: list[Appointment] = dataclasses.field(default_factory=list)
    openings: list[OpeningSlot] = dataclasses.field(default_factory=list)
    closures: list[PlaceClosure] = dataclasses.field(default_factory=list)
    threads: list[Thread] = dataclasses.field(default_factory=list)


def _agents(fund: Fund) -> dict[str, User]:
    return {
        role: AgentFactory(agent_role=role, fund=fund, username=f"{role}-{fund.code}")
        for role in ROLES
    }


def _insured(fund: Fund, last_name: str) -> User:
    return InsuredUserFactory(
        person__family__fund=fund,
        person__last_name=last_name,
        person__man=True,
        person__birth_date=dt.date(1974, 11, 22),
    )


def _received_order(user: User) -> CardOrder:
    """A carte Vitale order waiting for the back office, with its ID photo and ID document."""
    card_services.card_declare(user=user, card=CardFactory(person=user.person), kind="stolen")
    order = card_services.card_order_start(user=user, beneficiary=user.person)
    card_services.card_order_attach_photo(order=order, upload=upload("p.jpg", jpeg_bytes()))
    card_services.card_order_attach_document(
        order=order, document_type="passport", upload=upload("d.pdf", pdf_bytes())
    )
    order.refresh_from_db()
    return card_services.card_order_submit(order=order, user=user)


def _choice_case(user: User, people: list[Person]) -> Case:
    """The insured's choice of complementary insurer for `people`, and the case it opens."""
    kept = {person.pk: overlap_for(person)[1].pk for person in people}
    conflicts_detect()
    request = complementary_services.choice_request_submit(user=user, choices=kept)
    return Case.objects.get(subject_id=request.pk, kind=CaseKind.COMPLEMENTARY_CHOICE)


def _bank_case(user: User) -> Case:
    """A bank-details change waiting for the back office (issue 18, rule SIT9)."""
    change = bank_change_for(user)
    return Case.objects.get(subject_id=change.pk, kind=CaseKind.BANK_DETAILS_CHANGE)


def _usage_name_case(user: User) -> Case:
    """A usage-name change waiting for the back office (issue 18, rule SIT14)."""
    change = usage_name_change_for(user)
    return Case.objects.get(subject_id=change.pk, kind=CaseKind.USAGE_NAME_CHANGE)


def _newborn_case(user: User) -> Case:
    """A newborn declared, waiting for the back office to certify the NIR (rule SIT20)."""
    declaration = newborn_for(user, birth_date=clock.today() - dt.timedelta(days=3))
    return Case.objects.get(subject_id=declaration.pk, kind=CaseKind.NEWBORN_DECLARATION)


def _other_parent_case(other_parent: User) -> Case:
    """A child of another family to attach to `other_parent`'s family, waiting for the back
    office of the other parent's fund (rule SIT25)."""
    from guichet.situation import services as situation_services
    from tests.factories import PersonFactory, _nir_for

    mother = InsuredUserFactory(
        person__family__fund=other_parent.person.family.fund,
        person__last_name=other_parent.person.last_name,
    )
    child = PersonFactory(
        family=mother.person.family,
        dependant=True,
        last_name=other_parent.person.last_name,
        birth_date=clock.today() - dt.timedelta(days=2000),
    )
    child.nir = _nir_for(child)
    child.save(update_fields=["nir"])
    registration = situation_services.other_parent_registration_request(
        user=mother,
        child_id=child.pk,
        nir=other_parent.person.nir,
        last_name=other_parent.person.last_name,
        birth_date=other_parent.person.birth_date,
        proof=upload("livret.pdf", pdf_bytes(), "application/pdf"),
    )
    return Case.objects.get(subject_id=registration.pk, kind=CaseKind.OTHER_PARENT_REGISTRATION)


def _cpam(code: str, name: str, last_name: str) -> FundWorld:
    fund = FundFactory(code=code, name=name)
    world = FundWorld(fund=fund, agents=_agents(fund), markers=[last_name])
    user = _insured(fund, last_name)
    world.people.append(user.person)
    world.orders.append(_received_order(user))
    world.cases.append(_choice_case(user, [user.person]))
    world.bank_cases.append(_bank_case(user))
    world.usage_name_cases.append(_usage_name_case(user))
    world.newborn_cases.append(_newborn_case(user))
    world.other_parent_cases.append(_other_parent_case(user))
    give_power(user.person)
    start = clock.now().replace(microsecond=0) + dt.timedelta(days=3)
    world.appointments.append(
        Appointment.objects.create(
            person=user.person,
            motif=motif_for(fund),
            place=place_for(fund, name=f"Accueil {last_name}"),
            agent=world.agents["front_desk"],
            start=start,
            end=start + dt.timedelta(minutes=30),
            phone="06 12 34 56 78",
        )
    )
    booked = world.appointments[-1]
    opening = OpeningSlot.objects.create(
        agent=world.agents["front_desk"],
        place=booked.place,
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        start_time=dt.time(0, 0),
        end_time=dt.time(23, 59),
        first_day=clock.today(),
    )
    opening.motifs.set([booked.motif])
    world.openings.append(opening)
    world.closures.append(
        PlaceClosure.objects.create(place=booked.place, day=clock.today() + dt.timedelta(days=20))
    )
    world.threads.append(
        exchange_services.thread_start(
            user=user,
            subject="rights",
            body="Bonjour, ma question.",
            uploads=[upload("q.pdf", pdf_bytes(), "application/pdf")],
        )
    )
    world.consultations.append(
        frontdesk_services.consultation_record(
            agent=world.agents["front_desk"],
            person=user.person,
            reason=ConsultationReason.PROXY_AT_DESK,
        )
    )
    return world


def _central(rhone: FundWorld) -> FundWorld:
    """The central fund, and a complex case (3 beneficiaries) of an insured of the Rhône."""
    fund = FundFactory(code="999", name="Caisse centrale", is_central=True)
    world = FundWorld(fund=fund, agents=_agents(fund), markers=["Rhodanien"])
    user = _insured(rhone.fund, "Rhodanien")
    family = user.person.family
    people = [user.person] + [
        PersonFactory(dependant=True, family=family, last_name="Rhodanien", birth_date=birth)
        for birth in (dt.date(2002, 5, 18), dt.date(2004, 5, 18))
    ]
    case = _choice_case(user, people)
    assert (case.fund, case.is_complex) == (fund, True)
    world.cases.append(case)
    return world


@pytest.fixture
def worlds() -> list[FundWorld]:
    paris = _cpam("751", "CPAM de Paris", "Parisot")
    rhone = _cpam("691", "CPAM du Rhône", "Lyonnaz")
    return [paris, rhone, _central(rhone)]


# --- The desk's URLs ---------------------------------------------------------------------------


def desk_urls() -> Iterator[tuple[str, set[str]]]:
    """Every URL name of the ``desk`` namespace with the names of its URL parameters."""

    def walk(patterns: list, params: set[str]) -> Iterator[tuple[str, set[str]]]:
        for entry in patterns:
            found = params | set(entry.pattern.converters)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, found)
            elif isinstance(entry, URLPattern):
                yield entry.name, found

    desk = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "agents"
    ]
    assert len(desk) == 1
    yield from walk(desk[0].url_patterns, set(desk[0].pattern.converters))


@dataclasses.dataclass(frozen=True)
class Target:
    """How to fill a URL with a fund's objects, what to POST, and who owns the object."""

    objects: Callable[[FundWorld], list[dict]]
    owner: Callable[[FundWorld], list[User]]
    post: dict = dataclasses.field(default_factory=dict)
    get_ok: bool = True  # the page answers GET (else the view is POST-only: 405)
    post_ok: bool = True  # the page answers POST (else the view is GET-only: 405)
    owner_statuses: frozenset[int] = frozenset({200, 302})  # the owner's POST (400: a refusal)


def _back_office(world: FundWorld) -> list[User]:
    return [world.agents["back_office"], world.agents["supervisor"]]


def _orders(world: FundWorld) -> list[dict]:
    return [{"pk": order.pk} for order in world.orders]


def _order_files(world: FundWorld) -> list[dict]:
    return [
        {"pk": o.pk, "kind": kind} for o in world.orders for kind in ("photo", "piece-identite")
    ]


def _cases(world: FundWorld) -> list[dict]:
    return [{"case_id": case.pk} for case in world.cases]


def _bank_cases(world: FundWorld) -> list[dict]:
    return [{"case_id": case.pk} for case in world.bank_cases]


def _usage_name_cases(world: FundWorld) -> list[dict]:
    return [{"case_id": case.pk} for case in world.usage_name_cases]


def _newborn_cases(world: FundWorld) -> list[dict]:
    return [{"case_id": case.pk} for case in world.newborn_cases]


def _other_parent_cases(world: FundWorld) -> list[dict]:
    return [{"case_id": case.pk} for case in world.other_parent_cases]


def _appointments(world: FundWorld) -> list[dict]:
    return [{"appointment_id": a.pk} for a in world.appointments]


def _places(world: FundWorld) -> list[dict]:
    return [{"place_id": a.place_id} for a in world.appointments]


def _motifs(world: FundWorld) -> list[dict]:
    return [{"motif_id": a.motif_id} for a in world.appointments]


def _openings(world: FundWorld) -> list[dict]:
    return [{"opening_id": o.pk} for o in world.openings]


def _closures(world: FundWorld) -> list[dict]:
    return [{"closure_id": c.pk} for c in world.closures]


def _supervisor(world: FundWorld) -> list[User]:
    return [world.agents["supervisor"]]


def _front_desk(world: FundWorld) -> list[User]:
    return [world.agents["front_desk"], world.agents["supervisor"]]


def _threads(world: FundWorld) -> list[dict]:
    return [{"thread_id": thread.pk} for thread in world.threads]


def _thread_files(world: FundWorld) -> list[dict]:
    return [
        {"thread_id": thread.pk, "attachment_id": attachment.pk}
        for thread in world.threads
        for message in thread.messages.all()
        for attachment in message.attachments.all()
    ]


def _consultations(world: FundWorld) -> list[dict]:
    return [{"consultation_id": c.pk} for c in world.consultations]


IDENTITY_CHECK = {
    "document_type": "id_card",
    "document_last_digits": "4821",
    "identity_matches": "on",
}

OBJECT_URLS: dict[str, Target] = {
    "card_review": Target(_orders, _back_office, post={"decision": "accept", "reason": ""}),
    "card_claim": Target(_orders, _back_office, get_ok=False),
    "card_file": Target(_order_files, _back_office),
    "case_detail": Target(_cases, _back_office),
    "case_claim": Target(_cases, _back_office, get_ok=False),
    "case_release": Target(_cases, _back_office, get_ok=False),
    "case_apply": Target(_cases, _back_office, get_ok=False),
    "case_close": Target(_cases, _back_office, get_ok=False),
    "exchange_thread": Target(_threads, _back_office, post_ok=False),
    "exchange_claim": Target(_threads, _back_office, get_ok=False),
    "exchange_release": Target(_threads, _back_office, get_ok=False),
    "exchange_answer": Target(_threads, _back_office, post={"body": "Intrus"}, get_ok=False),
    "exchange_note": Target(_threads, _back_office, post={"note": "Intrus"}, get_ok=False),
    "exchange_close": Target(_threads, _back_office, get_ok=False),
    "exchange_reopen": Target(_threads, _back_office, get_ok=False),
    "exchange_transfer": Target(_threads, _back_office, post={"service": "1"}, get_ok=False),
    "exchange_attachment": Target(_thread_files, _back_office, post_ok=False),
    "bank_change_rib": Target(_bank_cases, _back_office, post_ok=False),
    "bank_change_decide": Target(
        _bank_cases,
        _back_office,
        post={"decision": "reject", "reason": "RIB illisible."},
        get_ok=False,
    ),
    "usage_name_proof": Target(_usage_name_cases, _back_office, post_ok=False),
    "usage_name_decide": Target(
        _usage_name_cases,
        _back_office,
        post={"decision": "reject", "reason": "Acte illisible."},
        get_ok=False,
    ),
    "newborn_certificate": Target(_newborn_cases, _back_office, post_ok=False),
    "newborn_decide": Target(
        _newborn_cases,
        _back_office,
        post={"decision": "reject", "reason": "Acte illisible."},
        get_ok=False,
    ),
    "other_parent_proof": Target(_other_parent_cases, _back_office, post_ok=False),
    "other_parent_decide": Target(
        _other_parent_cases,
        _back_office,
        post={"decision": "reject", "reason": "Acte illisible."},
        get_ok=False,
    ),
    "frontdesk_bank_details": Target(
        _consultations,
        lambda w: [w.agents["front_desk"]],
        post={"iban": "DE89370400440532013000", "holder_name": "Jean X", "identity_checked": "on"},
    ),
    "frontdesk_file": Target(_consultations, lambda w: [w.agents["front_desk"]], post_ok=False),
    "frontdesk_power_use": Target(
        _consultations, lambda w: [w.agents["front_desk"]], post=IDENTITY_CHECK, get_ok=False
    ),
    "agenda-appointment": Target(_appointments, _front_desk, post_ok=False),
    "agenda-call": Target(_appointments, _front_desk, post={}, get_ok=False),
    "agenda-check-in": Target(
        _appointments,
        _front_desk,
        post={"arrival": "insured"},
        get_ok=False,
        owner_statuses=frozenset({302, 400}),  # 400: not the appointment's day (rule RDV11)
    ),
    "agenda-outcome": Target(
        _appointments, _front_desk, post={"target": "cancelled_by_fund"}, get_ok=False
    ),
    "agenda-file": Target(_appointments, _front_desk, get_ok=False),
    "agenda-book-slots": Target(_consultations, lambda w: [w.agents["front_desk"]]),
    # Rules RDV22, RDV23: a place's openings and closed days, for its fund's supervisors only.
    "agenda-place-openings": Target(_places, _supervisor),
    "agenda-place-closures": Target(
        _places, _supervisor, post={"day": "01/01/2099", "confirm": "on"}
    ),
    # Rules RDV26, RDV28, RDV29: places, motifs, openings and closed days edited or removed online.
    "agenda-place-edit": Target(
        _places,
        _supervisor,
        post={"name": "Pris", "address": "Ici", "opening_hours": "Toujours"},
    ),
    "agenda-motif-edit": Target(
        _motifs,
        _supervisor,
        post={
            "name": "Pris",
            "channel": "phone",
            "duration_minutes": "10",
            "min_booking_delay_hours": "1",
            "max_booking_delay_days": "2",
        },
    ),
    "agenda-opening-edit": Target(
        _openings,
        _supervisor,
        post={"motifs": [], "weekdays": ["0"], "start_time": "09:00", "end_time": "10:00"},
    ),
    "agenda-opening-remove": Target(_openings, _supervisor, get_ok=False),
    "agenda-closure-remove": Target(_closures, _supervisor, get_ok=False),
}
SUPERVISOR_PAGES = {
    "agenda-places",
    "agenda-place-openings",
    "agenda-place-closures",
    "agenda-place-create",
    "agenda-place-edit",
    "agenda-motifs",
    "agenda-motif-create",
    "agenda-motif-edit",
    "agenda-opening-edit",
    "agenda-opening-remove",
    "agenda-closure-remove",
}


def _login(client: Client, agent: User) -> Client:
    return agent_login(client, agent)


def _state(worlds: list[FundWorld]) -> dict:
    """What a refused request must leave untouched."""
    return {
        "orders": sorted(CardOrder.objects.values_list("pk", "status", "claimed_by_id")),
        "cases": sorted(Case.objects.values_list("pk", "status", "assignee_id")),
        "requests": sorted(ChoiceRequest.objects.values_list("pk", "applied_at", "closed_at")),
        "bank_changes": sorted(BankDetailsChange.objects.values_list("pk", "status")),
        "usage_name_changes": sorted(UsageNameChange.objects.values_list("pk", "status")),
        "newborns": sorted(NewbornDeclaration.objects.values_list("pk", "status", "child_id")),
        "ibans": sorted(Person.objects.values_list("pk", "iban", "usage_name", "nir_status")),
        "consultations": FileConsultation.objects.count(),
        "uses": PowerUse.objects.count(),
        "appointments": sorted(
            Appointment.objects.values_list("pk", "status", "call_outcome", "power_use_id")
        ),
        "threads": sorted(Thread.objects.values_list("pk", "status", "assignee_id")),
        "openings": sorted(
            OpeningSlot.objects.values_list("pk", "weekdays", "start_time", "end_time")
        ),
        "closures": PlaceClosure.objects.count(),
        "places": sorted(Place.objects.values_list("pk", "name", "address", "is_active")),
        "motifs": sorted(Motif.objects.values_list("pk", "name", "channel", "is_active")),
        "thread_messages": sorted(ThreadMessage.objects.values_list("pk", "read_at")),
    }


def test_every_desk_url_with_an_object_is_swept():
    with_objects = {name for name, params in desk_urls() if params}
    missing = with_objects - set(OBJECT_URLS)
    assert not missing, f"Agent pages not covered by the scope sweep: {sorted(missing)}"
    assert set(OBJECT_URLS) <= with_objects, "OBJECT_URLS names a page that no longer exists"


def test_no_agent_reaches_another_funds_objects(worlds):
    """404 on GET and POST, for every agent of every fund, on every other fund's objects."""
    before = _state(worlds)
    client = Client()
    leaks = []
    for name, params in desk_urls():
        if not params:
            continue
        target = OBJECT_URLS[name]
        for world in worlds:
            for agent in world.agents.values():
                _login(client, agent)
                for other in worlds:
                    if other is world:
                        continue
                    for kwargs in target.objects(other):
                        url = reverse(f"agents:{name}", kwargs=kwargs)
                        for method in ("get", "post"):
                            response = getattr(client, method)(url, target.post)
                            expected = {404}
                            if not (target.get_ok if method == "get" else target.post_ok):
                                expected = {405}  # refused before any object is read
                            if agent.agent_role not in _roles_of(name):
                                expected.add(403)  # the role is refused any object alike
                            if response.status_code not in expected:
                                leaks.append(
                                    f"{agent.username} {method.upper()} {url} "
                                    f"({other.fund.code}) → {response.status_code}"
                                )
    assert not leaks, "\n".join(leaks)
    assert _state(worlds) == before


def _roles_of(name: str) -> set[str]:
    """The roles whose pages these are (docs/decisions/security-agents-scope.md)."""
    if name in SUPERVISOR_PAGES:
        return {"supervisor"}
    if name.startswith(("frontdesk", "agenda")):
        return {"front_desk", "supervisor"}
    return {"back_office", "supervisor"}


def test_agents_still_reach_their_own_funds_objects(worlds):
    client = Client()
    for name, params in desk_urls():
        if not params:
            continue
        target = OBJECT_URLS[name]
        for world in worlds:
            for agent in target.owner(world):
                _login(client, agent)
                for kwargs in target.objects(world):
                    url = reverse(f"agents:{name}", kwargs=kwargs)
                    if target.get_ok:
                        response = client.get(url)
                        assert response.status_code == 200, (agent.username, url)
                    else:
                        response = client.post(url, target.post)
                        assert response.status_code in target.owner_statuses, (agent.username, url)
                        if response.status_code == 302:
                            assert not response.url.startswith("/agents/connexion/")


def test_lists_show_only_the_agents_fund(worlds):
    """Every page without an object in its URL (queues, home, lookup) shows no other fund's
    insured, and the queues show the agent's own."""
    client = Client()
    for name, params in desk_urls():
        if params:
            continue
        url = reverse(f"agents:{name}")
        for world in worlds:
            for agent in world.agents.values():
                text = _login(client, agent).get(url).content.decode()
                for other in worlds:
                    if other is not world:
                        for marker in other.markers:
                            assert marker not in text, (agent.username, url, marker)
    for world in worlds:
        queue = _login(client, world.agents["back_office"]).get(reverse("agents:case_queue"))
        for marker in world.markers:
            assert marker in queue.content.decode()
        if world.orders:
            queue = client.get(reverse("agents:card_queue")).content.decode()
            assert all(order.reference in queue for order in world.orders)
        if world.threads:
            inbox = client.get(reverse("agents:exchange_inbox")).content.decode()
            assert all(f"N° {thread.pk}<" in inbox for thread in world.threads)
            assert all(marker in inbox for marker in world.markers)


def test_a_client_file_of_another_fund_cannot_be_opened(worlds):
    """The front desk types a NIR of another fund: the same answer as for an unknown NIR, and
    no consultation is logged (rule P8 within the agent's fund)."""
    paris, rhone, _ = worlds
    before = FileConsultation.objects.count()
    for agent in (paris.agents["front_desk"], paris.agents["supervisor"]):
        client = _login(Client(), agent)
        response = client.post(
            reverse("agents:frontdesk_lookup"),
            {"nir": rhone.people[0].nir, "reason": ConsultationReason.INSURED_AT_DESK},
        )
        assert response.status_code == 200
        assert "Aucun assuré de votre caisse ne correspond" in response.content.decode()
    assert FileConsultation.objects.count() == before
    response = _login(Client(), paris.agents["front_desk"]).post(
        reverse("agents:frontdesk_lookup"),
        {"nir": paris.people[0].nir, "reason": ConsultationReason.INSURED_AT_DESK},
    )
    assert response.status_code == 302
    assert FileConsultation.objects.count() == before + 1


def test_an_agent_moved_to_another_fund_loses_what_they_held(worlds):
    """Scope is the agent's fund now, not the one of the day they claimed or consulted."""
    paris, rhone, _ = worlds
    back_office, front_desk = paris.agents["back_office"], paris.agents["front_desk"]
    order, case = paris.orders[0], paris.cases[0]
    assert card_services.card_order_claim(order_id=order.pk, agent=back_office)
    client = _login(Client(), back_office)
    assert client.post(reverse("agents:case_claim", args=[case.pk])).status_code == 302
    for agent in (back_office, front_desk):
        agent.fund = rhone.fund
        agent.save(update_fields=["fund"])
    client = _login(Client(), back_office)
    accept = {"decision": "accept", "reason": ""}
    assert client.post(reverse("agents:card_review", args=[order.pk]), accept).status_code == 404
    assert client.post(reverse("agents:case_release", args=[case.pk])).status_code == 404
    assert client.post(reverse("agents:case_apply", args=[case.pk])).status_code == 404
    file_url = reverse("agents:frontdesk_file", args=[paris.consultations[0].pk])
    assert _login(Client(), front_desk).get(file_url).status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert not ChoiceRequest.objects.get(pk=case.subject_id).applied_at


def test_the_services_refuse_another_funds_objects(worlds):
    """The rule lives in the domain: any interface calling the services gets it."""
    paris, rhone, central = worlds
    back_office, front_desk = paris.agents["back_office"], paris.agents["front_desk"]
    order, case = rhone.orders[0], rhone.cases[0]
    assert not card_services.card_order_claim(order_id=order.pk, agent=back_office)
    CardOrder.objects.filter(pk=order.pk).update(claimed_by=back_office)  # a claim of before
    with pytest.raises(CardOrder.DoesNotExist):
        card_services.card_order_review(order=order, agent=back_office, accept=True)
    for agent in (back_office, paris.agents["supervisor"], rhone.agents["back_office"]):
        with pytest.raises(Case.DoesNotExist):
            case_services.case_claim(case_id=central.cases[0].pk, agent=agent)
    with pytest.raises(Case.DoesNotExist):
        case_services.case_claim(case_id=case.pk, agent=back_office)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS, assignee=back_office)
    with pytest.raises(ChoiceRequest.DoesNotExist):
        complementary_services.choice_request_apply(request_id=case.subject_id, agent=back_office)
    with pytest.raises(frontdesk_services.ConsultationRefused):
        frontdesk_services.consultation_record(
            agent=front_desk, person=rhone.people[0], reason=ConsultationReason.INSURED_AT_DESK
        )
    with pytest.raises(PowerOfAttorney.DoesNotExist):
        power_services.power_use_record(
            power_id=PowerOfAttorney.objects.get(grantor=rhone.people[0]).pk,
            grantor=rhone.people[0],
            agent=front_desk,
            document_type="id_card",
            document_last_digits="4821",
        )
    assert not card_selectors.review_queue(agent=back_office).filter(pk=order.pk).exists()
    assert not PowerUse.objects.exists()
    assert case_services.case_claim(
        case_id=central.cases[0].pk, agent=central.agents["back_office"]
    )


@pytest.mark.parametrize("role", ["front_desk", "back_office"])
def test_a_role_gets_only_its_work(worlds, role):
    """The front desk opens no card order nor case, the back office no client file, even in
    their own fund; the refusal is the same whatever the object (403)."""
    paris = worlds[0]
    agent = paris.agents[role]
    assert card_selectors.card_orders_for_agent(agent=agent).exists() == (role == "back_office")
    if role == "front_desk":
        with pytest.raises(Case.DoesNotExist):
            case_services.case_claim(case_id=paris.cases[0].pk, agent=agent)
    else:
        with pytest.raises(frontdesk_services.ConsultationRefused):
            frontdesk_services.consultation_record(
                agent=agent, person=paris.people[0], reason=ConsultationReason.INSURED_AT_DESK
            )
