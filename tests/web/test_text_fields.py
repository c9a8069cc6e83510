"""Issue 13: web forms that take names and addresses accept civil-status and postal-address
characters only, with a French message; NUL and other controls are refused everywhere."""

import pytest

from guichet.interfaces.agents.cards.forms import ReviewForm
from guichet.interfaces.web.account.forms import RatingForm
from guichet.interfaces.web.powers.forms import ProxyForm
from guichet.interfaces.web.situation.forms import AddressForm

PROXY = {
    "civility": "M",
    "last_name": "Dupont",
    "usage_name": "",
    "first_name": "Paul",
    "birth_date": "16/04/1980",
}
ADDRESS = {"line1": "3 rue Neuve", "line2": "", "postal_code": "69001", "city": "Lyon"}


@pytest.mark.parametrize("value", ["東京", "Paul2", "Pa\x85ul", "Pa\x00ul"])
@pytest.mark.parametrize("field", ["last_name", "usage_name", "first_name"])
def test_proxy_names(field, value):
    form = ProxyForm({**PROXY, field: value})
    assert not form.is_valid()
    assert form.errors[field][0].startswith(("Ce champ contient", "Les caractères nuls"))


def test_proxy_names_are_kept_in_nfc():
    form = ProxyForm({**PROXY, "first_name": " Ele\u0301onore ", "last_name": "N’Diaye"})
    assert form.is_valid(), form.errors
    assert form.to_draft()["first_name"] == "El\u00e9onore"


@pytest.mark.parametrize("value", ["1-2-3 東京", "3 rue\x85 Neuve", "<script>", "3 rue\x00"])
@pytest.mark.parametrize("field", ["line1", "line2", "city"])
def test_address_lines(field, value):
    form = AddressForm({**ADDRESS, field: value})
    assert not form.is_valid()
    assert form.errors[field]


def test_a_real_address_is_accepted():
    form = AddressForm({**ADDRESS, "line1": "12 bis, rue de l'Église", "line2": "Bât. A, n° 4"})
    assert form.is_valid(), form.errors


def test_free_text_areas_refuse_controls_but_keep_line_breaks():
    assert not ReviewForm({"decision": "reject", "reason": "Photo\x85 floue"}).is_valid()
    assert ReviewForm({"decision": "reject", "reason": "Photo floue.\r\nRecommencez."}).is_valid()
    rating = RatingForm({"score": "5", "comment": "Très bien\x07"})
    assert not rating.is_valid()
    assert "caractère de contrôle" in rating.errors["comment"][0]
