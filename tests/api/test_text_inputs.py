"""Issue 13: no control character in any API input, names and addresses checked as on the web.

Every endpoint that takes text is sent NUL (which PostgreSQL cannot store: a 500 before) and
a C1 control (U+0085) in each of its text fields: each answers 422 in the API's error shape,
the field named, with a French message."""

import datetime as dt
import uuid

import pytest

from guichet.powers.models import PowerOfAttorney
from tests.cards.factories import jpeg_bytes, pdf_bytes, upload
from tests.factories import CardFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

CONTROLS = ["\u0000", "\u0085"]


def power(**extra) -> dict:
    return {
        "civility": "M",
        "last_name": "Dupont",
        "usage_name": "",
        "first_name": "Paul",
        "birth_date": "1980-04-16",
        "certify": True,
        "idempotency_key": str(uuid.uuid4()),
        **extra,
    }


ADDRESS = {"line1": "3 rue Neuve", "line2": "", "postal_code": "69001", "city": "Lyon"}
ENROLLMENT = {
    "last_name": "Dupont",
    "nir": "1 84 12 75 123 456 78",
    "birth_date": "1984-12-01",
    "postal_code": "75002",
    "iban_end": "1234567",
    "serial_end": "12345678901",
    "code": "Motdepasse1",
    "code_confirmation": "Motdepasse1",
    "email": "paul@example.test",
    "mobile_phone": "",
    "landline_phone": "",
    "information_consent": False,
}
# (path, body, text fields): every operation of the API whose body has a string.
CASES = [
    ("/auth/token", {"nir": "1 84 12 75 123 456 78", "code": "Motdepasse1"}, ["nir", "code"]),
    ("/auth/refresh", {"refresh_token": "abc"}, ["refresh_token"]),
    ("/auth/revoke", {"token": "abc"}, ["token"]),
    ("/enrollment", ENROLLMENT, [k for k, v in ENROLLMENT.items() if isinstance(v, str)]),
    ("/account/close", {"code": "Motdepasse1", "confirm": True}, ["code"]),
    ("/powers", power(), ["civility", "last_name", "usage_name", "first_name", "birth_date"]),
    ("/documents/address", ADDRESS, list(ADDRESS)),
    ("/documents/daily-allowance", {"start": "2026-01-01", "end": "2026-01-31"}, ["start"]),
    ("/documents/monthly", {"month": "2026-01-01"}, ["month"]),
    ("/documents/rights", {"mentions": ["etm"]}, ["mentions"]),
]


def _with(body: dict, field: str, char: str) -> dict:
    value = body[field]
    if isinstance(value, list):
        return {**body, field: [f"{value[0]}{char}"]}
    return {**body, field: f"{value}{char}x"}


@pytest.mark.parametrize("char", CONTROLS, ids=["NUL", "NEL"])
@pytest.mark.parametrize(("path", "body", "fields"), CASES, ids=[c[0] for c in CASES])
def test_every_text_field_refuses_control_characters(api, path, body, fields, char):
    for field in fields:
        response = api.post(path, _with(body, field, char))
        assert response.status_code == 422, (field, response.content)
        expected = field if not isinstance(body[field], list) else f"{field}.0"
        message = response.json()["fields"][expected][0]
        assert f"caractère de contrôle (U+{ord(char):04X})" in message


@pytest.mark.parametrize("char", CONTROLS, ids=["NUL", "NEL"])
def test_card_declaration_and_multipart_order_refuse_control_characters(
    api, api_user, char, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    card = CardFactory(person=api_user.person)
    response = api.post(f"/cards/{card.pk}/declare", {"kind": f"lost{char}"})
    assert response.status_code == 422
    assert "caractère de contrôle" in response.json()["fields"]["kind"][0]
    response = api.post_multipart(
        "/cards/orders",
        {
            "beneficiary_id": api_user.person.pk,
            "document_type": f"passport{char}",
            "photo": upload("selfie.jpg", jpeg_bytes()),
            "document": upload("passeport.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == 422
    assert "caractère de contrôle" in response.json()["fields"]["document_type"][0]


def test_query_strings_are_checked_too(api):
    response = api.get("/payments", page="1\x00")
    assert response.status_code == 422
    assert "caractère de contrôle (U+0000)" in response.json()["fields"]["page"][0]


def test_a_lone_surrogate_is_refused(api):
    response = api.client.post(
        "/api/v1/documents/address",
        b'{"line1": "3 rue \\ud800", "postal_code": "69001", "city": "Lyon"}',
        content_type="application/json",
        headers=api._headers(),
    )
    assert response.status_code == 422
    assert "U+D800" in response.json()["fields"]["line1"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("last_name", "東京"), ("first_name", "Paul2"), ("usage_name", "<b>")],
)
def test_power_names_are_civil_status_names(api, field, value):
    response = api.post("/powers", power(**{field: value}))
    assert response.status_code == 422
    assert "n'est pas accepté" in response.json()["fields"][field][0]
    assert not PowerOfAttorney.objects.exists()


def test_power_names_with_accents_and_apostrophes_are_kept_in_nfc(api):
    response = api.post("/powers", power(last_name="N’Diaye-D'Arc", first_name="Ele\u0301onore"))
    assert response.status_code == 201, response.content
    assert response.json()["proxy_first_name"] == "El\u00e9onore"


@pytest.mark.parametrize(
    ("field", "value"), [("line1", "1-2-3 東京"), ("line2", "Appt <4>"), ("city", "Lyon\u202e")]
)
def test_address_lines_are_postal_address_characters(api, field, value):
    response = api.post("/documents/address", {**ADDRESS, field: value})
    assert response.status_code == 422
    assert "n'est pas accepté" in response.json()["fields"][field][0]


def test_birth_date_type_is_unchanged_by_the_check(api):
    response = api.post("/powers", power(birth_date=dt.date(1980, 4, 16).isoformat()))
    assert response.status_code == 201
