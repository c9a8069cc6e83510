"""Uploads are accepted by content, re-encoded without metadata, limited in size and pixels."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from guichet.cards import uploads
from guichet.cards.uploads import UploadRejected, clean_document, clean_photo
from tests.cards.factories import jpeg_bytes, pdf_bytes, png_bytes, upload


def test_exif_gps_and_camera_are_stripped():
    original = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    clean = clean_photo(upload("photo.jpg", original))
    image = Image.open(io.BytesIO(clean.content))
    assert clean.content_type == "image/jpeg"
    assert dict(image.getexif()) == {}
    assert b"Camera X100" not in clean.content


def test_text_named_jpg_is_refused():
    with pytest.raises(UploadRejected, match="JPEG ou PNG"):
        clean_photo(upload("photo.jpg", b"ceci n'est pas une image" * 10))


def test_truncated_jpeg_is_refused():
    with pytest.raises(UploadRejected, match="endommagé"):
        clean_photo(upload("photo.jpg", jpeg_bytes()[:200]))


def test_oversize_file_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(UploadRejected, match="5 Mo"):
        clean_photo(upload("photo.jpg", jpeg_bytes()))


def test_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 100_000)
    with pytest.raises(UploadRejected, match="millions de pixels"):
        clean_photo(upload("photo.jpg", jpeg_bytes(600, 800)))


def test_too_small_photo_is_refused():
    with pytest.raises(UploadRejected, match="trop petite"):
        clean_photo(upload("photo.jpg", jpeg_bytes(100, 120)))


def test_pdf_is_not_a_photo_but_is_a_document():
    with pytest.raises(UploadRejected):
        clean_photo(upload("photo.pdf", pdf_bytes(), "application/pdf"))
    clean = clean_document(upload("cni.pdf", pdf_bytes(), "application/pdf"))
    assert clean.content_type == "application/pdf"
    assert "/Author" not in (PdfReader(io.BytesIO(clean.content)).metadata or {})


def test_png_named_pdf_is_judged_by_content():
    clean = clean_document(upload("cni.pdf", png_bytes(), "application/pdf"))
    assert clean.content_type == "image/jpeg"
