"""Demo state of « Mon agenda » (called by `manage.py seed_demo`, issue 17).

Every demo fund with a front-desk agent account (`guichet.demo.personas.AGENTS`) gets one
front desk open to appointments, named after the fund and at its address, two motifs
(« Rendez-vous à l'accueil », 30 minutes; « Rendez-vous téléphonique », 20 minutes) and that
agent's openings there, Monday to Friday 9:00–12:00 and 13:30–16:30, so that a newcomer signed
in as a persona of that fund finds free slots at once. Every demo CPAM (751, 691, 131, 331,
441) has its front-desk agent (« accueil » for Paris, « accueil-<code> » for the others) and
its supervisor (« superviseur », « superviseur-<code> »), who manages its places, motifs,
openings and closed days (RDV22, RDV23, RDV26–RDV29): a persona of Paris may book at the CPAM du
Rhône's front desk (RDV24), where « accueil-691 » receives them (RDV25). The central fund (999)
has only a back-office agent (it handles complex cases, not a front desk) and no agenda.
Idempotent: the place, the motifs and the openings are created only when missing (looked up by
name and agent).

Mamie Françoise (persona « mamie-francoise », the procuration guide's use case) has one
upcoming « Rendez-vous à l'accueil », at the first free slot of her fund's front desk, at which
she will be represented by her nephew Nicolas (her power: guichet/powers/demo.py). Every run
gives that state back: while that appointment is still to come it is kept; otherwise (cancelled,
checked in, past, or another one booked in a demo) her appointments are deleted and a new one is
booked through `appointment_book`, whose confirmation email goes out; its notification is
cleared, since every persona's inbox starts empty (docs/personas.md).
"""

import datetime as dt
from typing import TextIO

from guichet.accounts.enums import AgentRole
from guichet.accounts.models import User
from guichet.appointments import rules, selectors, services
from guichet.appointments.enums import Channel
from guichet.appointments.models import Appointment, Motif, OpeningSlot, Place
from guichet.core import clock
from guichet.demo.personas import AGENTS, persona
from guichet.notifications.models import Notification
from guichet.reference.models import Fund, Person

PLACE_OPENING_HOURS = "Du lundi au vendredi, de 8 h 30 à 17 h"
MOTIFS = (
    ("Rendez-vous à l'accueil", Channel.DESK, 30),
    ("Rendez-vous téléphonique", Channel.PHONE, 20),
)
OPENINGS = ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(16, 30)))
WEEKDAYS = [0, 1, 2, 3, 4]  # Monday to Friday
MAMIE_KEY = "mamie-francoise"
MAMIE_PHONE = "01 43 58 12 34"


def front_desk_agents() -> dict[str, str]:
    """Each demo fund with a front-desk agent account, and the first such agent's username."""
    desks: dict[str, str] = {}
    for agent in AGENTS:
        if agent.role == AgentRole.FRONT_DESK:
            desks.setdefault(agent.fund, agent.username)
    return desks


def seed(stdout: TextIO) -> None:
    places: dict[str, tuple[Place, list[Motif]]] = {}
    for code, username in front_desk_agents().items():
        fund = Fund.objects.filter(code=code).first()
        agent = User.objects.filter(username=username).first()
        if fund is None or agent is None:
            stdout.write(f"Agenda : caisse {code} ou agent « {username} » absent, rien à faire.\n")
            continue
        places[code] = _front_desk_seed(fund=fund, agent=agent, stdout=stdout)
    mamie_fund = persona(MAMIE_KEY).fund
    if mamie_fund in places:
        place, motifs = places[mamie_fund]
        _mamie_seed(place=place, motif=motifs[0], stdout=stdout)


def _front_desk_seed(*, fund: Fund, agent: User, stdout: TextIO) -> tuple[Place, list[Motif]]:
    place, _ = Place.objects.get_or_create(
        fund=fund,
        name=f"Accueil de la {fund.name}",
        defaults={"address": fund.address, "opening_hours": PLACE_OPENING_HOURS},
    )
    motifs = [
        Motif.objects.get_or_create(
            fund=fund, name=name, defaults={"channel": channel, "duration_minutes": minutes}
        )[0]
        for name, channel, minutes in MOTIFS
    ]
    created = 0
    for start, end in OPENINGS:
        if OpeningSlot.objects.filter(agent=agent, place=place, start_time=start).exists():
            continue
        services.opening_slot_create(
            agent=agent,
            place=place,
            motifs=motifs,
            weekdays=WEEKDAYS,
            start_time=start,
            end_time=end,
            first_day=clock.today(),
        )
        created += 1
    stdout.write(
        f"Agenda : « {place.name} », {len(motifs)} motifs, "
        f"{created} plage(s) d'ouverture créée(s) pour « {agent.username} ».\n"
    )
    return place, motifs


def _mamie_seed(*, place: Place, motif: Motif, stdout: TextIO) -> None:
    """Her one upcoming desk appointment, represented by her nephew (rules RDV6, P8)."""
    person = Person.objects.filter(nir=persona(MAMIE_KEY).nir).first()
    if person is None:
        stdout.write("Agenda : persona « mamie-francoise » absente, pas de rendez-vous.\n")
        return
    appointments = list(Appointment.objects.filter(person=person))
    if (
        len(appointments) == 1
        and appointments[0].is_upcoming
        and appointments[0].represented_by_proxy
        and appointments[0].motif_id == motif.pk
    ):
        stdout.write(f"Agenda : {person.full_name} a déjà son rendez-vous.\n")
        return
    Appointment.objects.filter(person=person).delete()
    earliest, latest = rules.booking_window(motif, clock.now())
    slots = selectors.free_slots(
        place=place,
        motif=motif,
        first_day=earliest.astimezone(clock.PARIS).date(),
        last_day=latest.date(),
    )
    if not slots:
        stdout.write("Agenda : aucun créneau libre pour Mamie Françoise.\n")
        return
    appointment = services.appointment_book(
        person=person,
        by=User.objects.filter(person=person).first(),
        motif=motif,
        place=place,
        start=slots[0].start,
        phone=MAMIE_PHONE,
        represented_by_proxy=True,
    )
    Notification.objects.filter(recipient__person=person).delete()
    stdout.write(
        f"Agenda : {person.full_name}, « {motif.name} » le "
        f"{appointment.local_start:%d/%m/%Y à %H:%M}, représentée par son mandataire.\n"
    )
