"""Every persona exists as it claims: valid identifiers, a working login, its situation."""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from schwifty import IBAN

from guichet.accounts.models import User
from guichet.accounts.passwords import code_errors
from guichet.accounts.second_factor import agent_code_verify
from guichet.accounts.services import agent_authenticate, insured_authenticate
from guichet.core import clock
from guichet.demo.personas import AGENTS, PERSONAS, persona
from guichet.demo.services import agent_seed
from guichet.reference import selectors
from guichet.reference.enums import CardStatus, NirStatus, PaymentKind, Relationship
from guichet.reference.models import Card, ComplementaryContract, Person
from guichet.reference.validators import validate_nir
from tests.factories import totp_now

pytestmark = pytest.mark.django_db

WITH_ACCOUNT = [p for p in PERSONAS if p.has_account]


def test_identifiers_are_valid_and_unique():
    nirs = [p.nir for p in PERSONAS]
    for nir in nirs:
        validate_nir(nir)
    assert len(set(nirs)) == len(nirs)
    for p in PERSONAS:
        if p.has_bank_details:
            IBAN(p.iban)  # raises when invalid
    serials = [c.serial for p in PERSONAS for c in p.cards] + [
        c.serial for p in PERSONAS for m in p.members for c in m.cards
    ]
    assert all(len(s) == 20 and s.isdigit() for s in serials)
    assert len({s[-11:] for s in serials}) == len(serials)  # C2 asks for the last 11 digits
    assert len({p.key for p in PERSONAS}) == len(PERSONAS)


@pytest.mark.parametrize("item", WITH_ACCOUNT, ids=lambda p: p.key)
def test_code_personnel_satisfies_c5(item):
    assert code_errors(item.code, nir=item.nir, birth_date=item.birth_date) == []


@pytest.mark.parametrize("item", WITH_ACCOUNT, ids=lambda p: p.key)
def test_persona_logs_in_with_its_code(seeded, item):
    result = insured_authenticate(nir=item.nir, code=item.code, ip="127.0.0.1")
    assert result.user is not None, result.error
    assert result.user.person.nir == item.nir
    assert result.user.email_confirmed_at is not None


def test_personas_without_account_have_none(seeded):
    for item in PERSONAS:
        assert User.objects.filter(person__nir=item.nir).exists() == item.has_account, item.key


@pytest.mark.parametrize("agent", AGENTS, ids=lambda a: a.username)
def test_agents_log_in(seeded, agent):
    result = agent_authenticate(username=agent.username, password=agent.password, ip="127.0.0.1")
    assert result.user is not None, result.error
    assert result.user.agent_role == agent.role
    assert result.user.is_superuser == agent.superuser


@pytest.mark.parametrize("agent", AGENTS, ids=lambda a: a.username)
def test_agents_sign_in_with_their_documented_second_factor(seeded, client, agent):
    """The password, then the code of an authenticator application set up with the documented
    seed (docs/personas.md, README), as a newcomer would; /admin/ for the IT team."""
    home = "/admin/" if agent.superuser else "/agents/"
    response = client.post(
        "/agents/connexion/",
        {"username": agent.username, "password": agent.password, "next": home},
    )
    assert response.url == "/agents/connexion/code/"
    response = client.post("/agents/connexion/code/", {"code": totp_now(agent.totp_seed)})
    assert response.url == home
    assert client.get(home).status_code == 200


def test_seed_demo_restores_the_used_recovery_codes(seeded):
    agent = AGENTS[0]
    user = User.objects.get(username=agent.username)
    used = agent_code_verify(user=user, code=agent.recovery_codes[0], ip="127.0.0.1")
    assert used.device is not None
    assert agent_code_verify(user=user, code=agent.recovery_codes[0], ip="127.0.0.1").device is None
    agent_seed(agent)
    assert agent_code_verify(user=user, code=agent.recovery_codes[0], ip="127.0.0.1").device


def _person(key: str) -> Person:
    return Person.objects.select_related("family__scheme", "family__fund").get(nir=persona(key).nir)


def _members(key: str) -> list[Person]:
    return list(Person.objects.filter(family=_person(key).family))


def _open_rights(person: Person) -> list:
    return list(selectors.open_rights_periods(person_ids=[person.pk], day=clock.today()))


def _overlapping(key: str) -> list[Person]:
    """The family members with two or more complementary contracts in force today (O1)."""
    today = clock.today()
    return [
        m
        for m in _members(key)
        if sum(c.is_in_force_on(today) for c in m.complementary_contracts.all()) >= 2
    ]


def _active_card(person: Person) -> Card | None:
    return person.cards.filter(status=CardStatus.ACTIVE).first()


def _declared_ago(key: str) -> dt.timedelta:
    card = _person(key).cards.get()
    return clock.now() - card.status_changed_at


def _check_family_of_four() -> None:
    members = _members("family-of-four")
    today = clock.today()
    assert len(members) == 4
    children = [m for m in members if m.relationship == Relationship.CHILD]
    ages = sorted(m.age_on(today) for m in children)
    assert len(ages) == 2
    assert ages[0] < 12 <= ages[-1] < 18  # V2 first card at 12+; P4 refuses a minor proxy
    twelve_plus = next(m for m in children if m.age_on(today) == ages[-1])
    assert not twelve_plus.cards.exists()
    assert all(_open_rights(m) for m in members)


def _check_no_open_rights() -> None:
    person = _person("no-open-rights")
    assert not selectors.has_open_rights(person=person, day=clock.today())
    assert person.rights_periods.exists()


def _check_student() -> None:
    assert _person("student").is_student


def _check_etm() -> None:
    assert any(r.ticket_moderateur_exemption for r in _open_rights(_person("etm")))


def _check_css() -> None:
    assert any(r.solidarity_coverage == "css" for r in _open_rights(_person("css")))


def _check_partner_scheme() -> None:
    assert _person("partner-scheme").family.scheme.is_partner
    assert len(_overlapping("partner-scheme")) == 2


def _check_other_scheme() -> None:
    scheme = _person("other-scheme").family.scheme
    assert not scheme.is_general and not scheme.is_partner


def _check_scheme_without_card() -> None:
    assert not _person("scheme-without-card").family.scheme.issues_carte_vitale


def _check_provisional_nir() -> None:
    assert _person("provisional-nir").nir_status == NirStatus.PROVISIONAL


def _check_waiting_nir() -> None:
    assert _person("waiting-nir").nir_status == NirStatus.WAITING


def _check_no_bank_details() -> None:
    person = _person("no-bank-details")
    assert person.iban == "" and _active_card(person)


def _check_npai() -> None:
    person = _person("npai")
    assert person.address_npai and not person.has_address


def _check_card_transfer_failed() -> None:
    person = _person("card-transfer-failed")
    assert person.cards.get().status == CardStatus.TRANSFER_FAILED
    assert _active_card(person) is None


def _check_card_in_transfer() -> None:
    assert _person("card-in-transfer").cards.get().status == CardStatus.IN_TRANSFER


def _check_no_active_card() -> None:
    person = _person("no-active-card")
    assert person.cards.exists() and _active_card(person) is None


def _check_card_without_photo() -> None:
    card = _active_card(_person("card-without-photo"))
    assert card is not None and not card.has_photo


def _check_faulty_card() -> None:
    assert _person("faulty-card").cards.get().status == CardStatus.FAULTY


def _check_card_withheld() -> None:
    assert _person("card-withheld").cards.get().withheld


def _check_overlap_two() -> None:
    overlapping = _overlapping("overlap-two")
    assert len(overlapping) == 2 and len(_members("overlap-two")) == 3
    contracts = ComplementaryContract.objects.filter(person__in=overlapping)
    assert not any(c.is_precarity for c in contracts)
    assert not _person("overlap-two").family.scheme.is_partner


def _check_overlap_five() -> None:
    assert len(_overlapping("overlap-five")) == 5


def _check_overlap_css() -> None:
    (person,) = _overlapping("overlap-css")
    today = clock.today()
    in_force = [c for c in person.complementary_contracts.all() if c.is_in_force_on(today)]
    assert any(c.is_precarity for c in in_force) and not all(c.is_precarity for c in in_force)


def _check_card_lost_2_days() -> None:
    assert _person("card-lost-2-days").cards.get().status == CardStatus.LOST
    assert _declared_ago("card-lost-2-days") == dt.timedelta(days=2)


def _check_card_stolen_5_days() -> None:
    assert _person("card-stolen-5-days").cards.get().status == CardStatus.STOLEN
    assert _declared_ago("card-stolen-5-days") == dt.timedelta(days=5)


def _check_card_lost_6_days() -> None:
    assert _person("card-lost-6-days").cards.get().status == CardStatus.LOST
    assert _declared_ago("card-lost-6-days") == dt.timedelta(days=6)


def _check_newborn_provisional_nir() -> None:
    (newborn,) = (m for m in _members("newborn-provisional-nir") if not m.is_rights_opener)
    assert newborn.nir_status == NirStatus.PROVISIONAL and newborn.age_on(clock.today()) == 0
    assert _person("newborn-provisional-nir").nir_status == NirStatus.CERTIFIED


def _check_daily_allowances() -> None:
    payments = selectors.family_payments(family_id=_person("daily-allowances").family_id)
    assert payments.count() > 40  # more than two pages of « Mes paiements » (20 a page)
    assert payments.filter(kind=PaymentKind.DAILY_ALLOWANCE).count() >= 3
    # « Arrêts de travail »: a sick leave and its extension, every allowance in one of them
    stoppages = selectors.work_stoppages(person=_person("daily-allowances"))
    assert [s.is_extension for s in stoppages] == [True, False]
    assert stoppages[1].end_date + dt.timedelta(days=1) == stoppages[0].start_date
    allowances = payments.filter(kind=PaymentKind.DAILY_ALLOWANCE)
    assert sum(len(s.payments.all()) for s in stoppages) == allowances.count()
    for stoppage in stoppages:
        for payment in stoppage.payments.all():
            assert stoppage.start_date <= payment.care_date <= payment.period_end
            assert payment.period_end <= stoppage.end_date


def _check_create_account() -> None:
    person = _person("create-account")
    card = _active_card(person)
    assert card is not None and card.has_photo and person.iban
    assert person.family.scheme.is_general and person.nir_status == NirStatus.CERTIFIED
    assert not User.objects.filter(person=person).exists()


def _check_franceconnect() -> None:
    # FranceConnect's public integration identity.
    person = _person("franceconnect")
    assert (person.first_names, person.last_name) == ("Angela Claire Louise", "DUBOIS")
    assert person.birth_date == dt.date(1962, 8, 24)
    assert (person.gender, person.birth_place_insee) == ("female", "75107")
    assert _active_card(person) and person.iban
    assert not User.objects.filter(person=person).exists()


def _check_name_changed() -> None:
    person = _person("name-changed")
    card = _active_card(person)
    assert card is not None and person.display_last_name == "DUMAS"
    assert card.printed_name == "SOPHIE LEROY" != person.card_name


def _check_bank_change() -> None:
    person = _person("bank-change")
    assert person.iban and User.objects.filter(person=person).exists()


def _check_two_parents() -> None:
    """SIT22: Léa, under 16, NIR certified, not attached yet; her father is « other-parent »."""
    (lea,) = (m for m in _members("two-parents") if not m.is_rights_opener)
    assert lea.age_on(clock.today()) < 16 and lea.nir_status == NirStatus.CERTIFIED
    assert not hasattr(lea, "second_parent_attachment")


def _check_other_parent() -> None:
    """SIT23: a rights opener of another family, with an account to see Léa arrive."""
    person = _person("other-parent")
    assert person.family_id != _person("two-parents").family_id
    assert person.is_rights_opener and User.objects.filter(person=person).exists()


def _check_mamie_francoise() -> None:
    """Issue 17, the procuration guide's use case: an elderly insured of the fund whose agent
    « accueil » holds the agenda, with an account to book from. Her power to her nephew and
    her appointment are the apps' demo state (tests/appointments/test_demo.py)."""
    person = _person("mamie-francoise")
    assert person.age_on(clock.today()) >= 80
    assert person.family.fund.code == next(a.fund for a in AGENTS if a.username == "accueil")
    assert User.objects.filter(person=person).exists()


CHECKS: dict[str, Callable[[], None]] = {
    name.removeprefix("_check_").replace("_", "-"): check
    for name, check in list(globals().items())
    if name.startswith("_check_")
}


def test_every_persona_has_a_check():
    assert set(CHECKS) == {p.key for p in PERSONAS}


@pytest.mark.parametrize("key", sorted(CHECKS))
def test_persona_covers_its_situation(seeded, key):
    CHECKS[key]()


def test_family_dependants_have_valid_nirs(seeded):
    for person in Person.objects.exclude(nir=None):
        validate_nir(person.nir)


def test_children_keep_their_age_when_seeded_later(seeded, frozen):
    frozen.move_to(dt.datetime(2029, 3, 1, 9, tzinfo=dt.UTC))
    from guichet.demo import services

    services.demo_seed()
    _check_family_of_four()
    assert Person.objects.count() == sum(1 + len(p.members) for p in PERSONAS)


def test_personas_cite_rules_and_cover_the_situations_the_rules_need():
    cited = {rule for p in PERSONAS for rule in p.rules}
    assert all(re.fullmatch(r"(?:[GCPAOV]|SIT)\d+", rule) for rule in cited)
    needed = {"G4", "A1", "A3", "A4", "A5", "C2", "C4", "C9", "O1", "O4", "P4", "V2", "V4", "V5"}
    assert needed <= cited
