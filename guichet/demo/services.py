"""Loading the demo: reference data, personas and agents, idempotently.

Every row is found by a natural key (a code, a NIR, a serial, a member number, the family and
first names of a dependant) and brought back to what personas.py describes, so running the
seed twice leaves the same data. Payments and rights periods have no natural key: the rows
of a demo person are matched by position and updated, created or deleted to fit the list.
"""

import datetime as dt
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.apps import apps
from django.db import models, transaction

from guichet.accounts import second_factor
from guichet.accounts import services as accounts_services
from guichet.accounts.enums import UserKind
from guichet.accounts.models import User
from guichet.core import clock
from guichet.core.models import ThrottleCounter
from guichet.demo.personas import (
    AGENTS,
    PERSONAS,
    Agent,
    Member,
    Persona,
    Rights,
    resolve,
    resolve_required,
)
from guichet.demo.reference_data import FUNDS, INSURERS, SCHEMES
from guichet.enrollment import services as enrollment_services
from guichet.enrollment.models import EmailConfirmation
from guichet.notifications.models import Message, Notification
from guichet.reference.enums import (
    CardStatus,
    FamilyRole,
    PaymentKind,
    Relationship,
    WorkStoppageKind,
)
from guichet.reference.models import (
    Card,
    ComplementaryContract,
    ComplementaryInsurer,
    EuropeanHealthCard,
    Family,
    Fund,
    Payment,
    Person,
    RightsPeriod,
    Scheme,
    WorkStoppage,
)

REIMBURSEMENT_LABELS = (
    ("Consultation médecin généraliste", Decimal("18.50"), "Vous"),
    ("Pharmacie", Decimal("12.34"), "Pharmacie du Marché"),
    ("Analyses de biologie médicale", Decimal("27.60"), "Laboratoire Biomed"),
    ("Consultation chirurgien-dentiste", Decimal("21.00"), "Vous"),
    ("Séance de kinésithérapie", Decimal("11.64"), "Vous"),
    ("Consultation pédiatre", Decimal("22.40"), "Vous"),
)


@dataclass(frozen=True)
class SeededPersona:
    persona: Persona
    person: Person


def reference_data_seed() -> None:
    """The funds, schemes and complementary insurers (found by their code)."""
    for fund in FUNDS:
        Fund.objects.update_or_create(
            code=fund.code,
            defaults={"name": fund.name, "address": fund.address, "is_central": fund.is_central},
        )
    for scheme in SCHEMES:
        Scheme.objects.update_or_create(
            code=scheme.code,
            defaults={
                "name": scheme.name,
                "is_general": scheme.is_general,
                "is_partner": scheme.is_partner,
                "issues_carte_vitale": scheme.issues_carte_vitale,
            },
        )
    for insurer in INSURERS:
        ComplementaryInsurer.objects.update_or_create(
            code=insurer.code, defaults={"name": insurer.name}
        )


def reference_data_ensure() -> None:
    """Seed the reference data unless every fund, scheme and insurer is there (3 queries)."""
    present = (
        set(Fund.objects.values_list("code", flat=True)) >= {f.code for f in FUNDS}
        and set(Scheme.objects.values_list("code", flat=True)) >= {s.code for s in SCHEMES}
        and set(ComplementaryInsurer.objects.values_list("code", flat=True))
        >= {i.code for i in INSURERS}
    )
    if not present:
        reference_data_seed()


def _sync_rows(
    model: type[models.Model], existing: Sequence[models.Model], wanted: Sequence[dict[str, Any]]
) -> None:
    """Make `existing` (in a stable order) hold exactly the `wanted` field values."""
    for row, values in zip(existing, wanted, strict=False):
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            row.save(update_fields=changed)
    model._default_manager.bulk_create([model(**values) for values in wanted[len(existing) :]])
    surplus = [row.pk for row in existing[len(wanted) :]]
    if surplus:
        model._default_manager.filter(pk__in=surplus).delete()


def _birth_place(department: str, commune: str) -> dict[str, str]:
    if department == "99":  # born abroad: the commune part of the NIR is the country code
        return {"birth_place_insee": "", "birth_country_insee": f"99{commune}"}
    return {"birth_place_insee": f"{department}{commune}", "birth_country_insee": "99100"}


def _rights_seed(person: Person, specs: Sequence[Rights], scheme: Scheme, today: dt.date) -> None:
    schemes = {s.code: s for s in Scheme.objects.all()}
    wanted = [
        {
            "person": person,
            "scheme": schemes[spec.scheme] if spec.scheme else scheme,
            "start_date": resolve(spec.start, today),
            "end_date": resolve(spec.end, today),
            "ticket_moderateur_exemption": spec.etm,
            "exemption_reason": spec.exemption_reason,
            "solidarity_coverage": spec.solidarity,
        }
        for spec in specs
    ]
    _sync_rows(RightsPeriod, list(person.rights_periods.order_by("pk")), wanted)


def _cards_seed(person: Person, specs: Sequence[Any], now: dt.datetime) -> None:
    # A card made during a demo (an order delivered by the card maker) is not the persona's.
    Card.objects.filter(person=person).exclude(serial_number__in=[s.serial for s in specs]).delete()
    for spec in specs:
        if spec.status == CardStatus.ACTIVE:
            # A card activated during an earlier demo would break « one active card ».
            Card.objects.filter(person=person, status=CardStatus.ACTIVE).exclude(
                serial_number=spec.serial
            ).update(status=CardStatus.OPPOSED, status_changed_at=now)
        Card.objects.update_or_create(
            serial_number=spec.serial,
            defaults={
                "person": person,
                "status": spec.status,
                "has_photo": spec.has_photo,
                "withheld": spec.withheld,
                "issued_on": spec.issued_on,
                "status_changed_at": now - spec.changed if spec.changed else now,
                "printed_name": spec.printed_name or person.card_name,
                "printed_nir": person.nir or "",
            },
        )


def _contracts_seed(person: Person, specs: Sequence[Any], today: dt.date) -> None:
    insurers = {i.code: i for i in ComplementaryInsurer.objects.all()}
    for spec in specs:
        ComplementaryContract.objects.update_or_create(
            person=person,
            member_number=spec.member_number,
            defaults={
                "insurer": insurers[spec.insurer],
                "start_date": resolve_required(spec.start, today),
                "end_date": resolve(spec.end, today),
                "kind": spec.kind,
                "payments_transmitted": spec.payments_transmitted,
            },
        )


def _member_seed(
    family: Family, persona: Persona, index: int, member: Member, today: dt.date
) -> Person:
    birth_date = resolve_required(member.birth, today)
    nir = persona.member_nir(index, birth_date)
    # A dependant is found by family and first names; its NIR follows its (relative) birth date.
    person = Person.objects.filter(
        family=family, role=FamilyRole.DEPENDANT, first_names=member.first_names
    ).first()
    holders = Person.objects.filter(nir=nir, role=FamilyRole.DEPENDANT)
    if person is not None:
        holders = holders.exclude(pk=person.pk)
    holders.update(nir=None)
    values = {
        "relationship": member.relationship,
        "nir": nir,
        "nir_status": member.nir_status,
        "civility": member.civility,
        "gender": member.gender,
        "last_name": persona.last_name,
        "birth_date": birth_date,
        "is_student": member.is_student,
        **_birth_place("75", "114"),
        "address_line1": persona.address.line1,
        "address_line2": "",
        "postal_code": persona.address.postal_code,
        "city": persona.address.city,
        "address_npai": persona.npai,
        "attending_doctor": persona.attending_doctor,
    }
    if person is None:
        person = Person.objects.create(
            family=family, role=FamilyRole.DEPENDANT, first_names=member.first_names, **values
        )
    else:
        for name, value in values.items():
            setattr(person, name, value)
        person.save()
    return person


def _payments_seed(
    family: Family, persona: Persona, beneficiaries: list[Person], today: dt.date
) -> None:
    wanted: list[dict[str, Any]] = []
    for n in range(persona.payments):
        label, amount, paid_to = REIMBURSEMENT_LABELS[n % len(REIMBURSEMENT_LABELS)]
        care = today - dt.timedelta(days=6 + 9 * n)
        wanted.append(
            {
                "family": family,
                "beneficiary": beneficiaries[n % len(beneficiaries)],
                "kind": PaymentKind.REIMBURSEMENT if paid_to == "Vous" else PaymentKind.THIRD_PARTY,
                "label": label,
                "care_date": care,
                "period_end": None,
                "paid_on": care + dt.timedelta(days=4),
                "amount": amount,
                "paid_to": paid_to,
                "transmitted_to_complementary": persona.payments_transmitted,
                "work_stoppage": None,
            }
        )
    stoppages = _work_stoppages_seed(beneficiaries[0], persona, today)
    for n in range(persona.daily_allowances):
        start = today - dt.timedelta(days=14 * (n + 1) + 3)
        wanted.append(
            {
                "family": family,
                "beneficiary": beneficiaries[0],
                "kind": PaymentKind.DAILY_ALLOWANCE,
                "label": "Indemnités journalières maladie",
                "care_date": start,
                "period_end": start + dt.timedelta(days=13),
                "paid_on": start + dt.timedelta(days=16),
                "amount": Decimal("587.44"),
                "paid_to": "Vous",
                "transmitted_to_complementary": False,
                "work_stoppage": stoppages[n // ALLOWANCES_PER_STOPPAGE],
            }
        )
    _sync_rows(Payment, list(family.payments.order_by("pk")), wanted)
    WorkStoppage.objects.filter(person=beneficiaries[0]).exclude(
        pk__in=[stoppage.pk for stoppage in stoppages]
    ).delete()


ALLOWANCES_PER_STOPPAGE = 3  # « Arrêts de travail »: each stoppage paid in three fortnights


def _work_stoppages_seed(person: Person, persona: Persona, today: dt.date) -> list[WorkStoppage]:
    """The stoppages of the daily allowances, newest first: the n-th allowance (a fortnight
    back from today) belongs to stoppage n // ALLOWANCES_PER_STOPPAGE; the older one is the
    initial sick leave, the newer ones its extensions."""
    count = -(-persona.daily_allowances // ALLOWANCES_PER_STOPPAGE)
    existing = {s.start_date: s for s in WorkStoppage.objects.filter(person=person)}
    stoppages = []
    for index in range(count):
        last = min(persona.daily_allowances, (index + 1) * ALLOWANCES_PER_STOPPAGE) - 1
        start = today - dt.timedelta(days=14 * (last + 1) + 3)
        end = today - dt.timedelta(days=14 * index * ALLOWANCES_PER_STOPPAGE + 4)
        values = {
            "kind": WorkStoppageKind.SICKNESS,
            "end_date": end,
            "is_extension": index < count - 1,
            "employer": "Menuiserie Garnier et fils",
            "received_on": start + dt.timedelta(days=1),
        }
        stoppage = existing.get(start) or WorkStoppage(person=person, start_date=start)
        for name, value in values.items():
            setattr(stoppage, name, value)
        stoppage.save()
        stoppages.append(stoppage)
    return stoppages


def _account_seed(person: Person, persona: Persona, now: dt.datetime) -> None:
    user = User.objects.filter(username=persona.nir).first() or User(
        username=persona.nir, kind=UserKind.INSURED
    )
    user.person = person
    user.kind = UserKind.INSURED
    user.first_name = person.given_name
    user.last_name = persona.last_name
    user.email = persona.email
    user.email_confirmed_at = user.email_confirmed_at or now
    user.information_consent, user.information_consent_at = False, None
    user.is_active = True
    if not user.pk or not user.check_password(persona.code):
        user.set_password(persona.code)
    user.save()


def persona_seed(persona: Persona, *, today: dt.date, now: dt.datetime) -> Person:
    fund = Fund.objects.get(code=persona.fund)
    scheme = Scheme.objects.get(code=persona.scheme)
    opener = Person.objects.filter(nir=persona.nir).select_related("family").first()
    if opener is None:
        family = Family.objects.create(fund=fund, scheme=scheme)
    else:
        family = opener.family
        if (family.fund_id, family.scheme_id) != (fund.pk, scheme.pk):
            family.fund, family.scheme = fund, scheme
            family.save(update_fields=["fund", "scheme"])
    opener, _ = Person.objects.update_or_create(
        nir=persona.nir,
        defaults={
            "family": family,
            "role": FamilyRole.RIGHTS_OPENER,
            "relationship": Relationship.SELF,
            "nir_status": persona.nir_status,
            "civility": persona.civility,
            "gender": persona.gender,
            "last_name": persona.last_name,
            "usage_name": persona.usage_name,
            "first_names": persona.first_names,
            "birth_date": persona.birth_date,
            **_birth_place(persona.birth_department, persona.birth_commune),
            "is_student": persona.is_student,
            "address_line1": persona.address.line1,
            "address_line2": "",
            "postal_code": persona.address.postal_code,
            "city": persona.address.city,
            "address_npai": persona.npai,
            "email": persona.email,
            "mobile_phone": persona.mobile_phone,
            "landline_phone": "",
            "iban": persona.iban,
            "attending_doctor": persona.attending_doctor,
        },
    )
    _rights_seed(opener, persona.rights, scheme, today)
    _cards_seed(opener, persona.cards, now)
    _contracts_seed(opener, persona.contracts, today)
    beneficiaries = [opener]
    for index, member in enumerate(persona.members):
        person = _member_seed(family, persona, index, member, today)
        _rights_seed(person, member.rights, scheme, today)
        _cards_seed(person, member.cards, now)
        _contracts_seed(person, member.contracts, today)
        beneficiaries.append(person)
    _payments_seed(family, persona, beneficiaries, today)
    if persona.ceam:
        EuropeanHealthCard.objects.update_or_create(
            number=f"8025{persona.nir_order:016d}",
            defaults={"person": opener, "valid_until": clock.add_months(today, 20)},
        )
    if persona.has_account:
        _account_seed(opener, persona, now)
    return opener


def agent_seed(agent: Agent) -> User:
    user = User.objects.filter(username=agent.username).first() or User(
        username=agent.username, kind=UserKind.AGENT
    )
    user.kind = UserKind.AGENT
    user.first_name, user.last_name = agent.first_name, agent.last_name
    user.agent_role = agent.role
    user.fund = Fund.objects.get(code=agent.fund)
    user.is_active = True
    user.is_staff = user.is_superuser = agent.superuser
    if not user.pk or not user.check_password(agent.password):
        user.set_password(agent.password)
    user.save()
    second_factor.agent_second_factor_set(
        user=user, seed=agent.totp_seed, recovery_codes=list(agent.recovery_codes)
    )
    return user


# The addresses `make run` is reached from: their (NIR, address) login counts are reset too.
LOCAL_ADDRESSES = ("127.0.0.1", "::1")


def _undocumented_accounts_close(personas: Sequence[Persona]) -> None:
    """An account opened during a demo by a persona documented without one is closed as
    « Résilier mon compte ameli » closes it (the row stays for the logs that name it, the NIR
    is free again), so the account creation can be replayed. Done first: its email may be
    one a persona's account must get back."""
    without = [p.nir for p in personas if not p.has_account]
    for user_id in User.objects.filter(person__nir__in=without, closed_at__isnull=True).values_list(
        "pk", flat=True
    ):
        accounts_services.account_close_for_demo(user_id=user_id)


def _accounts_inbox_restore(personas: Sequence[Persona]) -> None:
    """The personas' accounts lose the pending email confirmations, notifications and
    messages a demo left, and their failed logins and account-creation attempts are
    forgotten (the counts by NIR, and by NIR from this machine). A few queries for all the
    personas, never a scan of the database."""
    accounts = User.objects.filter(username__in=[p.nir for p in personas if p.has_account])
    EmailConfirmation.objects.filter(user__in=accounts).delete()
    Notification.objects.filter(recipient__in=accounts).delete()
    Message.objects.filter(recipient__in=accounts).delete()
    limits = accounts_services.login_limits(UserKind.INSURED)
    keys = []
    for persona in personas:
        keys += [limits.account.key(persona.nir), enrollment_services.nir_attempts_key(persona.nir)]
        keys += [limits.pair.key(persona.nir, address) for address in LOCAL_ADDRESSES]
    ThrottleCounter.objects.filter(key__in=keys).delete()


def persona_families() -> models.QuerySet[Family]:
    """The families of the personas (for the apps' demo modules: restore only these rows)."""
    return Family.objects.filter(members__nir__in=[p.nir for p in PERSONAS]).distinct()


@transaction.atomic
def demo_seed() -> list[SeededPersona]:
    """Reference data, every persona and every agent account (idempotent)."""
    now = clock.now()
    today = clock.today()
    reference_data_seed()
    _undocumented_accounts_close(PERSONAS)
    seeded = []
    for persona in PERSONAS:
        person = persona_seed(persona, today=today, now=now)
        seeded.append(SeededPersona(persona, person))
    _accounts_inbox_restore(PERSONAS)
    for agent in AGENTS:
        agent_seed(agent)
    return seeded


def app_demo_modules() -> list[Any]:
    """The `guichet.<app>.demo` modules of the installed apps, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("guichet.") or config.name == "guichet.demo":
            continue
        name = f"{config.name}.demo"
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def app_demos_seed(stdout: TextIO) -> list[str]:
    """Call `seed(stdout)` of every app's demo module, each in its own transaction."""
    done = []
    for module in app_demo_modules():
        with transaction.atomic():
            module.seed(stdout)
        done.append(module.__name__)
    return done
