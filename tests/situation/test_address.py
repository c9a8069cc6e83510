"""« Changement d'adresse postale » (rules SIT1, SIT2; A4 and V4 use the new address at once)."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from guichet.cards import rules as card_rules
from guichet.certificates import services as certificate_services
from guichet.certificates.enums import Channel, Outcome
from guichet.notifications.models import Notification, OutboundEmail
from guichet.reference import postal
from guichet.situation import services
from tests.factories import InsuredUserFactory

pytestmark = pytest.mark.django_db

NEW = {
    "line1": "3 rue d'Echallon",
    "line2": "Bâtiment B",
    "postal_code": "01100",
    "city": "Oyonnax",
}


def _change(user, **fields):
    return services.person_address_change(person=user.person, user=user, **{**NEW, **fields})


@pytest.mark.parametrize(
    ("postal_code", "city"),
    [
        ("01100", "Oyonnax"),
        ("01100", "OYONNAX"),
        ("42000", "St Etienne"),  # « St » for « Saint », no accent, no hyphen
        ("42000", "saint-étienne"),
        ("75011", "Paris"),  # La Poste's « libellé d'acheminement » of an arrondissement
        ("75011", "Paris 11e Arrondissement"),  # the commune's own name
        ("97400", "Saint-Denis"),
    ],
)
def test_sit1_a_commune_served_by_its_postal_code_is_accepted(postal_code, city):
    postal.validate_postal_code_and_city(postal_code=postal_code, city=city)


def test_sit1_an_unknown_postal_code_is_refused_on_its_field():
    with pytest.raises(ValidationError) as refused:
        postal.validate_postal_code_and_city(postal_code="99999", city="Paris")
    assert refused.value.message_dict == {"postal_code": [postal.UNKNOWN_POSTAL_CODE]}


def test_sit1_a_commune_not_served_names_the_communes_of_the_postal_code():
    with pytest.raises(ValidationError) as refused:
        postal.validate_postal_code_and_city(postal_code="01100", city="Lyon")
    (message,) = refused.value.message_dict["city"]
    assert message.startswith("La commune ne correspond pas au code postal 01100.")
    assert "Communes desservies : Apremont, Arbent, Bellignat" in message and "Oyonnax" in message


def test_sit1_an_arrondissement_is_named_as_la_poste_writes_it():
    with pytest.raises(ValidationError) as refused:
        postal.validate_postal_code_and_city(postal_code="75011", city="Lyon")
    assert refused.value.message_dict["city"] == [
        "La commune ne correspond pas au code postal 75011. Commune desservie : Paris."
    ]


@time_machine.travel("2026-03-02 10:00 +01:00", tick=False)
def test_sit2_the_new_address_replaces_the_old_clears_npai_and_tells_the_person():
    user = InsuredUserFactory(person__npai=True)
    person = _change(user)
    person.refresh_from_db()
    assert (person.address_line1, person.address_line2, person.postal_code, person.city) == (
        "3 rue d'Echallon",
        "Bâtiment B",
        "01100",
        "Oyonnax",
    )
    assert not person.address_npai and person.has_address
    notice = Notification.objects.get(recipient=user)
    assert notice.title == "Adresse postale modifiée" and "01100 Oyonnax" in notice.body
    email = OutboundEmail.objects.get()
    assert email.to == user.email and email.subject == "Votre adresse postale a été modifiée"
    assert "le 02/03/2026 à 10:00" in email.body_text and "01100 Oyonnax" in email.body_text
    assert "Echallon" not in email.body_text  # no street line in an email
    assert "contactez tout de suite votre caisse" in email.body_text


def test_sit2_the_attestation_and_the_card_order_use_the_new_address_at_once():
    user = InsuredUserFactory(person__npai=True)
    person = user.person

    def rights():
        return certificate_services.rights_certificate_issue(
            person=person, user=user, channel=Channel.WEB, beneficiary_id=None, mentions=[]
        )

    assert rights().outcome == Outcome.ADDRESS_UNKNOWN
    assert card_rules.exclusion(holder=person, beneficiary=person).code == "npai"
    _change(user)
    result = rights()
    assert result.outcome == Outcome.ISSUED
    assert "01100 Oyonnax" in result.issuance.data["insured"]["address"]
    after = card_rules.exclusion(holder=person, beneficiary=person)
    assert after is None or after.code != "npai"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"line1": ""}, {"line1": ["Ce champ est obligatoire."]}),
        ({"city": ""}, {"city": ["Ce champ est obligatoire."]}),
        ({"postal_code": "1100"}, {"postal_code": ["Le code postal comporte 5 chiffres."]}),
        ({"postal_code": "99999"}, {"postal_code": [postal.UNKNOWN_POSTAL_CODE]}),
        ({"line1": "3 rue <b>"}, None),
        ({"city": "Oyonnax\x00"}, None),
    ],
)
def test_sit1_every_bad_field_is_refused_and_nothing_is_changed(fields, errors):
    user = InsuredUserFactory(person__npai=True)
    with pytest.raises(ValidationError) as refused:
        _change(user, **fields)
    if errors is not None:
        assert refused.value.message_dict == errors
    else:
        assert set(refused.value.message_dict) == set(fields)
    user.person.refresh_from_db()
    assert user.person.address_npai and user.person.postal_code == "75002"
    assert not OutboundEmail.objects.exists() and not Notification.objects.exists()
