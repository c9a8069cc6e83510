"""Issuing documents: data from the records, PDF text, mentions, injection safety, verification."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
import zxingcpp
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader

from guichet.certificates import references, selectors, services
from guichet.certificates.enums import Channel, Mention, Outcome
from guichet.certificates.models import Download
from guichet.situation import services as situation_services
from tests.certificates.helpers import family_user, pdf_text
from tests.factories import PaymentFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def _rights(user, beneficiary_id=None, mentions=()):
    return services.rights_certificate_issue(
        person=user.person,
        user=user,
        channel=Channel.WEB,
        beneficiary_id=beneficiary_id,
        mentions=mentions,
    )


def _pdf(user, issuance):
    return pdf_text(
        services.document_download(
            issuance=issuance, person=user.person, user=user, channel=Channel.WEB
        )
    )


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("channel", Channel.values)
def test_g6_one_service_for_the_web_the_app_and_the_kiosk(channel):
    """G6: the web account, the mobile app and the kiosk (BMS) issue the attestation de droits
    through the same service; the issuance and each download record the channel."""
    user = family_user()
    signed_in = None if channel == Channel.KIOSK else user  # the kiosk knows a card, no account
    result = services.rights_certificate_issue(
        person=user.person, user=signed_in, channel=channel, beneficiary_id=None, mentions=()
    )
    assert result.outcome == Outcome.ISSUED
    assert (result.issuance.channel, result.issuance.user) == (channel, signed_in)
    services.document_download(
        issuance=result.issuance, person=user.person, user=signed_in, channel=channel
    )
    assert Download.objects.get(issuance=result.issuance).channel == channel


@time_machine.travel(TODAY, tick=False)
def test_a1_whole_family_lists_every_covered_beneficiary():
    user = family_user()
    result = _rights(user)
    assert result.outcome == Outcome.ISSUED
    text = _pdf(user, result.issuance)
    for name in ("Corinne Chevalerias", "Adrik Reglain", "Nikita Reglain", "Dr Claire Martin"):
        assert name in text
    assert result.issuance.reference in text
    assert "Attestation de droits" in text
    assert result.issuance.beneficiary is None
    assert Download.objects.filter(issuance=result.issuance, user=user).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_a1_one_beneficiary_only():
    user = family_user()
    child = next(
        c.person
        for c in selectors.covered_members(family_id=user.person.family_id, day=TODAY.date())
        if c.person.first_names == "Nikita"
    )
    result = _rights(user, beneficiary_id=child.pk)
    text = _pdf(user, result.issuance)
    assert "Nikita Reglain" in text
    assert "Adrik" not in text
    assert result.issuance.holder_initials == "N. R."


@time_machine.travel(TODAY, tick=False)
def test_a1_mentions_printed_only_when_chosen_and_applicable():
    user = family_user(
        rights={
            "ticket_moderateur_exemption": True,
            "exemption_reason": "ALD",
            "solidarity_coverage": "css",
        }
    )
    covered = selectors.covered_members(family_id=user.person.family_id, day=TODAY.date())
    assert selectors.applicable_mentions(covered) == [Mention.ETM, Mention.SOLIDARITY]

    without = _pdf(user, _rights(user).issuance)
    assert "Exonération du ticket modérateur" not in without
    assert "Complémentaire santé solidaire" not in without

    with_etm = _pdf(user, _rights(user, mentions=[Mention.ETM]).issuance)
    assert "Exonération du ticket modérateur (ALD)" in with_etm
    assert "Complémentaire santé solidaire" not in with_etm

    both = _pdf(user, _rights(user, mentions=[Mention.ETM, Mention.SOLIDARITY]).issuance)
    assert "Complémentaire santé solidaire" in both


@time_machine.travel(TODAY, tick=False)
def test_a1_mentions_are_not_offered_when_they_do_not_apply():
    user = family_user()
    covered = selectors.covered_members(family_id=user.person.family_id, day=TODAY.date())
    assert selectors.applicable_mentions(covered) == []
    text = _pdf(user, _rights(user, mentions=[Mention.ETM]).issuance)
    assert "Exonération" not in text


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("name", ["#set page(width: 1cm)", "]", "*gras* $x$ <label> @ref"])
def test_names_are_data_never_markup(name):
    user = family_user(last_name=name)
    text = _pdf(user, _rights(user).issuance)
    assert f"Corinne {name}" in text


@time_machine.travel(TODAY, tick=False)
def test_a3_no_open_rights_is_refused_before_anything():
    user = family_user(rights=False)
    with pytest.raises(services.NotOffered):
        _rights(user)


@time_machine.travel(TODAY, tick=False)
def test_a4_outcomes_address_unknown_and_cannot_issue():
    npai = family_user(npai=True)
    assert _rights(npai).outcome == Outcome.ADDRESS_UNKNOWN
    provisional = family_user(provisional=True)
    assert _rights(provisional).outcome == Outcome.CANNOT_ISSUE


@time_machine.travel(TODAY, tick=False)
def test_a5_daily_allowance_certificate_over_a_period():
    user = family_user()
    PaymentFactory(
        beneficiary=user.person,
        daily_allowance=True,
        care_date=dt.date(2026, 1, 5),
        period_end=dt.date(2026, 1, 20),
        paid_on=dt.date(2026, 1, 25),
        amount=Decimal("412.30"),
    )
    PaymentFactory(
        beneficiary=user.person,
        daily_allowance=True,
        care_date=dt.date(2025, 6, 1),
        period_end=dt.date(2025, 6, 10),
        paid_on=dt.date(2025, 6, 15),
        amount=Decimal("99.00"),
    )
    result = services.daily_allowance_certificate_issue(
        person=user.person,
        user=user,
        channel=Channel.WEB,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 2, 28),
    )
    text = _pdf(user, result.issuance)
    assert "412,30 €" in text
    assert "99,00" not in text
    assert "du 01/01/2026 au 28/02/2026" in text
    with pytest.raises(services.NotOffered):
        services.daily_allowance_certificate_issue(
            person=user.person,
            user=user,
            channel=Channel.WEB,
            start=dt.date(2025, 9, 1),
            end=dt.date(2025, 10, 1),
        )


@time_machine.travel(TODAY, tick=False)
def test_a5_monthly_statement_lists_the_family_payments_of_the_month():
    user = family_user()
    child = PersonFactory(dependant=True, family=user.person.family, first_names="Milia")
    PaymentFactory(
        beneficiary=child,
        paid_on=dt.date(2026, 2, 3),
        amount=Decimal("25.00"),
        label="Consultation pédiatre",
    )
    PaymentFactory(beneficiary=user.person, paid_on=dt.date(2026, 1, 3), amount=Decimal("7.00"))
    months = selectors.months_with_payments(
        family_id=user.person.family_id,
        months=[dt.date(2026, 3, 1), dt.date(2026, 2, 1), dt.date(2026, 1, 1)],
    )
    assert months == [dt.date(2026, 2, 1), dt.date(2026, 1, 1)]
    result = services.monthly_statement_issue(
        person=user.person, user=user, channel=Channel.WEB, month=dt.date(2026, 2, 1)
    )
    text = _pdf(user, result.issuance)
    assert "Consultation pédiatre" in text and "Milia" in text and "février 2026" in text
    assert "7,00" not in text


def test_a5_tax_statement_offered_six_months_only():
    with time_machine.travel(TODAY, tick=False):
        user = family_user()
        PaymentFactory(
            beneficiary=user.person,
            daily_allowance=True,
            paid_on=dt.date(2025, 4, 2),
            amount=Decimal("1234.56"),
        )
        result = services.tax_statement_issue(person=user.person, user=user, channel=Channel.WEB)
        text = _pdf(user, result.issuance)
        assert "1 234,56 €" in text and "année 2025" in text
    with (
        time_machine.travel(dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC), tick=False),
        pytest.raises(services.NotOffered),
    ):
        services.tax_statement_issue(person=user.person, user=user, channel=Channel.WEB)


@time_machine.travel(TODAY, tick=False)
def test_verification_accepts_a_genuine_document_and_shows_initials_only():
    user = family_user()
    issuance = _rights(user).issuance
    code = services.issuance_qr_code(issuance)
    for result in (
        selectors.verify(code=code, day=TODAY.date()),
        selectors.verify(reference=issuance.reference.lower().replace("-", " "), day=TODAY.date()),
    ):
        assert result.genuine
        assert result.initials == "C. C."
        assert result.still_valid
        assert result.valid_until == dt.date(2026, 6, 10)
    later = selectors.verify(code=code, day=dt.date(2026, 6, 11))
    assert later.genuine and not later.still_valid


@time_machine.travel(TODAY, tick=False)
def test_verification_refuses_altered_or_unknown_documents():
    user = family_user()
    issuance = _rights(user).issuance
    code = services.issuance_qr_code(issuance)
    tampered = code[:-3] + ("AAA" if code[-3:] != "AAA" else "BBB")
    assert not selectors.verify(code=tampered, day=TODAY.date()).genuine
    # The same fields signed with another key.
    with override_settings(SECRET_KEY="another-key-" + "x" * 50):
        forged = references.qr_code(reference=issuance.reference, issued_on=dt.date(2026, 3, 10))
    assert selectors.verify(code=forged, day=TODAY.date()).reason == selectors.ALTERED
    # Another date, with the signature of the genuine code.
    assert code.split(".")[1] == "20260310"
    redated = code.replace(".20260310.", ".20260311.")
    assert selectors.verify(code=redated, day=TODAY.date()).reason == selectors.ALTERED
    # Text without the QR code's shape is read as a typed reference (issue 14: one answer).
    assert selectors.verify(code="n'importe quoi", day=TODAY.date()).reason == selectors.UNKNOWN
    assert selectors.verify(code="a.b.c", day=TODAY.date()).reason == selectors.ALTERED
    # A reference with one character changed fails its check characters.
    altered = issuance.reference[:-1] + ("0" if issuance.reference[-1] != "0" else "1")
    assert selectors.verify(reference=altered, day=TODAY.date()).reason == selectors.UNKNOWN
    # A well-formed reference that was never issued.
    unknown = references.new_reference("rights")
    assert selectors.verify(reference=unknown, day=TODAY.date()).reason == selectors.UNKNOWN
    # A QR code signed with the right key but whose fields disagree with the records.
    lying = references.qr_code(reference=issuance.reference, issued_on=dt.date(2026, 3, 9))
    assert selectors.verify(code=lying, day=TODAY.date()).reason == selectors.ALTERED


@time_machine.travel(TODAY, tick=False)
def test_address_update_clears_npai_and_then_the_document_is_issued():
    user = family_user(npai=True)
    situation_services.person_address_change(
        person=user.person,
        user=user,
        line1="3 rue d'Echallon",
        line2="",
        postal_code="01100",
        city="Oyonnax",
    )
    user.person.refresh_from_db()
    assert not user.person.address_npai
    result = _rights(user)
    assert result.outcome == Outcome.ISSUED
    assert "01100 Oyonnax" in _pdf(user, result.issuance)


@time_machine.travel(TODAY, tick=False)
def test_the_printed_qr_code_scans_to_the_signed_verification_address():
    """A2/A4: a phone scanning the document's QR code reaches the verification page of that code."""
    user = family_user()
    issuance = _rights(user).issuance
    content = services.document_download(
        issuance=issuance, person=user.person, user=user, channel=Channel.WEB
    )
    (image,) = PdfReader(io.BytesIO(content)).pages[0].images
    picture = image.image.convert("L")
    scanned = zxingcpp.read_barcodes(
        picture.resize((picture.width * 8, picture.height * 8), Image.Resampling.NEAREST)
    )
    assert [code.text for code in scanned] == [
        references.verification_url(services.issuance_qr_code(issuance))
    ]
    assert "/verifier/" in scanned[0].text


# Issue 13: a document already issued can always be rendered (font fallback, control
# characters stripped at render time, never a failed download).


@time_machine.travel(TODAY, tick=False)
def test_an_address_in_japanese_renders_with_the_cjk_fallback_font():
    user = family_user(address_line1="1-2-3 東京", city="東京")
    content = services.document_download(
        issuance=_rights(user).issuance, person=user.person, user=user, channel=Channel.WEB
    )
    text = pdf_text(content)
    assert "1-2-3 東京" in text
    assert "Corinne Chevalerias" in text
    # Printed with the listed CJK font, and still a PDF/UA-1 document.
    assert b"NotoSansCJK" in content
    assert b"pdfuaid" in content


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x85", "\x9c", "\ufffe", "\U0010ffff"])
def test_an_issued_document_with_a_control_character_still_renders(char):
    user = family_user()
    issuance = _rights(user).issuance
    issuance.data["insured"]["name"] = f"Corinne{char}Chevalerias"
    issuance.data["insured"]["address"] = [f"12 rue{char} des Lilas", f"75002 Paris{char}"]
    # Not saved: PostgreSQL's jsonb cannot hold U+0000 at all; the renderer is what is tested.
    text = _pdf(user, issuance)
    assert "12 rue des Lilas" in text
    assert "75002 Paris" in text


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("text_in", ["ሀገር", "กรุงเทพ", "𓀀", "\U000e0001x"])
def test_a_script_no_font_has_never_fails_the_download(text_in):
    """Ethiopic, Thai, hieroglyphs, tag characters: no installed font has them; the document
    is still rendered (PDF/UA strictness is relaxed for that one document, the rest is
    printed as usual)."""
    user = family_user()
    issuance = _rights(user).issuance
    issuance.data["insured"]["address"] = [f"{text_in} 12 rue des Lilas", "75002 Paris"]
    issuance.save(update_fields=["data"])
    text = _pdf(user, issuance)
    assert "12 rue des Lilas" in text


# Issue 16: the bytes of an issued document never change, so they are rendered once.


@time_machine.travel(TODAY, tick=False)
def test_a_re_download_serves_the_stored_bytes_without_rendering(settings, tmp_path, monkeypatch):
    """A5: the same document downloaded again is the same PDF, read from default_storage, not
    rendered again; each download is still recorded."""
    from django.core.files.storage import default_storage

    from guichet.certificates import pdf

    settings.MEDIA_ROOT = tmp_path
    user = family_user()
    issuance = _rights(user).issuance
    first = services.document_download(
        issuance=issuance, person=user.person, user=user, channel=Channel.WEB
    )
    issuance.refresh_from_db()
    assert issuance.pdf.name.startswith("certificates/")
    with default_storage.open(issuance.pdf.name, "rb") as stored:
        assert stored.read() == first

    def no_rendering(**kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(pdf, "render", no_rendering)
    again = services.document_download(
        issuance=issuance, person=user.person, user=user, channel=Channel.KIOSK
    )
    assert again == first
    assert b"pdfuaid" in again  # still the PDF/UA-1 document
    assert Download.objects.filter(issuance=issuance).count() == 2


@time_machine.travel(TODAY, tick=False)
def test_a_stored_pdf_lost_from_storage_is_rendered_and_stored_again(settings, tmp_path):
    """A download never fails: a file missing from storage is rendered again and kept."""
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    user = family_user()
    issuance = _rights(user).issuance
    services.document_download(
        issuance=issuance, person=user.person, user=user, channel=Channel.WEB
    )
    issuance.refresh_from_db()
    default_storage.delete(issuance.pdf.name)
    content = services.document_download(
        issuance=issuance, person=user.person, user=user, channel=Channel.WEB
    )
    assert "Corinne Chevalerias" in pdf_text(content)
    issuance.refresh_from_db()
    assert default_storage.exists(issuance.pdf.name)


def test_the_qr_modules_decode_to_the_payload_at_level_m():
    """zxing-cpp's writer (issue 16): the modules given to typst, read back by zxing-cpp's
    reader, give the payload, at error correction level M (docs/decisions/certificates-qr-code.md)."""
    import json

    from guichet.certificates import pdf

    payload = "http://localhost:8000/verifier/ATD-7K2M-Q9XP-4HTC.20260310.0123456789ABCDEF/"
    side, modules = pdf.qr_modules(payload)
    levels = json.loads(modules)
    assert len(levels) == side * side and set(levels) == {0, 255}
    picture = Image.frombytes("L", (side, side), bytes(levels))
    (scanned,) = zxingcpp.read_barcodes(
        picture.resize((side * 8, side * 8), Image.Resampling.NEAREST)
    )
    assert scanned.text == payload
    assert scanned.extra["ECLevel"] == "M"
    assert scanned.extra["Version"] == "5"
