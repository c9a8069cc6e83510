"""factory_boy factories of the fund's records and accounts, with traits for each situation."""

import datetime as dt
import itertools
from base64 import b32decode
from decimal import Decimal

import factory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from guichet.accounts import second_factor
from guichet.accounts.enums import AgentRole, UserKind
from guichet.accounts.models import User
from guichet.reference import models as ref
from guichet.reference.enums import (
    CardStatus,
    Civility,
    ContractKind,
    FamilyRole,
    Gender,
    NirStatus,
    PaymentKind,
    Relationship,
)
from guichet.reference.nir import build_nir

DEFAULT_PASSWORD = "Guichet-Demo-2026!"
# Every agent of AgentFactory has this second factor (docs/decisions/security-agents-second-factor.md).
AGENT_TOTP_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
AGENT_RECOVERY_CODES = ("abcd2345", "efgh6723")
_nir_order = itertools.count(1)


class FundFactory(DjangoModelFactory):
    class Meta:
        model = ref.Fund
        django_get_or_create = ("code",)

    code = "751"
    name = "CPAM de Paris"


class SchemeFactory(DjangoModelFactory):
    class Meta:
        model = ref.Scheme
        django_get_or_create = ("code",)

    code = "RG"
    name = "Régime général"
    is_general = True

    class Params:
        partner = factory.Trait(code="ENIM", name="ENIM", is_general=False, is_partner=True)
        other = factory.Trait(code="MSA", name="Mutualité sociale agricole", is_general=False)


class FamilyFactory(DjangoModelFactory):
    class Meta:
        model = ref.Family

    fund = factory.SubFactory(FundFactory)
    scheme = factory.SubFactory(SchemeFactory)


def _nir_for(person: "ref.Person") -> str:
    sex = 1 if person.gender == Gender.MALE else 2
    return build_nir(
        sex=sex,
        birth_date=person.birth_date,
        department="75",
        commune="056",
        order=next(_nir_order) % 1000,
    )


class PersonFactory(DjangoModelFactory):
    """An insured person who opens rights, with an address, an IBAN and open rights by default."""

    class Meta:
        model = ref.Person
        skip_postgeneration_save = True

    family = factory.SubFactory(FamilyFactory)
    role = FamilyRole.RIGHTS_OPENER
    relationship = Relationship.SELF
    civility = Civility.MRS
    gender = Gender.FEMALE
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_names = factory.Faker("first_name_female", locale="fr_FR")
    birth_date = dt.date(1984, 5, 12)
    nir = factory.LazyAttribute(_nir_for)
    nir_status = NirStatus.CERTIFIED
    birth_place_insee = "75056"
    address_line1 = "12 rue de la Paix"
    postal_code = "75002"
    city = "Paris"
    iban = "FR7630006000011234567890189"
    email = factory.Sequence(lambda n: f"assure{n}@exemple.fr")
    attending_doctor = "Dr Claire Martin"

    class Params:
        man = factory.Trait(civility=Civility.MR, gender=Gender.MALE, first_names="Jean")
        dependant = factory.Trait(
            role=FamilyRole.DEPENDANT,
            relationship=Relationship.CHILD,
            iban="",
            email="",
            address_line1="",
            postal_code="",
            city="",
            nir=None,
        )
        provisional = factory.Trait(nir_status=NirStatus.PROVISIONAL)
        no_bank = factory.Trait(iban="")
        npai = factory.Trait(address_npai=True)
        student = factory.Trait(is_student=True)

    @factory.post_generation
    def rights(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Open rights since 2020 unless rights=False; rights=dict(...) sets the period's fields."""
        if not create or extracted is False:
            return
        fields = {
            "start_date": dt.date(2020, 1, 1),
            **(extracted if isinstance(extracted, dict) else {}),
        }
        ref.RightsPeriod.objects.create(person=self, scheme=self.family.scheme, **fields)


class RightsPeriodFactory(DjangoModelFactory):
    class Meta:
        model = ref.RightsPeriod

    person = factory.SubFactory(PersonFactory, rights=False)
    scheme = factory.LazyAttribute(lambda o: o.person.family.scheme)
    start_date = dt.date(2020, 1, 1)


_serial = itertools.count(1)


class CardFactory(DjangoModelFactory):
    class Meta:
        model = ref.Card

    person = factory.SubFactory(PersonFactory)
    serial_number = factory.LazyFunction(lambda: f"{next(_serial) + 91250000000:020d}")
    status = CardStatus.ACTIVE
    issued_on = dt.date(2021, 3, 1)
    printed_name = factory.LazyAttribute(lambda o: o.person.card_name)
    printed_nir = factory.LazyAttribute(lambda o: o.person.nir or "")


class ComplementaryInsurerFactory(DjangoModelFactory):
    class Meta:
        model = ref.ComplementaryInsurer
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{75000000 + n}")
    name = factory.Sequence(lambda n: f"Mutuelle n° {n}")


class ComplementaryContractFactory(DjangoModelFactory):
    class Meta:
        model = ref.ComplementaryContract

    person = factory.SubFactory(PersonFactory)
    insurer = factory.SubFactory(ComplementaryInsurerFactory)
    member_number = factory.Sequence(lambda n: f"ADH{n:08d}")
    start_date = dt.date(2024, 1, 1)
    kind = ContractKind.ORDINARY

    class Params:
        css = factory.Trait(kind=ContractKind.CSS)


class PaymentFactory(DjangoModelFactory):
    class Meta:
        model = ref.Payment

    beneficiary = factory.SubFactory(PersonFactory)
    family = factory.LazyAttribute(lambda o: o.beneficiary.family)
    kind = PaymentKind.REIMBURSEMENT
    label = "Consultation médecin généraliste"
    care_date = dt.date(2026, 10, 2)
    paid_on = dt.date(2026, 10, 6)
    amount = Decimal("18.50")
    paid_to = "Vous"

    class Params:
        daily_allowance = factory.Trait(
            kind=PaymentKind.DAILY_ALLOWANCE,
            label="Indemnités journalières maladie",
            period_end=dt.date(2026, 10, 15),
            amount=Decimal("412.30"),
        )


class InsuredUserFactory(DjangoModelFactory):
    """An active online account with a confirmed email, tied to an insured person."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    kind = UserKind.INSURED
    username = factory.LazyAttribute(lambda o: o.person.nir)
    email = factory.LazyAttribute(lambda o: o.person.email)
    email_confirmed_at = factory.LazyFunction(lambda: dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class AgentFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    kind = UserKind.AGENT
    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = "Sophie"
    last_name = "Durand"
    agent_role = AgentRole.FRONT_DESK
    fund = factory.SubFactory(FundFactory)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    class Params:
        back_office = factory.Trait(agent_role=AgentRole.BACK_OFFICE)
        supervisor = factory.Trait(agent_role=AgentRole.SUPERVISOR)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()

    @factory.post_generation
    def second_factor(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Enrolled with AGENT_TOTP_SEED and AGENT_RECOVERY_CODES; `second_factor=False`: not."""
        if create and extracted is not False:
            second_factor.agent_second_factor_set(
                user=self, seed=AGENT_TOTP_SEED, recovery_codes=list(AGENT_RECOVERY_CODES)
            )


def totp_now(seed: str = AGENT_TOTP_SEED, *, steps: int = 0) -> str:
    """The code an authenticator application shows now (or `steps` time steps later)."""
    return f"{totp(b32decode(seed), t0=-30 * steps):06d}"


def agent_login(client, agent: User):
    """Sign the agent in with a verified second factor, as the two login steps do."""
    client.force_login(agent)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=agent).persistent_id
    session.save()
    return client
