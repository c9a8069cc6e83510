"""The demo personas, as data: one per situation that a rule of RULES.md needs.

`python manage.py seed_demo` turns them into the fund's records and online accounts, and
`python manage.py seed_demo --write-docs` writes docs/personas.md from the same list. Other
apps find a persona with `persona("family-of-four").nir`, never by repeating its NIR.

Dates written as `Ago(...)` are relative to the day the command runs (core.clock), so that
« a loss declared 2 days ago » stays true whenever the demo is loaded. Adults have fixed
birth dates, so their NIR never changes; children's ages are kept fixed instead.
"""

import datetime as dt
from dataclasses import dataclass

from guichet.core import clock
from guichet.demo.identifiers import DEMO_SERIAL_PREFIX, account_number, card_serial, french_iban
from guichet.demo.reference_data import CENTRAL_FUND_CODE, CSS_INSURER_CODE, GENERAL_SCHEME
from guichet.reference.enums import (
    CardStatus,
    Civility,
    ContractKind,
    Gender,
    NirStatus,
    Relationship,
    SolidarityCoverage,
)
from guichet.reference.nir import build_nir

# The code personnel of every persona that has an online account (it satisfies rule C5).
DEMO_CODE = "Guichet-Demo!"
DEMO_EMAIL_DOMAIN = "demo.example"
DEMO_BANK, DEMO_BRANCH = "30006", "00001"


@dataclass(frozen=True)
class Ago:
    """A date `years` then `days` before the day the demo is seeded."""

    years: int = 0
    days: int = 0

    def on(self, today: dt.date) -> dt.date:
        return clock.add_months(today, -12 * self.years) - dt.timedelta(days=self.days)


DateSpec = dt.date | Ago


def resolve(value: DateSpec | None, today: dt.date) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return value.on(today)


def resolve_required(value: DateSpec, today: dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else value.on(today)


@dataclass(frozen=True)
class Address:
    line1: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class Rights:
    """A period of open rights (end None: open-ended), with the mentions of rule A1."""

    start: DateSpec = dt.date(2020, 1, 1)
    end: DateSpec | None = None
    etm: bool = False
    exemption_reason: str = ""
    solidarity: str = SolidarityCoverage.NONE
    scheme: str = ""  # empty: the family's scheme


@dataclass(frozen=True)
class CardSpec:
    """A carte Vitale. `number` picks a unique 20-digit serial; `changed` dates the status."""

    number: int
    status: str = CardStatus.ACTIVE
    changed: dt.timedelta | None = None
    has_photo: bool = True
    withheld: bool = False
    issued_on: dt.date = dt.date(2021, 3, 1)
    printed_name: str = ""  # blank: the holder's current name (V2: set it for an outdated card)

    @property
    def serial(self) -> str:
        return card_serial(DEMO_SERIAL_PREFIX, self.number)


@dataclass(frozen=True)
class ContractSpec:
    """A complementary-insurance contract; two in force the same day make an overlap (O1)."""

    insurer: str
    member_number: str
    start: DateSpec
    end: DateSpec | None = None
    kind: str = ContractKind.ORDINARY
    payments_transmitted: bool = True


@dataclass(frozen=True)
class Member:
    """A dependant (« ayant droit ») of a persona's family."""

    first_names: str
    civility: str
    relationship: str
    birth: DateSpec
    is_student: bool = False
    nir_status: str = NirStatus.CERTIFIED
    rights: tuple[Rights, ...] = (Rights(),)
    cards: tuple[CardSpec, ...] = ()
    contracts: tuple[ContractSpec, ...] = ()

    @property
    def gender(self) -> str:
        return Gender.MALE if self.civility == Civility.MR else Gender.FEMALE


PARIS = Address("12 rue de la Roquette", "75011", "Paris")


@dataclass(frozen=True)
class Persona:
    """An insured person who opens rights (« ouvreur de droits »), with their family."""

    key: str
    situation: str
    rules: tuple[str, ...]
    civility: str
    first_names: str
    last_name: str
    birth_date: dt.date
    nir_order: int
    birth_department: str = "75"
    birth_commune: str = "111"
    usage_name: str = ""
    nir_status: str = NirStatus.CERTIFIED
    fund: str = "751"
    scheme: str = GENERAL_SCHEME
    address: Address = PARIS
    npai: bool = False
    has_bank_details: bool = True
    mobile_phone: str = "06 12 34 56 78"
    attending_doctor: str = "Dr Claire Moreau"
    is_student: bool = False
    rights: tuple[Rights, ...] = (Rights(),)
    cards: tuple[CardSpec, ...] = ()
    contracts: tuple[ContractSpec, ...] = ()
    members: tuple[Member, ...] = ()
    payments: int = 3
    daily_allowances: int = 0
    payments_transmitted: bool = True
    ceam: bool = False
    has_account: bool = True
    notes: str = ""

    @property
    def gender(self) -> str:
        return Gender.MALE if self.civility == Civility.MR else Gender.FEMALE

    @property
    def nir(self) -> str:
        return build_nir(
            sex=1 if self.gender == Gender.MALE else 2,
            birth_date=self.birth_date,
            department=self.birth_department,
            commune=self.birth_commune,
            order=self.nir_order,
        )

    @property
    def code(self) -> str:
        """The code personnel, or "" when the persona has no online account yet."""
        return DEMO_CODE if self.has_account else ""

    @property
    def iban(self) -> str:
        if not self.has_bank_details:
            return ""
        return french_iban(
            bank=DEMO_BANK, branch=DEMO_BRANCH, account=account_number(self.nir_order)
        )

    @property
    def email(self) -> str:
        return f"{self.key}@{DEMO_EMAIL_DOMAIN}"

    @property
    def active_card(self) -> CardSpec | None:
        return next((c for c in self.cards if c.status == CardStatus.ACTIVE), None)

    def member_nir(self, index: int, birth_date: dt.date) -> str:
        """Dependants have NIRs too (orders after the insured's); they follow their birth date."""
        member = self.members[index]
        return build_nir(
            sex=1 if member.gender == Gender.MALE else 2,
            birth_date=birth_date,
            department="75",
            commune="114",
            order=self.nir_order + index + 1,
        )


def _since(start: DateSpec, insurer: str, member_number: str, **kwargs: object) -> ContractSpec:
    return ContractSpec(insurer=insurer, member_number=member_number, start=start, **kwargs)  # type: ignore[arg-type]


def _overlap(number: str, *, css: bool = False) -> tuple[ContractSpec, ...]:
    """Two contracts in force today for one beneficiary, automatic transmission blocked (O1)."""
    second = (
        _since(
            Ago(days=40),
            CSS_INSURER_CODE,
            f"CSS{number}",
            kind=ContractKind.CSS,
            payments_transmitted=False,
        )
        if css
        else _since(Ago(days=40), "775100037", f"SHA{number}", payments_transmitted=False)
    )
    return (
        _since(dt.date(2021, 1, 1), "775100029", f"PA{number}", payments_transmitted=False),
        second,
    )


MR, MRS = Civility.MR, Civility.MRS
CHILD, SPOUSE = Relationship.CHILD, Relationship.SPOUSE


PERSONAS: tuple[Persona, ...] = (
    Persona(
        key="family-of-four",
        situation="Famille de 4 : conjoint, une enfant de 8 ans, un enfant de 16 ans sans carte Vitale.",
        rules=("G2", "G4", "A1", "A2", "P1", "P4", "P6", "V2"),
        notes=(
            "Le parcours nominal : droits ouverts, complémentaire avec transmission activée, "
            "CEAM. Hugo (16 ans) peut recevoir une première carte (V2) mais ne peut pas être "
            "mandataire (P4 : moins de 18 ans). La CEAM de Camille est valable encore 20 mois "
            "(CEAM4) ; elle peut en commander une pour Thomas, Léa ou Hugo, avec une date de "
            "départ proche pour obtenir le certificat provisoire (CEAM1, CEAM7)."
        ),
        civility=MRS,
        first_names="Camille Anne",
        last_name="MARTIN",
        birth_date=dt.date(1984, 5, 12),
        nir_order=11,
        cards=(CardSpec(1),),
        contracts=(_since(dt.date(2022, 1, 1), "775100011", "MDR0000001"),),
        members=(
            Member(
                "Thomas Pierre",
                MR,
                SPOUSE,
                dt.date(1982, 2, 3),
                cards=(CardSpec(2),),
                contracts=(_since(dt.date(2022, 1, 1), "775100011", "MDR0000002"),),
            ),
            Member(
                "Léa",
                MRS,
                CHILD,
                Ago(years=8, days=73),
                contracts=(_since(dt.date(2022, 1, 1), "775100011", "MDR0000003"),),
            ),
            Member(
                "Hugo",
                MR,
                CHILD,
                Ago(years=16, days=140),
                contracts=(_since(dt.date(2022, 1, 1), "775100011", "MDR0000004"),),
            ),
        ),
        payments=8,
        ceam=True,
    ),
    Persona(
        key="no-open-rights",
        situation="Droits fermés depuis 3 mois : aucune attestation de droits possible.",
        rules=("A3", "G4"),
        civility=MR,
        first_names="Karim",
        last_name="BENALI",
        birth_date=dt.date(1979, 11, 30),
        nir_order=21,
        birth_department="13",
        birth_commune="055",
        fund="131",
        address=Address("5 boulevard Longchamp", "13001", "Marseille"),
        rights=(Rights(start=dt.date(2015, 1, 1), end=Ago(days=90)),),
        cards=(CardSpec(3),),
    ),
    Persona(
        key="student",
        situation="Étudiante de 20 ans, ouvreuse de droits : invitée à s'adresser à sa mutuelle étudiante.",
        rules=("A3",),
        civility=MRS,
        first_names="Inès",
        last_name="ROUSSEL",
        birth_date=dt.date(2006, 4, 12),
        nir_order=31,
        birth_department="33",
        birth_commune="063",
        fund="331",
        address=Address("18 cours de la Marne", "33800", "Bordeaux"),
        is_student=True,
        cards=(CardSpec(4),),
    ),
    Persona(
        key="etm",
        situation="Exonération du ticket modérateur (affection de longue durée).",
        rules=("A1",),
        civility=MR,
        first_names="Bernard",
        last_name="LEFEBVRE",
        birth_date=dt.date(1956, 9, 8),
        nir_order=41,
        birth_department="59",
        birth_commune="350",
        rights=(
            Rights(
                start=dt.date(2019, 6, 1), etm=True, exemption_reason="Affection de longue durée"
            ),
        ),
        cards=(CardSpec(5),),
    ),
    Persona(
        key="css",
        situation="Droits avec la mention Complémentaire santé solidaire (CSS, ex-CMU).",
        rules=("A1",),
        civility=MRS,
        first_names="Nadia",
        last_name="HADDAD",
        birth_date=dt.date(1990, 1, 17),
        nir_order=51,
        birth_department="69",
        birth_commune="383",
        fund="691",
        address=Address("40 rue Paul Bert", "69003", "Lyon"),
        rights=(Rights(start=dt.date(2023, 3, 1), solidarity=SolidarityCoverage.CSS),),
        cards=(CardSpec(6),),
        contracts=(
            _since(dt.date(2023, 3, 1), CSS_INSURER_CODE, "CSS0000051", kind=ContractKind.CSS),
        ),
    ),
    Persona(
        key="partner-scheme",
        situation="Marin affilié à l'ENIM (régime partenaire), avec deux complémentaires en chevauchement.",
        rules=("C4", "O4"),
        notes="Peut créer son compte (C4) mais la sélection en ligne de complémentaire lui est refusée (O4).",
        civility=MR,
        first_names="Yann",
        last_name="LE GALL",
        birth_date=dt.date(1975, 7, 21),
        nir_order=61,
        birth_department="44",
        birth_commune="109",
        fund="441",
        scheme="ENIM",
        address=Address("3 quai de la Fosse", "44000", "Nantes"),
        cards=(CardSpec(7),),
        contracts=_overlap("0000061"),
        members=(
            Member("Maëlle", MRS, SPOUSE, dt.date(1977, 3, 2), contracts=_overlap("0000062")),
        ),
        payments_transmitted=False,
    ),
    Persona(
        key="other-scheme",
        situation="Affiliée à la MSA (ni régime général ni partenaire) : pas de création de compte immédiate.",
        rules=("C3", "C4"),
        civility=MRS,
        first_names="Sylvie",
        last_name="FAURE",
        birth_date=dt.date(1968, 10, 5),
        nir_order=71,
        birth_department="69",
        birth_commune="264",
        fund="691",
        scheme="MSA",
        address=Address("Lieu-dit Les Granges", "69620", "Le Bois-d'Oingt"),
        cards=(CardSpec(8),),
        has_account=False,
    ),
    Persona(
        key="scheme-without-card",
        situation="Régime étranger qui ne délivre pas de carte Vitale : commande de carte refusée.",
        rules=("V4",),
        notes="Compte ouvert à l'accueil de la caisse.",
        civility=MR,
        first_names="Lukas",
        last_name="MEYER",
        birth_date=dt.date(1988, 12, 14),
        nir_order=81,
        birth_department="99",
        birth_commune="109",
        scheme="ETRANGER",
    ),
    Persona(
        key="provisional-nir",
        situation="NIR provisoire (immatriculation en cours) : pas de création de compte.",
        rules=("C4",),
        civility=MRS,
        first_names="Amina",
        last_name="DIALLO",
        birth_date=dt.date(1995, 6, 25),
        nir_order=91,
        birth_department="99",
        birth_commune="341",
        nir_status=NirStatus.PROVISIONAL,
        cards=(CardSpec(9),),
        has_account=False,
    ),
    Persona(
        key="waiting-nir",
        situation="Numéro d'attente non certifié : pas de création de compte.",
        rules=("C4",),
        civility=MR,
        first_names="Ivan",
        last_name="PETROV",
        birth_date=dt.date(1991, 2, 9),
        nir_order=101,
        birth_department="99",
        birth_commune="123",
        nir_status=NirStatus.WAITING,
        cards=(CardSpec(10),),
        has_account=False,
    ),
    Persona(
        key="no-bank-details",
        situation="Aucune coordonnée bancaire connue : pas de création de compte par la carte Vitale.",
        rules=("C3", "C4", "SIT11"),
        notes=(
            "À l'accueil (agent « accueil »), sa fiche client permet d'« Enregistrer de "
            "nouvelles coordonnées bancaires » avec son RIB ; une fois validées par l'agent "
            "« backoffice » (après 2 jours), la création de compte par la carte Vitale (voie 1) "
            "est possible."
        ),
        civility=MRS,
        first_names="Julie",
        last_name="GIRARD",
        birth_date=dt.date(1987, 8, 19),
        nir_order=111,
        has_bank_details=False,
        cards=(CardSpec(11),),
        has_account=False,
    ),
    Persona(
        key="npai",
        situation="Courrier revenu « n'habite pas à l'adresse indiquée » (NPAI).",
        rules=("A4", "V4", "SIT1", "SIT2"),
        notes=(
            "« Mes démarches › Changement d'adresse postale » (ou « Je renseigne ma nouvelle "
            "adresse » de l'attestation) lève le NPAI : l'attestation et la commande de carte "
            "Vitale sont alors possibles."
        ),
        civility=MR,
        first_names="Olivier",
        last_name="MERCIER",
        birth_date=dt.date(1972, 4, 3),
        nir_order=121,
        address=Address("7 rue des Envierges", "75020", "Paris"),
        npai=True,
        cards=(CardSpec(12),),
    ),
    Persona(
        key="card-transfer-failed",
        situation="Carte Vitale dont la mutation a échoué après un changement de régime.",
        rules=("C3", "C4"),
        civility=MRS,
        first_names="Chantal",
        last_name="ROCHE",
        birth_date=dt.date(1963, 3, 27),
        nir_order=131,
        cards=(CardSpec(13, status=CardStatus.TRANSFER_FAILED, changed=dt.timedelta(days=20)),),
        has_account=False,
    ),
    Persona(
        key="card-in-transfer",
        situation="Carte Vitale en cours de mutation après un changement de régime.",
        rules=("V4",),
        civility=MR,
        first_names="Marc",
        last_name="DUVAL",
        birth_date=dt.date(1980, 10, 11),
        nir_order=141,
        cards=(CardSpec(14, status=CardStatus.IN_TRANSFER, changed=dt.timedelta(days=10)),),
    ),
    Persona(
        key="no-active-card",
        situation="Aucune carte Vitale active (l'ancienne est en opposition).",
        rules=("C3", "C4"),
        civility=MRS,
        first_names="Émilie",
        last_name="BLANC",
        birth_date=dt.date(1993, 9, 1),
        nir_order=151,
        cards=(CardSpec(15, status=CardStatus.OPPOSED, changed=dt.timedelta(days=200)),),
        has_account=False,
    ),
    Persona(
        key="card-without-photo",
        situation="Carte Vitale active mais sans photo : le numéro de série demandé est celui de la carte avec photo.",
        rules=("C2", "C3"),
        civility=MR,
        first_names="Gérard",
        last_name="PERRIN",
        birth_date=dt.date(1950, 1, 23),
        nir_order=161,
        cards=(CardSpec(16, has_photo=False, issued_on=dt.date(2006, 5, 1)),),
        has_account=False,
    ),
    Persona(
        key="faulty-card",
        situation="Carte Vitale déclarée défectueuse il y a 3 jours.",
        rules=("V1", "V2"),
        civility=MRS,
        first_names="Hélène",
        last_name="GAUTHIER",
        birth_date=dt.date(1977, 5, 30),
        nir_order=171,
        cards=(CardSpec(17, status=CardStatus.FAULTY, changed=dt.timedelta(days=3)),),
    ),
    Persona(
        key="card-withheld",
        situation="Nouvelle carte refusée (usage abusif de la carte précédente).",
        rules=("V4",),
        civility=MR,
        first_names="Franck",
        last_name="MOULIN",
        birth_date=dt.date(1969, 11, 2),
        nir_order=181,
        cards=(
            CardSpec(18, status=CardStatus.OPPOSED, changed=dt.timedelta(days=30), withheld=True),
        ),
    ),
    Persona(
        key="name-changed",
        situation="Nom d'usage pris depuis son mariage, validé il y a 10 jours (« Changement de nom d'usage ») : sa carte Vitale porte encore son nom de naissance.",
        rules=("V1", "V2", "SIT15"),
        notes=(
            "La carte reste active mais ne correspond plus à son état civil : une nouvelle carte "
            "peut être commandée sans déclaration de perte (motif « Changement de nom ou de "
            "numéro de sécurité sociale ») ; l'ancienne est mise en opposition à la remise."
        ),
        civility=MRS,
        first_names="Sophie",
        last_name="LEROY",
        usage_name="DUMAS",
        birth_date=dt.date(1988, 6, 14),
        nir_order=291,
        cards=(CardSpec(29, printed_name="SOPHIE LEROY"),),
    ),
    Persona(
        key="overlap-two",
        situation="Deux complémentaires en même temps pour 2 bénéficiaires (elle et son conjoint) ; l'enfant n'en a qu'une.",
        rules=("O1", "O2", "O3", "O5", "O6", "O7"),
        civility=MRS,
        first_names="Sophie",
        last_name="LAMBERT",
        birth_date=dt.date(1985, 2, 14),
        nir_order=191,
        cards=(CardSpec(19),),
        contracts=_overlap("0000191"),
        members=(
            Member("Nicolas", MR, SPOUSE, dt.date(1983, 7, 7), contracts=_overlap("0000192")),
            Member(
                "Jules",
                MR,
                CHILD,
                Ago(years=6, days=20),
                contracts=(_since(dt.date(2021, 1, 1), "775100029", "PA0000193"),),
            ),
        ),
        payments=6,
        payments_transmitted=False,
    ),
    Persona(
        key="overlap-five",
        situation="Chevauchement de complémentaires pour 5 bénéficiaires : traitement à la caisse.",
        rules=("O4",),
        civility=MR,
        first_names="Antoine",
        last_name="FONTAINE",
        birth_date=dt.date(1981, 6, 6),
        nir_order=201,
        cards=(CardSpec(20),),
        contracts=_overlap("0000201"),
        members=(
            Member("Claire", MRS, SPOUSE, dt.date(1982, 8, 8), contracts=_overlap("0000202")),
            Member("Lucas", MR, CHILD, Ago(years=14, days=10), contracts=_overlap("0000203")),
            Member("Chloé", MRS, CHILD, Ago(years=11, days=200), contracts=_overlap("0000204")),
            Member("Adam", MR, CHILD, Ago(years=5, days=33), contracts=_overlap("0000205")),
        ),
        payments_transmitted=False,
    ),
    Persona(
        key="overlap-css",
        situation="Chevauchement entre une complémentaire ordinaire et une Complémentaire santé solidaire.",
        rules=("O4",),
        civility=MRS,
        first_names="Fatou",
        last_name="NDIAYE",
        birth_date=dt.date(1992, 12, 1),
        nir_order=211,
        birth_department="99",
        birth_commune="341",
        rights=(Rights(start=dt.date(2021, 1, 1), solidarity=SolidarityCoverage.CSS),),
        cards=(CardSpec(21),),
        contracts=_overlap("0000211", css=True),
        payments_transmitted=False,
    ),
    Persona(
        key="card-lost-2-days",
        situation="Carte Vitale déclarée perdue il y a 2 jours : commande en ligne possible (jusqu'à J+4).",
        rules=("V1", "V5"),
        civility=MRS,
        first_names="Laura",
        last_name="CHEVALIER",
        birth_date=dt.date(1989, 3, 18),
        nir_order=221,
        cards=(CardSpec(22, status=CardStatus.LOST, changed=dt.timedelta(days=2)),),
    ),
    Persona(
        key="card-stolen-5-days",
        situation="Carte Vitale déclarée volée il y a 5 jours (J+5) : le jour où la commande en ligne est bloquée.",
        rules=("V5",),
        civility=MR,
        first_names="Romain",
        last_name="ARNAUD",
        birth_date=dt.date(1986, 10, 29),
        nir_order=231,
        cards=(CardSpec(23, status=CardStatus.STOLEN, changed=dt.timedelta(days=5)),),
    ),
    Persona(
        key="card-lost-6-days",
        situation="Carte Vitale déclarée perdue il y a 6 jours (J+6) : formulaire papier envoyé, commande de nouveau ouverte.",
        rules=("V5",),
        civility=MRS,
        first_names="Manon",
        last_name="BRUNET",
        birth_date=dt.date(1994, 7, 4),
        nir_order=241,
        cards=(CardSpec(24, status=CardStatus.LOST, changed=dt.timedelta(days=6)),),
    ),
    Persona(
        key="newborn-provisional-nir",
        situation="Un nouveau-né de 5 semaines déclaré en ligne, dont le NIR est encore provisoire : attestation pour toute la famille impossible.",
        rules=("A4", "SIT19", "SIT20"),
        notes=(
            "L'attestation de la mère seule reste possible ; celle de la famille demande la mise "
            "à jour du dossier (A4). La déclaration de Gabriel attend dans la file de l'agent "
            "« backoffice » (CPAM de Paris), acte de naissance joint : une fois le NIR certifié, "
            "l'attestation de la famille est possible ; « Annuler ma demande » le retire."
        ),
        civility=MRS,
        first_names="Pauline",
        last_name="COLIN",
        birth_date=dt.date(1991, 4, 22),
        nir_order=281,
        cards=(CardSpec(28),),
        members=(Member("Gabriel", MR, CHILD, Ago(days=35), nir_status=NirStatus.PROVISIONAL),),
    ),
    Persona(
        key="two-parents",
        situation="Mère de Léa, 7 ans : peut l'inscrire aussi sur la carte Vitale de son père, assuré dans une autre famille (« Inscrire votre enfant sur la carte Vitale de l'autre parent »).",
        rules=("SIT22", "SIT23", "SIT24", "SIT25", "SIT29"),
        notes=(
            "L'autre parent est le persona « other-parent » (Julien PERRIN, né le 03/09/1987) : "
            "saisir son numéro de sécurité sociale, son nom et sa date de naissance, joindre le "
            "livret de famille. La demande attend dans la file de l'agent « backoffice » (CPAM "
            "de Paris) ; une fois validée, Léa figure aussi dans « Mes informations » et sur "
            "l'attestation de droits de Julien PERRIN, sans l'adresse de ce foyer."
        ),
        civility=MRS,
        first_names="Camille",
        last_name="ROUSSEL",
        birth_date=dt.date(1990, 5, 17),
        nir_order=321,
        cards=(CardSpec(32),),
        members=(Member("Léa", MRS, CHILD, Ago(years=7, days=40)),),
    ),
    Persona(
        key="other-parent",
        situation="Père de Léa (famille « two-parents »), assuré seul dans sa propre famille : Léa rejoint ses bénéficiaires quand la caisse valide la demande de la mère.",
        rules=("SIT23", "SIT26", "SIT29"),
        civility=MR,
        first_names="Julien",
        last_name="PERRIN",
        birth_date=dt.date(1987, 9, 3),
        nir_order=331,
        address=Address("8 rue Oberkampf", "75011", "Paris"),
        cards=(CardSpec(33),),
    ),
    Persona(
        key="daily-allowances",
        situation="Arrêt de travail et sa prolongation (« Suivre mes démarches › Arrêts de travail ») : indemnités journalières et assez de paiements pour plusieurs pages.",
        rules=("A5", "G2"),
        civility=MR,
        first_names="Sébastien",
        last_name="GARNIER",
        birth_date=dt.date(1978, 1, 9),
        nir_order=251,
        cards=(CardSpec(25),),
        payments=45,
        daily_allowances=6,
    ),
    Persona(
        key="bank-change",
        situation="Changement de coordonnées bancaires demandé il y a 3 jours, en attente de la vérification du back-office.",
        rules=("SIT3", "SIT7", "SIT9", "SIT10"),
        notes=(
            "L'affaire est dans la file de l'agent « backoffice » (CPAM de Paris), RIB joint ; "
            "le délai de 2 jours est passé : elle peut être validée ou refusée. Tant qu'elle ne "
            "l'est pas, les remboursements restent versés sur l'IBAN actuel."
        ),
        civility=MR,
        first_names="Thomas",
        last_name="LEROY",
        birth_date=dt.date(1980, 6, 17),
        nir_order=311,
        cards=(CardSpec(31),),
    ),
    Persona(
        key="create-account",
        situation="Pas encore de compte ; carte Vitale avec photo active et IBAN connus : création immédiate (voie 1).",
        rules=("C1", "C2", "C5", "C6", "C7", "C8"),
        civility=MRS,
        first_names="Élodie",
        last_name="RENAUD",
        birth_date=dt.date(1983, 11, 15),
        nir_order=261,
        cards=(CardSpec(26),),
        has_account=False,
    ),
    Persona(
        key="mamie-francoise",
        situation="Mamie Françoise, 84 ans : procuration en cours à son neveu Nicolas et un rendez-vous à l'accueil où elle sera représentée.",
        rules=("P2", "P6", "P8"),
        notes=(
            "Le cas d'usage du guide de la procuration : son neveu Nicolas MOREAU (né le "
            "09/06/1990) la représente au rendez-vous « Rendez-vous à l'accueil » du prochain "
            "créneau libre de l'agent « accueil » (annoncé « représentée par son mandataire ») ; "
            "l'agent enregistre l'appel préparatoire, puis l'arrivée de Nicolas avec sa pièce "
            "d'identité. Les courriers restent adressés à Françoise (P8)."
        ),
        civility=MRS,
        first_names="Françoise",
        last_name="MOREAU",
        birth_date=dt.date(1941, 10, 2),
        nir_order=301,
        address=Address("8 rue des Envierges", "75020", "Paris"),
        cards=(CardSpec(30),),
    ),
    Persona(
        key="franceconnect",
        situation="Identité de test FranceConnect (bac à sable), pas encore de compte : création par FranceConnect.",
        rules=("C9",),
        notes=(
            "Identité de l'environnement d'intégration de FranceConnect : Angela Claire Louise "
            "DUBOIS, née le 24/08/1962 à Paris 7e (INSEE 75107), sexe féminin."
        ),
        civility=MRS,
        first_names="Angela Claire Louise",
        last_name="DUBOIS",
        birth_date=dt.date(1962, 8, 24),
        nir_order=271,
        birth_department="75",
        birth_commune="107",
        address=Address("26 rue Desaix", "75015", "Paris"),
        cards=(CardSpec(27),),
        has_account=False,
    ),
)


def persona(key: str) -> Persona:
    """The persona with this key (KeyError when there is none)."""
    for candidate in PERSONAS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


@dataclass(frozen=True)
class Agent:
    username: str
    password: str
    first_name: str
    last_name: str
    role: str
    fund: str
    description: str
    # The second factor (docs/decisions/security-agents-second-factor.md): the TOTP seed to type
    # into an authenticator application (base32), and single-use recovery codes that seed_demo
    # restores each time it runs.
    totp_seed: str
    superuser: bool = False
    recovery_codes: tuple[str, ...] = ("secours1", "secours2", "secours3")
    # The « Espace d'échanges » services of their fund the agent answers for (codes of
    # exchanges.rules.DEFAULT_SERVICES, rule ECH16), attached by guichet/exchanges/demo.py.
    exchange_services: tuple[str, ...] = ()


AGENT_PASSWORD = "Agent-Guichet!"  # noqa: S105 (published demo credentials)
ADMIN_PASSWORD = "Admin-Guichet!"  # noqa: S105 (published demo credentials)

AGENTS: tuple[Agent, ...] = (
    Agent(
        "accueil",
        AGENT_PASSWORD,
        "Sophie",
        "DURAND",
        "front_desk",
        "751",
        "Accueil, CPAM de Paris",
        "GK5RIFU4Y4NXSQG4FR75K7ZEXOFSQMRB",
    ),
    Agent(
        "backoffice",
        AGENT_PASSWORD,
        "Mehdi",
        "KACI",
        "back_office",
        "751",
        "Back-office, CPAM de Paris ; Espace d'échanges : services « Prestations » et "
        "« Relations avec les assurés »",
        "EASYHRRJKBPYMR7KAGFSKKVKIF7L2MMD",
        exchange_services=("prestations", "relations-assures"),
    ),
    Agent(
        "backoffice-droits",
        AGENT_PASSWORD,
        "Camille",
        "LEROY",
        "back_office",
        "751",
        "Back-office, CPAM de Paris ; Espace d'échanges : services « Carte Vitale et droits » "
        "et « Indemnités journalières »",
        "NWB6WBCAKPYMUSJSB2OW6GKVYQJPOEBP",
        exchange_services=("carte-vitale-droits", "indemnites-journalieres"),
    ),
    Agent(
        "backoffice-central",
        AGENT_PASSWORD,
        "Isabelle",
        "VIDAL",
        "back_office",
        CENTRAL_FUND_CODE,
        "Back-office, caisse centrale (affaires complexes)",
        "EFCV7E2J5LTMMHFI6XPWWJ3YN2HXFM63",
    ),
    Agent(
        "superviseur",
        AGENT_PASSWORD,
        "Paul",
        "ROBIN",
        "supervisor",
        "751",
        "Superviseur, CPAM de Paris (Espace d'échanges : tous les services, « Suivi » par service)",
        "LWAQQ66EZ36QUPLXFAIHVUOPJLGJLQWS",
    ),
    # Issue 17 (RDV24): every demo CPAM has a front desk with its agenda, so an insured books
    # at another fund's place and that fund's agent receives them.
    Agent(
        "accueil-691",
        AGENT_PASSWORD,
        "Camille",
        "BERTRAND",
        "front_desk",
        "691",
        "Accueil, CPAM du Rhône",
        "IWSPYJR3NVVDPKGJC6VKKA2SCAFX7K3G",
    ),
    Agent(
        "superviseur-691",
        AGENT_PASSWORD,
        "Luc",
        "FAURE",
        "supervisor",
        "691",
        "Superviseur, CPAM du Rhône",
        "GLAD6JCZ5JIVP27XFWP25E6OYOSWICPR",
    ),
    Agent(
        "accueil-131",
        AGENT_PASSWORD,
        "Nadia",
        "BENALI",
        "front_desk",
        "131",
        "Accueil, CPAM des Bouches-du-Rhône",
        "OVJQFVTIFPMMTWGCUWVP5E3R6LQ3J64Q",
    ),
    Agent(
        "superviseur-131",
        AGENT_PASSWORD,
        "Marc",
        "ROUX",
        "supervisor",
        "131",
        "Superviseur, CPAM des Bouches-du-Rhône",
        "XUZKHLBTKT7EV62SVUOUDUUTJI6D6UER",
    ),
    Agent(
        "accueil-331",
        AGENT_PASSWORD,
        "Julie",
        "LAFON",
        "front_desk",
        "331",
        "Accueil, CPAM de la Gironde",
        "PAKRFKQV6GBMETMIY4W26DLIUS4EL3J3",
    ),
    Agent(
        "superviseur-331",
        AGENT_PASSWORD,
        "Pierre",
        "DUCASSE",
        "supervisor",
        "331",
        "Superviseur, CPAM de la Gironde",
        "VRYM3KEYJJLFT4G2QVZBYERZ7YE4RSLS",
    ),
    Agent(
        "accueil-441",
        AGENT_PASSWORD,
        "Élise",
        "GUERIN",
        "front_desk",
        "441",
        "Accueil, CPAM de Loire-Atlantique",
        "TY2P63ZM7UIQS2ZLGPP2X2B5UUPYVJPW",
    ),
    Agent(
        "superviseur-441",
        AGENT_PASSWORD,
        "Yann",
        "LE GOFF",
        "supervisor",
        "441",
        "Superviseur, CPAM de Loire-Atlantique",
        "UDE46VSCQ54LZ2LCNJXD27UZG3LPMTJ6",
    ),
    Agent(
        "admin",
        ADMIN_PASSWORD,
        "Équipe",
        "INFORMATIQUE",
        "supervisor",
        "751",
        "Administration Django (équipe informatique), /admin/",
        "XNE5HUJEAHAQKKAR2GZ2K5LGJOO37VHR",
        superuser=True,
    ),
)
