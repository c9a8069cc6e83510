"""Names and postal addresses printed on documents (issue 13): the characters of French civil
status and postal addresses, a French message naming the refused one; every accepted
character prints under PDF/UA-1 with the documents' fonts."""

import pytest
from django.core.exceptions import ValidationError

from guichet.certificates import pdf
from guichet.reference import validators
from guichet.reference.validators import (
    validate_address_line,
    validate_no_control_characters,
    validate_person_name,
)


@pytest.mark.parametrize(
    "name",
    [
        "Dupont",
        "Le Bihan-Kervella",
        "D'Artagnan",
        "N’Diaye",
        "Éloïse",
        "Œdipe Lætitia",
        "Müller Groß",
        "Peña Łukasz Øster",
        "Nguyễn",
        "Cafe\u0301",  # « é » typed as « e » + combining accent (macOS): NFC makes it one letter
    ],
)
def test_civil_status_names_are_accepted(name):
    validate_person_name(name)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("東京", "« 東 », « 京 »"),
        ("Dupont2", "« 2 »"),
        ("Du<script>", "« < », « s »"),
        ("Paul\x00", "U+0000"),
        ("Pa\x85ul", "U+0085"),
        ("Paul\u202e", "U+202E"),
        ("Ivan Иванов", "« И »"),
    ],
)
def test_other_characters_are_refused_with_a_french_message_naming_them(name, shown):
    with pytest.raises(ValidationError) as error:
        validate_person_name(name)
    message = error.value.messages[0]
    assert message.startswith("Ce champ contient un caractère qui n'est pas accepté")
    assert shown.split(",")[0] in message
    assert "l'apostrophe et le trait d'union" in message


def test_a_name_has_a_letter():
    with pytest.raises(ValidationError, match="au moins une lettre"):
        validate_person_name("'-'")


@pytest.mark.parametrize(
    "line",
    ["12 bis, rue de l'Église", "Bât. A – Appt 4", "BP 12/14", "3° étage (fond de cour)"],
)
def test_address_lines(line):
    if "–" in line:  # the en dash is not an address character: the hyphen is
        with pytest.raises(ValidationError, match="« – »"):
            validate_address_line(line)
    else:
        validate_address_line(line)


def test_address_refuses_cjk_and_controls():
    for line in ("1-2-3 東京", "12 rue\x00", "12 rue\x9c"):
        with pytest.raises(ValidationError, match="n'est pas accepté"):
            validate_address_line(line)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1f", "\x7f", "\x85", "\x9f", "\ud800"])
def test_control_characters_are_refused(char):
    with pytest.raises(ValidationError, match="caractère de contrôle"):
        validate_no_control_characters(f"texte{char}")


def test_tab_and_line_breaks_are_kept_for_text_areas():
    validate_no_control_characters("ligne 1\r\nligne 2\tfin")


def test_every_accepted_character_prints_under_pdf_ua():
    """What the validators accept is what the fonts print: no download can fail on it."""
    letters = "".join(
        chr(code)
        for low, high in validators._LATIN_LETTER_RANGES
        for code in range(low, high + 1)
        if validators._is_latin_letter(chr(code))
    )
    data = {
        "kind": "tax",
        "title": "Relevé",
        "reference": "R-1",
        "issued_on": "01/01/2026",
        "fund": {"name": "CPAM", "code": "751", "address": "Paris"},
        "scheme": "Régime général",
        "insured": {
            "civility": "M.",
            "name": letters,
            "birth_name": "",
            "birth_date": "",
            "nir": "",
            "address": [validators.ADDRESS_PUNCTUATION],
        },
        "payments": [],
        "total": "0,00 €",
        "period": "année 2025",
    }
    compiler = pdf._compiler()
    side, modules = pdf.qr_modules("https://example.test/v")
    compiler.compile(
        sys_inputs={
            "data": pdf.json.dumps(data, ensure_ascii=False),
            "qr_side": str(side),
            "qr_modules": modules,
        },
        pdf_standards=pdf.PDF_STANDARDS,
    )
