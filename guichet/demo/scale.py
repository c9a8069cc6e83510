"""Scale data: N realistic insured with their families, rights, cards, contracts and payments.

Built for benchmarks (`python manage.py seed_scale --insured 1000000`): rows are made in
memory batch by batch and written with bulk_create, one transaction per batch, so that the
number of queries grows with the number of batches, never with the number of rows. Everything
is drawn from a random generator seeded per batch, so the same command gives the same data.
NIRs use departments of birth that the demo personas never use (identifiers.py), and family
number i always gets the same NIRs, so a second run continues where the first stopped.
"""

import datetime as dt
import queue
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from faker.providers.person.fr_FR import Provider as FrenchNames
from psycopg._copy_base import format_row_text  # C-accelerated with psycopg[binary]
from psycopg.adapt import Transformer

from guichet.accounts.enums import UserKind
from guichet.accounts.models import User
from guichet.core import clock
from guichet.demo.identifiers import (
    SCALE_SERIAL_PREFIX,
    account_number,
    card_serial,
    french_iban,
    scale_nir,
)
from guichet.demo.reference_data import CSS_INSURER_CODE, GENERAL_SCHEME, PARTNER_SCHEMES
from guichet.demo.services import reference_data_ensure
from guichet.reference.enums import (
    CardStatus,
    Civility,
    ContractKind,
    FamilyRole,
    Gender,
    NirStatus,
    PaymentKind,
    Relationship,
    SolidarityCoverage,
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
    printed_card_name,
)

SCALE_EMAIL_DOMAIN = "scale.example"
# The code personnel of every scale account: hashed once, shared by all (for login benchmarks).
SCALE_CODE = "Echelle-Guichet!"
PERSONS_PER_FAMILY_SLOT = 5  # insured + spouse + up to 3 children: family i owns 5 NIR slots
DEFAULT_BATCH = 2000
INSERT_BATCH = 2000  # rows per INSERT: under PostgreSQL's 65,535 parameters for every table
ACCOUNT_SHARE = 0.6
OVERLAP_SHARE = 0.02

LAST_NAMES = [n.upper() for n in FrenchNames.last_names]
MALE_NAMES = list(FrenchNames.first_names_male)
FEMALE_NAMES = list(FrenchNames.first_names_female)
STREETS = (
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Gambetta",
    "rue Pasteur",
    "place de la Mairie",
    "chemin des Vignes",
    "allée des Tilleuls",
    "rue du Moulin",
    "impasse des Lilas",
)
CITIES = (
    ("75011", "Paris"),
    ("69003", "Lyon"),
    ("13005", "Marseille"),
    ("33000", "Bordeaux"),
    ("44000", "Nantes"),
    ("31000", "Toulouse"),
    ("59000", "Lille"),
    ("67000", "Strasbourg"),
    ("35000", "Rennes"),
    ("34000", "Montpellier"),
)
DOCTORS = ("Dr Martin", "Dr Petit", "Dr Lefèvre", "Dr Garcia", "Dr Roux", "Dr Fournier")
CARE = (
    ("Consultation médecin généraliste", "Vous", PaymentKind.REIMBURSEMENT),
    ("Pharmacie", "Pharmacie", PaymentKind.THIRD_PARTY),
    ("Analyses de biologie médicale", "Laboratoire", PaymentKind.THIRD_PARTY),
    ("Consultation spécialiste", "Vous", PaymentKind.REIMBURSEMENT),
    ("Séance de kinésithérapie", "Vous", PaymentKind.REIMBURSEMENT),
    ("Radiologie", "Centre d'imagerie", PaymentKind.THIRD_PARTY),
)


_T = TypeVar("_T")
_OTHER_STATUSES = (CardStatus.LOST, CardStatus.STOLEN, CardStatus.FAULTY, CardStatus.IN_TRANSFER)


@dataclass
class ScaleReport:
    families: int = 0
    persons: int = 0
    rights_periods: int = 0
    cards: int = 0
    contracts: int = 0
    payments: int = 0
    european_cards: int = 0
    accounts: int = 0
    first_index: int = 0

    def add(self, other: "ScaleReport") -> None:
        for name in (
            "families",
            "persons",
            "rights_periods",
            "cards",
            "contracts",
            "payments",
            "european_cards",
            "accounts",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class _FastRandom(random.Random):
    """randint and pick (a choice) from one random() call each: several times faster, seeded."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def pick(self, seq: Sequence[_T]) -> _T:
        return seq[int(self.random() * len(seq))]


@dataclass(frozen=True)
class _Context:
    today: dt.date
    now: dt.datetime
    fund_ids: list[int]
    general_scheme: Scheme
    partner_schemes: list[Scheme]
    other_schemes: list[Scheme]
    insurer_ids: list[int]
    css_insurer_id: int
    password_hash: str


def scale_start() -> int:
    """The index of the next scale family: one per insured already generated."""
    return Person.objects.filter(
        role=FamilyRole.RIGHTS_OPENER, email__endswith=f"@{SCALE_EMAIL_DOMAIN}"
    ).count()


def _context() -> _Context:
    reference_data_ensure()
    schemes = list(Scheme.objects.all())
    return _Context(
        today=clock.today(),
        now=clock.now(),
        fund_ids=list(Fund.objects.filter(is_central=False).values_list("pk", flat=True)),
        general_scheme=next(s for s in schemes if s.code == GENERAL_SCHEME),
        partner_schemes=[s for s in schemes if s.code in PARTNER_SCHEMES],
        other_schemes=[s for s in schemes if not s.is_general and not s.is_partner],
        insurer_ids=list(
            ComplementaryInsurer.objects.exclude(code=CSS_INSURER_CODE).values_list("pk", flat=True)
        ),
        css_insurer_id=ComplementaryInsurer.objects.get(code=CSS_INSURER_CODE).pk,
        password_hash=make_password(SCALE_CODE),
    )


def _birth(rng: _FastRandom, today: dt.date, min_age: int, max_age: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(min_age * 365 + 1, max_age * 365 + 300))


def _person(
    rng: _FastRandom,
    ctx: _Context,
    *,
    family_index: int,
    slot: int,
    role: str,
    relationship: str,
    male: bool,
    last_name: str,
    birth_date: dt.date,
    address: tuple[str, str, str],
    is_student: bool = False,
) -> dict[str, Any]:
    opener = role == FamilyRole.RIGHTS_OPENER
    roll = rng.random()
    return {
        "role": role,
        "relationship": relationship,
        "nir": scale_nir(
            person_index=family_index * PERSONS_PER_FAMILY_SLOT + slot,
            sex=1 if male else 2,
            birth_date=birth_date,
        ),
        "nir_status": NirStatus.PROVISIONAL if opener and roll < 0.005 else NirStatus.CERTIFIED,
        "civility": Civility.MR if male else Civility.MRS,
        "gender": Gender.MALE if male else Gender.FEMALE,
        "last_name": last_name,
        "first_names": rng.pick(MALE_NAMES if male else FEMALE_NAMES),
        "birth_date": birth_date,
        "birth_place_insee": "",
        "is_student": is_student,
        "address_line1": address[0],
        "postal_code": address[1],
        "city": address[2],
        "address_npai": opener and 0.005 <= roll < 0.015,
        "email": f"assure{family_index}@{SCALE_EMAIL_DOMAIN}" if opener else "",
        "mobile_phone": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        if opener
        else "",
        "iban": french_iban(bank="20041", branch="01005", account=account_number(family_index))
        if opener and roll >= 0.03
        else "",
        "attending_doctor": rng.pick(DOCTORS),
    }


def _family_people(rng: _FastRandom, ctx: _Context, index: int) -> list[dict[str, Any]]:
    """The insured, maybe a spouse, maybe children (up to 3)."""
    male = rng.random() < 0.5
    last_name = rng.pick(LAST_NAMES)
    city = rng.pick(CITIES)
    address = (f"{rng.randint(1, 180)} {rng.pick(STREETS)}", city[0], city[1])
    young = rng.random() < 0.12
    birth = _birth(rng, ctx.today, 18, 25) if young else _birth(rng, ctx.today, 26, 88)
    people = [
        _person(
            rng,
            ctx,
            family_index=index,
            slot=0,
            role=FamilyRole.RIGHTS_OPENER,
            relationship=Relationship.SELF,
            male=male,
            last_name=last_name,
            birth_date=birth,
            address=address,
        )
    ]
    age = clock.age_on(birth, ctx.today)
    people[0]["is_student"] = young and rng.random() < 0.5
    if young:
        return people
    composition = rng.random()
    if composition >= 0.45:  # a spouse as dependant
        people.append(
            _person(
                rng,
                ctx,
                family_index=index,
                slot=1,
                role=FamilyRole.DEPENDANT,
                relationship=Relationship.SPOUSE,
                male=not male,
                last_name=last_name,
                birth_date=birth + dt.timedelta(days=rng.randint(-2000, 2000)),
                address=address,
            )
        )
    if composition >= 0.65 and age < 60:
        for slot in range(2, 2 + rng.randint(1, 3)):
            child_age = min(age - 18, 24)
            child_birth = _birth(rng, ctx.today, 0, max(child_age - 1, 0))
            people.append(
                _person(
                    rng,
                    ctx,
                    family_index=index,
                    slot=slot,
                    role=FamilyRole.DEPENDANT,
                    relationship=Relationship.CHILD,
                    male=rng.random() < 0.5,
                    last_name=last_name,
                    birth_date=child_birth,
                    address=address,
                    is_student=clock.age_on(child_birth, ctx.today) >= 18,
                )
            )
    return people


class _Writer:
    """Writes rows given as {attname: value}: COPY on PostgreSQL, bulk_create elsewhere.

    Every row starts from the model's field defaults, so that a field added later with a
    default needs no change here. Families and persons get their ids before the insert
    (a sequence range on PostgreSQL, after MAX(id) elsewhere, inside the batch's
    transaction), so that their dependants can point at them without reading them back.
    """

    def __init__(self) -> None:
        self.postgresql = connection.vendor == "postgresql"
        self._defaults: dict[type[models.Model], dict[str, Any]] = {}

    def defaults(self, model: type[models.Model]) -> dict[str, Any]:
        if model not in self._defaults:
            self._defaults[model] = {
                f.attname: f.get_default() for f in model._meta.concrete_fields if not f.primary_key
            }
        return self._defaults[model]

    def allocate_ids(self, model: type[models.Model], count: int) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgresql:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))

    def copy_payload(
        self, model: type[models.Model], rows: list[dict[str, Any]]
    ) -> tuple[str, bytes]:
        """The COPY statement and its data, formatted by psycopg's C row formatter."""
        defaults = self.defaults(model)
        columns = [*(["id"] if "id" in rows[0] else []), *defaults]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
        connection.ensure_connection()
        transformer = Transformer(connection.connection)
        data = bytearray()
        for row in rows:
            format_row_text(
                [row[c] if c in row else defaults[c] for c in columns], transformer, data
            )
        return sql, bytes(data)

    def write(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.postgresql:
            _copy(*self.copy_payload(model, rows))
            return
        defaults = self.defaults(model)
        model._default_manager.bulk_create(
            [model(**{**defaults, **row}) for row in rows], batch_size=INSERT_BATCH
        )


def _copy(sql: str, data: bytes) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(data)


class _CopyThread:
    """Writes batches on PostgreSQL in a second thread while the next batch is generated.

    The thread has its own connection and commits one transaction per batch; the payloads
    are built beforehand, so it mostly waits for the server (without holding the GIL).
    """

    def __init__(self) -> None:
        self._queue: queue.Queue[list[tuple[str, bytes]] | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="seed-scale-copy", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while (payloads := self._queue.get()) is not None:
                if self._error is None:
                    with transaction.atomic():
                        for sql, data in payloads:
                            _copy(sql, data)
        except BaseException as exc:  # re-raised in the main thread by put() or close()
            self._error = exc
            while self._queue.get() is not None:
                pass
        finally:
            connection.close()

    def put(self, payloads: list[tuple[str, bytes]]) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(payloads)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


Tables = list[tuple[type[models.Model], list[dict[str, Any]]]]


def _batch(
    ctx: _Context, writer: _Writer, first: int, count: int, seed: int
) -> tuple[ScaleReport, Tables]:
    rng = _FastRandom(f"{seed}:{first}")
    households = []
    for index in range(first, first + count):
        roll = rng.random()
        if roll < 0.9:
            scheme = ctx.general_scheme
        elif roll < 0.96:
            scheme = rng.pick(ctx.partner_schemes)
        else:
            scheme = rng.pick(ctx.other_schemes)
        family = {
            "fund_id": rng.pick(ctx.fund_ids),
            "scheme_id": scheme.pk,
            "created_at": ctx.now,
        }
        households.append((index, family, scheme, _family_people(rng, ctx, index)))

    family_ids = writer.allocate_ids(Family, len(households))
    people: list[dict[str, Any]] = []
    for family_id, (_, family, _, members) in zip(family_ids, households, strict=True):
        family["id"] = family_id
        for person in members:
            person["family_id"] = family_id
            people.append(person)
    for person_id, person in zip(writer.allocate_ids(Person, len(people)), people, strict=True):
        person["id"] = person_id

    rights: list[dict[str, Any]] = []
    cards: list[dict[str, Any]] = []
    contracts: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    ceams: list[dict[str, Any]] = []
    users: list[dict[str, Any]] = []
    for index, family, scheme, members in households:
        overlap = rng.random() < OVERLAP_SHARE
        for slot, person in enumerate(members):
            solidarity = SolidarityCoverage.CSS if rng.random() < 0.05 else SolidarityCoverage.NONE
            start = dt.date(rng.randint(2000, 2024), rng.randint(1, 12), 1)
            closed = rng.random() < 0.04
            rights.append(
                {
                    "person_id": person["id"],
                    "scheme_id": scheme.pk,
                    "start_date": start,
                    "end_date": ctx.today - dt.timedelta(days=rng.randint(1, 400))
                    if closed
                    else None,
                    "ticket_moderateur_exemption": rng.random() < 0.08,
                    "solidarity_coverage": solidarity,
                }
            )
            age = clock.age_on(person["birth_date"], ctx.today)
            if scheme.issues_carte_vitale and (slot == 0 or age >= 12):
                status = CardStatus.ACTIVE if rng.random() < 0.95 else rng.pick(_OTHER_STATUSES)
                cards.append(
                    {
                        "person_id": person["id"],
                        "serial_number": card_serial(
                            SCALE_SERIAL_PREFIX, index * PERSONS_PER_FAMILY_SLOT + slot
                        ),
                        "status": status,
                        "has_photo": rng.random() < 0.9,
                        "printed_name": printed_card_name(
                            person["first_names"], person["last_name"]
                        ),
                        "printed_nir": person["nir"] or "",
                        "issued_on": dt.date(rng.randint(2008, 2025), rng.randint(1, 12), 1),
                        "status_changed_at": ctx.now - dt.timedelta(days=rng.randint(0, 30)),
                    }
                )
            if solidarity == SolidarityCoverage.CSS:
                contracts.append(
                    {
                        "person_id": person["id"],
                        "insurer_id": ctx.css_insurer_id,
                        "member_number": f"C{index:09d}{slot}",
                        "start_date": start,
                        "kind": ContractKind.CSS,
                    }
                )
            elif rng.random() < 0.75:
                blocked = overlap and slot < 2
                contracts.append(
                    {
                        "person_id": person["id"],
                        "insurer_id": rng.pick(ctx.insurer_ids),
                        "member_number": f"A{index:09d}{slot}",
                        "start_date": dt.date(rng.randint(2015, 2025), rng.randint(1, 12), 1),
                        "payments_transmitted": not blocked,
                    }
                )
                if blocked:  # a second insurer in force: the overlap of rule O1
                    contracts.append(
                        {
                            "person_id": person["id"],
                            "insurer_id": rng.pick(ctx.insurer_ids),
                            "member_number": f"B{index:09d}{slot}",
                            "start_date": ctx.today - dt.timedelta(days=rng.randint(10, 200)),
                            "payments_transmitted": False,
                        }
                    )
        for _ in range(rng.randint(0, 8)):
            label, paid_to, kind = rng.pick(CARE)
            care = ctx.today - dt.timedelta(days=rng.randint(5, 365))
            payments.append(
                {
                    "family_id": family["id"],
                    "beneficiary_id": rng.pick(members)["id"],
                    "kind": kind,
                    "label": label,
                    "care_date": care,
                    "paid_on": care + dt.timedelta(days=rng.randint(2, 10)),
                    "amount": Decimal(rng.randint(500, 9000)) / 100,
                    "paid_to": paid_to,
                    "transmitted_to_complementary": rng.random() < 0.6,
                }
            )
        opener = members[0]
        if rng.random() < 0.04:  # a sick leave: daily allowances, fortnight by fortnight
            for n in range(3):
                start = ctx.today - dt.timedelta(days=14 * (n + 1) + 3)
                payments.append(
                    {
                        "family_id": family["id"],
                        "beneficiary_id": opener["id"],
                        "kind": PaymentKind.DAILY_ALLOWANCE,
                        "label": "Indemnités journalières maladie",
                        "care_date": start,
                        "period_end": start + dt.timedelta(days=13),
                        "paid_on": start + dt.timedelta(days=16),
                        "amount": Decimal(rng.randint(20000, 90000)) / 100,
                        "paid_to": "Vous",
                    }
                )
        if rng.random() < 0.1:
            ceams.append(
                {
                    "person_id": opener["id"],
                    "number": f"9025{index:016d}",
                    "valid_until": ctx.today + dt.timedelta(days=rng.randint(30, 700)),
                }
            )
        if opener["nir_status"] == NirStatus.CERTIFIED and rng.random() < ACCOUNT_SHARE:
            users.append(
                {
                    "username": opener["nir"],
                    "kind": UserKind.INSURED,
                    "person_id": opener["id"],
                    "first_name": opener["first_names"],
                    "last_name": opener["last_name"],
                    "email": opener["email"],
                    "email_confirmed_at": ctx.now,
                    "password": ctx.password_hash,
                    "date_joined": ctx.now,
                }
            )

    tables: Tables = [
        (Family, [h[1] for h in households]),
        (Person, people),
        (RightsPeriod, rights),
        (Card, cards),
        (ComplementaryContract, contracts),
        (Payment, payments),
        (EuropeanHealthCard, ceams),
        (User, users),
    ]
    return ScaleReport(
        families=len(households),
        persons=len(people),
        rights_periods=len(rights),
        cards=len(cards),
        contracts=len(contracts),
        payments=len(payments),
        european_cards=len(ceams),
        accounts=len(users),
    ), tables


def scale_seed(
    *,
    insured: int,
    batch_size: int = DEFAULT_BATCH,
    seed: int = 2026,
    pipeline: bool = True,
    progress: Callable[[ScaleReport], None] | None = None,
) -> ScaleReport:
    """Add `insured` families after those already generated; one transaction per batch.

    On PostgreSQL with `pipeline`, a second thread writes each batch while the next one is
    generated (the rows only become visible once committed, so not inside a test
    transaction: tests pass pipeline=False).
    """
    ctx = _context()
    writer = _Writer()
    start = scale_start()
    total = ScaleReport(first_index=start)
    copier = _CopyThread() if pipeline and writer.postgresql else None
    try:
        for first in range(start, start + insured, batch_size):
            count = min(batch_size, start + insured - first)
            if copier is not None:
                report, tables = _batch(ctx, writer, first, count, seed)
                copier.put([writer.copy_payload(m, rows) for m, rows in tables if rows])
            else:
                with transaction.atomic():
                    report, tables = _batch(ctx, writer, first, count, seed)
                    for model, rows in tables:
                        writer.write(model, rows)
            total.add(report)
            if progress:
                progress(total)
    finally:
        if copier is not None:
            copier.close()
    return total
