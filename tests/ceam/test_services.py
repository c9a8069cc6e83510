"""CEAM orders (rules CEAM1-CEAM8): each rule and exclusion in the service, the dispatch
command, the provisional replacement certificate."""

import datetime as dt
import io

import pypdf
import pytest
import time_machine
from django.core.management import call_command

from guichet.accounts.models import User
from guichet.ceam import rules, selectors, services
from guichet.ceam.enums import CeamOrderStatus
from guichet.ceam.models import CeamOrder
from guichet.certificates import services as certificate_services
from guichet.certificates.enums import Channel, DocumentKind
from guichet.certificates.models import Issuance
from guichet.core.refusals import Refused
from guichet.notifications.models import Notification, OutboundEmail
from guichet.reference.enums import NirStatus
from guichet.reference.models import EuropeanHealthCard, RightsPeriod
from tests.factories import InsuredUserFactory, PersonFactory
from tests.situation.factories import NEWBORN_TODAY, girls_nir, newborn_for

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def order(user, beneficiary=None, departure_on=None):
    return services.ceam_order(
        user=user,
        beneficiary=beneficiary or user.person,
        departure_on=departure_on,
        channel=Channel.WEB,
    )


def test_order_for_self_is_expected_within_two_weeks_and_logged(insured):
    """CEAM5 and CEAM8: expected in 14 days, logged, a notice and an email."""
    placed = order(insured)
    assert placed.status == CeamOrderStatus.ORDERED
    assert placed.expected_on == dt.date(2026, 12, 16)  # CEAM5
    assert placed.provisional_certificate is None
    assert [(t.from_status, t.to_status) for t in placed.transitions.all()] == [("", "ordered")]
    assert Notification.objects.filter(recipient=insured, title="Commande de CEAM enregistrée")
    email = OutboundEmail.objects.get()
    assert email.subject == "Votre commande de carte européenne d'assurance maladie est enregistrée"
    assert "16/12/2026" in email.body_text
    assert insured.person.nir not in email.body_text


def test_order_for_a_dependant_of_the_family(insured):
    child = PersonFactory(
        family=insured.person.family, dependant=True, birth_date=dt.date(2020, 1, 1)
    )
    placed = order(insured, child)
    assert placed.beneficiary == child  # CEAM1: no minimum age


def test_another_family_member_is_refused(insured):
    """CEAM1: only the holder's family."""
    stranger = PersonFactory()
    with pytest.raises(Refused) as refused:
        order(insured, stranger)
    assert refused.value.code == "ceam_not_in_family"


def test_a_dependant_account_orders_only_for_themselves():
    opener = PersonFactory()
    dependant_user = InsuredUserFactory(
        person=PersonFactory(family=opener.family, dependant=True, nir="290017511101155")
    )
    with pytest.raises(Refused) as refused:
        order(dependant_user, opener)
    assert refused.value.code == "ceam_not_in_family"


def test_no_open_rights_is_refused(insured):
    RightsPeriod.objects.filter(person=insured.person).update(end_date=dt.date(2026, 11, 30))
    with pytest.raises(Refused) as refused:
        order(insured)
    assert refused.value.code == "ceam_no_rights"  # CEAM2
    assert not CeamOrder.objects.exists()


def test_npai_is_refused(insured):
    insured.person.address_npai = True
    insured.person.save()
    with pytest.raises(Refused) as refused:
        order(insured)
    assert refused.value.code == "ceam_npai"  # CEAM3


def test_a_dependant_without_own_address_uses_the_holders(insured):
    child = PersonFactory(family=insured.person.family, dependant=True)
    insured.person.address_npai = True
    insured.person.save()
    with pytest.raises(Refused) as refused:
        order(insured, child)
    assert refused.value.code == "ceam_npai"


def test_an_order_under_way_is_refused(insured):
    order(insured)
    with pytest.raises(Refused) as refused:
        order(insured)
    assert refused.value.code == "ceam_open_order"  # CEAM4


@pytest.mark.parametrize(
    ("valid_until", "allowed"),
    [(dt.date(2027, 6, 2), True), (dt.date(2027, 6, 3), False), (dt.date(2026, 1, 1), True)],
)
def test_a_card_valid_more_than_six_months_is_refused(insured, valid_until, allowed):
    EuropeanHealthCard.objects.create(
        person=insured.person, number="80250000000000000001", valid_until=valid_until
    )
    if allowed:
        assert order(insured).pk
    else:
        with pytest.raises(Refused) as refused:
            order(insured)
        assert refused.value.code == "ceam_card_still_valid"
        assert valid_until.strftime("%d/%m/%Y") in refused.value.message


@pytest.mark.parametrize(
    ("departure", "code"),
    [
        (dt.date(2026, 12, 1), "ceam_departure_past"),
        (dt.date(2027, 12, 3), "ceam_departure_too_far"),
    ],
)
def test_bad_departure_dates_are_refused(insured, departure, code):
    with pytest.raises(Refused) as refused:
        order(insured, departure_on=departure)
    assert refused.value.code == code
    assert refused.value.field == "departure_on"


def test_departure_before_the_card_gives_a_provisional_certificate(insured):
    placed = order(insured, departure_on=dt.date(2026, 12, 7))
    issuance = placed.provisional_certificate
    assert issuance.kind == DocumentKind.CEAM_PROVISIONAL
    assert issuance.valid_until == dt.date(2027, 3, 2)  # CEAM7: three months
    assert issuance.reference.startswith("CPR-")
    content = certificate_services.document_download(
        issuance=issuance, person=insured.person, user=insured, channel=Channel.WEB
    )
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = reader.pages[0].extract_text()
    assert "Certificat provisoire de remplacement" in text
    assert "02/12/2026" in text and "02/03/2027" in text
    assert reader.metadata.title.startswith("Certificat provisoire de remplacement de la CEAM")
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA-1)
    again = certificate_services.document_download(
        issuance=issuance, person=insured.person, user=insured, channel=Channel.WEB
    )
    assert again == content  # downloadable again, the same document
    assert "certificat provisoire" in OutboundEmail.objects.get().body_text


def test_certificate_validity_stops_at_the_end_of_rights(insured):
    RightsPeriod.objects.filter(person=insured.person).update(end_date=dt.date(2027, 1, 31))
    placed = order(insured, departure_on=dt.date(2026, 12, 16))
    assert placed.provisional_certificate.valid_until == dt.date(2027, 1, 31)


def test_departure_after_the_expected_day_gives_no_certificate(insured):
    placed = order(insured, departure_on=dt.date(2026, 12, 17))
    assert placed.provisional_certificate is None


def test_dispatch_after_ten_days_creates_the_card_once(insured):
    placed = order(insured)
    call_command("ceam_orders_dispatch", stdout=io.StringIO())
    placed.refresh_from_db()
    assert placed.status == CeamOrderStatus.ORDERED
    with time_machine.travel(TODAY + dt.timedelta(days=rules.DISPATCH_DAYS), tick=False):
        out = io.StringIO()
        call_command("ceam_orders_dispatch", stdout=out)
        assert out.getvalue().strip() == "1 CEAM envoyée(s)."
        call_command("ceam_orders_dispatch", stdout=io.StringIO())  # idempotent
    placed.refresh_from_db()
    assert placed.status == CeamOrderStatus.SENT
    assert placed.sent_on == dt.date(2026, 12, 12)
    card = placed.card
    assert len(card.number) == 20 and card.number.isdigit()
    assert card.valid_until == dt.date(2028, 12, 12)  # CEAM6: two years
    assert EuropeanHealthCard.objects.filter(person=insured.person).count() == 1
    assert [t.to_status for t in placed.transitions.all()] == ["ordered", "sent"]
    assert (
        OutboundEmail.objects.filter(
            subject="Votre carte européenne d'assurance maladie a été envoyée"
        ).count()
        == 1
    )
    notice = Notification.objects.get(recipient=insured, title="CEAM envoyée")
    assert (notice.about_type.model, notice.about_id) == ("ceamorder", placed.pk)  # ECH5
    # once sent, a new order is refused while the card is valid more than six months (CEAM4)
    with pytest.raises(Refused):
        order(insured)


def test_seed_demo_deletes_the_orders_a_demo_left(insured):
    """The personas' families order again after seed_demo (guichet.ceam.demo)."""
    from guichet.ceam import demo
    from guichet.demo.personas import persona
    from guichet.demo.services import demo_seed

    demo_seed()
    user = User.objects.get(username=persona("family-of-four").nir)
    child = user.person.family.members.exclude(pk=user.person_id).first()
    order(user, child)
    order(insured)  # not a persona: kept
    demo.seed(io.StringIO())
    assert list(CeamOrder.objects.values_list("ordered_by", flat=True)) == [insured.pk]


def test_a_newborn_declared_online_gets_no_ceam_until_the_fund_certifies_the_nir():
    """CEAM9: the child of « Déclaration du nouveau-né » is in the family at once, with rights
    and a provisional NIR, on the parent's word and an unchecked birth certificate (SIT19). A
    CEAM and its provisional certificate, the proof of coverage shown to a foreign hospital,
    were issued at once for such a child: anyone could obtain one for a person who does not
    exist. The fund certifies the NIR first (SIT20)."""
    with time_machine.travel(NEWBORN_TODAY, tick=False):
        parent = InsuredUserFactory(person__last_name="GIRARD")
        child = newborn_for(parent).child
        with pytest.raises(Refused) as refused:
            order(parent, child, departure_on=dt.date(2026, 3, 12))
        assert refused.value.code == rules.NIR_NOT_CERTIFIED.code == "ceam_nir_not_certified"
        assert not CeamOrder.objects.exists()
        assert not Issuance.objects.filter(kind=DocumentKind.CEAM_PROVISIONAL).exists()
        choice = next(
            c for c in selectors.beneficiary_choices(holder=parent.person) if c.person == child
        )
        assert choice.exclusion == rules.NIR_NOT_CERTIFIED  # shown before the form (CEAM9)
        child.nir, child.nir_status = girls_nir(), NirStatus.CERTIFIED
        child.save()
        assert order(parent, child, departure_on=dt.date(2026, 3, 12)).provisional_certificate


@pytest.mark.parametrize("status", [NirStatus.PROVISIONAL, NirStatus.WAITING])
def test_an_uncertified_nir_is_excluded(insured, status):
    """CEAM9, for any NIR the fund has not certified (a provisional or a waiting number)."""
    child = PersonFactory(family=insured.person.family, dependant=True, nir_status=status)
    with pytest.raises(Refused) as refused:
        order(insured, child)
    assert refused.value.code == "ceam_nir_not_certified"
