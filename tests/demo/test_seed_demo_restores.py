"""seed_demo run again gives back every persona as docs/personas.md describes it.

Each persona's procedure is played through its service (the overlap resolved, a card ordered,
an account created, closed, its code changed, a power given or revoked, a persona locked out
by failed logins…); a second seed_demo must bring back the snapshot taken after the first.
"""

import datetime as dt
import io
import uuid

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from guichet.accounts import services as accounts_services
from guichet.accounts.enums import CodeChangeWay
from guichet.accounts.models import User
from guichet.cards import services as cards_services
from guichet.cards.enums import DeclarationKind
from guichet.cards.models import CardDeclaration, CardOrder
from guichet.cases.enums import CaseKind
from guichet.cases.models import Case
from guichet.cases.services import case_claim
from guichet.complementary import selectors as complementary_selectors
from guichet.complementary import services as complementary_services
from guichet.complementary.models import ChoiceRequest, Conflict
from guichet.demo.personas import PERSONAS, persona
from guichet.demo.services import persona_families
from guichet.enrollment import services as enrollment_services
from guichet.enrollment.enums import Way
from guichet.enrollment.models import EmailConfirmation
from guichet.notifications.models import Message, Notification
from guichet.powers import selectors as powers_selectors
from guichet.powers import services as powers_services
from guichet.powers.models import PowerOfAttorney
from guichet.reference.enums import Civility
from guichet.reference.models import Card, ComplementaryContract, Person
from tests.cards.factories import jpeg_bytes

pytestmark = pytest.mark.django_db

NEW_CODE = "Nouveau-Code-Demo!"


def _seed() -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _snapshot() -> dict[str, object]:
    """The personas' rows a procedure can change, by natural keys (never a pk that a
    re-creation would change), sorted."""
    families = persona_families()
    people = Person.objects.filter(family__in=families)
    users = User.objects.filter(person__in=people)

    def rows(queryset, *fields):
        return sorted(tuple(str(v) for v in row) for row in queryset.values_list(*fields))

    return {
        "people": rows(
            people,
            "nir",
            "first_names",
            "last_name",
            "usage_name",
            "address_line1",
            "address_line2",
            "postal_code",
            "city",
            "address_npai",
            "email",
            "mobile_phone",
            "landline_phone",
            "iban",
        ),
        "cards": rows(
            Card.objects.filter(person__in=people),
            "serial_number",
            "person__first_names",
            "status",
            "status_changed_at",
            "has_photo",
            "withheld",
            "printed_name",
        ),
        "contracts": rows(
            ComplementaryContract.objects.filter(person__in=people),
            "member_number",
            "start_date",
            "end_date",
            "kind",
            "payments_transmitted",
        ),
        "conflicts": rows(
            Conflict.objects.filter(family__in=families),
            "contract_a__member_number",
            "contract_b__member_number",
            "status",
            "exclusion",
            "request",
        ),
        "requests": rows(ChoiceRequest.objects.filter(family__in=families), "family__pk"),
        "cases": rows(Case.objects.filter(insured__in=people), "kind", "status"),
        "declarations": rows(
            CardDeclaration.objects.filter(card__person__in=people),
            "card__serial_number",
            "kind",
            "declared_at",
        ),
        "orders": rows(
            CardOrder.objects.filter(beneficiary__in=people),
            "beneficiary__nir",
            "status",
            "reason",
            "claimed_by",
            "submitted_at",
        ),
        "powers": rows(
            PowerOfAttorney.objects.filter(grantor__in=people),
            "grantor__nir",
            "status",
            "proxy_last_name",
            "proxy_first_name",
            "proxy_birth_date",
            "valid_until",
            "uses__agent__username",
        ),
        "accounts": rows(
            users,
            "username",
            "email",
            "email_confirmed_at",
            "is_active",
            "information_consent",
        ),
        "confirmations": rows(EmailConfirmation.objects.filter(user__in=users), "email"),
        "notifications": rows(Notification.objects.filter(recipient__in=users), "title"),
        "messages": rows(Message.objects.filter(recipient__in=users), "subject"),
    }


def _account(key: str) -> User:
    return User.objects.select_related("person").get(username=persona(key).nir)


def _jpeg(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def _resolve_overlap(key: str) -> None:
    """The insured chooses, then the back office applies the choice and closes the case (O7)."""
    user = _account(key)
    current = complementary_selectors.situation(family_id=user.person.family_id)
    choices = {b.person.pk: b.contracts[-1].pk for b in current.beneficiaries}
    request = complementary_services.choice_request_submit(user=user, choices=choices)
    agent = User.objects.get(username="backoffice")
    case = Case.objects.get(subject_id=request.pk, kind=CaseKind.COMPLEMENTARY_CHOICE)
    case_claim(case_id=case.pk, agent=agent)
    complementary_services.choice_request_apply(request_id=request.pk, agent=agent)
    complementary_services.choice_request_close(request_id=request.pk, agent=agent)


def _order_card(key: str) -> None:
    user = _account(key)
    order = cards_services.card_order_start(user=user, beneficiary=user.person)
    cards_services.card_order_attach_photo(order=order, upload=_jpeg("photo.jpg"))
    cards_services.card_order_attach_document(
        order=order, document_type="passport", upload=_jpeg("passeport.jpg")
    )
    order.refresh_from_db()
    cards_services.card_order_submit(order=order, user=user)


def _reject_documented_order() -> None:
    agent = User.objects.get(username="backoffice")
    order = CardOrder.objects.get(beneficiary__nir=persona("faulty-card").nir)
    assert cards_services.card_order_claim(order_id=order.pk, agent=agent)
    cards_services.card_order_review(order=order, agent=agent, accept=False, reason="Photo floue")


def _create_account(key: str, email: str) -> None:
    enrollment_services.account_create(
        request=enrollment_services.AccountRequest(
            person=Person.objects.get(nir=persona(key).nir),
            way=Way.CARTE_VITALE,
            password_hash=make_password(NEW_CODE),
            email=email,
            landline_phone="01 23 45 67 89",
            information_consent=True,
        )
    )


def _play_every_procedure() -> None:
    _resolve_overlap("overlap-two")
    _order_card("card-lost-2-days")
    _reject_documented_order()
    family = _account("family-of-four")
    card = Card.objects.get(serial_number=persona("family-of-four").cards[0].serial)
    cards_services.card_declare(user=family, card=card, kind=DeclarationKind.STOLEN)
    powers_services.power_give(
        grantor=family.person,
        by=family,
        proxy=powers_services.ProxyIdentity(
            civility=Civility.MR,
            last_name="DUPONT",
            usage_name="",
            first_name="Paul",
            birth_date=dt.date(1980, 4, 16),
        ),
        idempotency_key=uuid.uuid4(),
    )
    accounts_services.code_set(user=family, code=NEW_CODE, way=CodeChangeWay.CHANGE)
    etm = _account("etm")
    power = powers_selectors.current_power(person=etm.person)
    assert power is not None
    powers_services.power_revoke(power_id=power.pk, grantor=etm.person, by=etm)
    accounts_services.account_close(
        user=_account("daily-allowances"), code=persona("daily-allowances").code, ip="127.0.0.1"
    )
    _create_account("create-account", "elodie.renaud@exemple.fr")
    User.objects.filter(username=persona("etm").nir).update(email="nouvelle@exemple.fr")
    _create_account("franceconnect", "etm@demo.example")  # the address etm gets back
    npai = persona("npai")
    for _ in range(12):
        accounts_services.insured_authenticate(nir=npai.nir, code="Mauvais-Code-1", ip="127.0.0.1")


def test_seed_demo_again_gives_back_every_persona(frozen):
    _seed()
    documented = _snapshot()
    _play_every_procedure()
    changed = _snapshot()
    assert {name for name in documented if changed[name] != documented[name]} == {
        "people",
        "cards",
        "contracts",
        "conflicts",
        "requests",
        "cases",
        "declarations",
        "orders",
        "powers",
        "accounts",
        "confirmations",
        "notifications",
    }
    _seed()
    assert _snapshot() == documented
    for item in PERSONAS:
        if item.has_account:
            result = accounts_services.insured_authenticate(
                nir=item.nir, code=item.code, ip="127.0.0.1"
            )
            assert result.user is not None, (item.key, result.error)
        else:
            assert not User.objects.filter(person__nir=item.nir).exists(), item.key
    assert complementary_selectors.situation(
        family_id=_account("overlap-two").person.family_id
    ).choice_pending


def test_seed_demo_restores_with_a_few_queries_per_persona(frozen, django_assert_max_num_queries):
    """The work is bounded by the personas, whatever the size of the database. 64 a persona since
    every demo CPAM has its front desk and supervisor (issue 17) and the funds their services
    (issue 19): 1,908 statements for 31 personas measured on 2026-12-03."""
    _seed()
    with django_assert_max_num_queries(64 * len(PERSONAS)):
        _seed()
