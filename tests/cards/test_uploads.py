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
    with pytest.raises(UploadRejected, match="JPEG, PNG ou HEIC"):
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


# Issue 13 (security): pixel budget before decoding, active PDF content, JPEG comments, HEIC.


def _png_of(width: int, height: int, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def test_huge_png_is_refused_from_its_header_before_decoding(monkeypatch):
    """A 6300 × 6300 PNG of 0.15 MB used to be decoded (seconds of CPU, 500 MB): now its header
    alone refuses it, and no pixel is ever decoded."""
    data = _png_of(6300, 6300)
    assert len(data) < 200_000
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    with pytest.raises(UploadRejected, match="millions de pixels"):
        clean_document(upload("scan.png", data, "image/png"))
    assert decoded == []


def test_png_budget_is_the_decoded_budget():
    side = int(uploads.MAX_DECODED_PIXELS**0.5) + 1
    with pytest.raises(UploadRejected, match="25 millions de pixels"):
        clean_photo(upload("photo.png", _png_of(side, side), "image/png"))


def test_large_jpeg_is_decoded_at_a_reduced_scale_and_stored_smaller():
    """A 48-megapixel phone photo (JPEG) is accepted: libjpeg decodes it at 1/2 or 1/4 of its
    size (within the decoded budget), and the stored image is at most the kept size."""
    clean = clean_photo(upload("photo.jpg", jpeg_bytes(8000, 6000)))
    image = Image.open(io.BytesIO(clean.content))
    assert max(image.size) <= uploads.PHOTO_MAX_SIDE
    assert image.size == (uploads.PHOTO_MAX_SIDE, uploads.PHOTO_MAX_SIDE * 3 // 4)


def test_pillow_global_bomb_limit_is_set():
    assert Image.MAX_IMAGE_PIXELS == uploads.MAX_IMAGE_PIXELS


def test_decompression_bomb_error_is_a_french_message(monkeypatch):
    def bomb(*args, **kwargs):
        raise Image.DecompressionBombError("too big")

    monkeypatch.setattr(uploads.Image, "open", bomb)
    with pytest.raises(UploadRejected, match="millions de pixels"):
        clean_photo(upload("photo.jpg", jpeg_bytes()))


def test_jpeg_comment_is_removed():
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="JPEG", comment=b"secret-comment")
    assert b"secret-comment" in out.getvalue()
    clean = clean_photo(upload("photo.jpg", out.getvalue()))
    assert b"secret-comment" not in clean.content
    assert "comment" not in Image.open(io.BytesIO(clean.content)).info


def test_png_text_chunks_are_removed():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret-author")
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="PNG", pnginfo=info)
    clean = clean_photo(upload("photo.png", out.getvalue(), "image/png"))
    assert b"secret-author" not in clean.content


def _active_pdf() -> bytes:
    """A PDF with every kind of active content an identity document must not carry."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    writer.add_attachment("payload.exe", b"MZembeddedpayload")
    names = writer._root_object["/Names"]
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('documentjs');"),
        }
    )
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("s"), writer._add_object(script)])}
    )
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('openaction');"),
        }
    )
    page[NameObject("/AA")] = DictionaryObject(
        {
            NameObject("/O"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert('pageopen');"),
                }
            )
        }
    )

    def link(action: DictionaryObject) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 100, 100)]),
                NameObject("/A"): action,
            }
        )

    annotations = [
        link(
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert('linkjs');"),
                }
            )
        ),
        link(
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/Launch"),
                    NameObject("/F"): TextStringObject("calclaunch.exe"),
                }
            )
        ),
        link(
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://phishing.example/urilink"),
                }
            )
        ),
    ]
    page[NameObject("/Annots")] = ArrayObject(writer._add_object(a) for a in annotations)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_is_rebuilt_without_any_active_content():
    original = _active_pdf()
    for marker in (b"documentjs", b"MZembeddedpayload", b"openaction", b"pageopen"):
        assert marker in original
    clean = clean_document(upload("cni.pdf", original, "application/pdf"))
    for marker in (
        b"documentjs",
        b"MZembeddedpayload",
        b"payload",
        b"openaction",
        b"pageopen",
        b"linkjs",
        b"calclaunch",
        b"urilink",
        b"/JavaScript",
        b"/JS",
        b"/Launch",
        b"/EmbeddedFile",
        b"/OpenAction",
        b"/AA",
        b"/URI",
    ):
        assert marker not in clean.content, marker
    reader = PdfReader(io.BytesIO(clean.content))
    assert len(reader.pages) == 1
    assert "/Annots" not in reader.pages[0]
    assert "/Names" not in reader.trailer["/Root"]


def _heic_bytes(width: int = 640, height: int = 800) -> bytes:
    import pillow_heif

    heif = pillow_heif.from_pillow(Image.new("RGB", (width, height), (120, 90, 60)))
    out = io.BytesIO()
    heif.save(out, quality=60)
    return out.getvalue()


def test_heic_from_a_phone_is_converted_to_jpeg():
    clean = clean_photo(upload("IMG_0001.HEIC", _heic_bytes(), "image/heic"))
    assert clean.content_type == "image/jpeg"
    assert Image.open(io.BytesIO(clean.content)).size == (640, 800)
    clean = clean_document(upload("cni.heic", _heic_bytes(), "image/heic"))
    assert clean.content_type == "image/jpeg"


def test_other_formats_get_a_message_naming_the_accepted_ones():
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, format="WEBP")
    with pytest.raises(UploadRejected, match="HEIC"):
        clean_photo(upload("photo.webp", out.getvalue(), "image/webp"))


def _page_tree_bomb(depth: int, fanout: int) -> bytes:
    """A PDF of a few hundred bytes whose page tree names one page fanout**depth times: every
    node's /Kids repeats the same child (no loop, so no cycle check catches it)."""
    objects = {1: "<< /Type /Catalog /Pages 2 0 R >>"}
    leaf = depth + 2
    for level in range(depth):  # objects 2 (the root) … depth + 1
        child = level + 3
        kids = " ".join([f"{child} 0 R"] * fanout)
        objects[level + 2] = f"<< /Type /Pages /Kids [{kids}] /Count {fanout ** (depth - level)} >>"
    objects[leaf] = "<< /Type /Page /MediaBox [0 0 595 842] >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {leaf + 1}\n0000000000 65535 f \n".encode())
    for number in range(1, leaf + 1):
        out.write(f"{offsets[number]:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {leaf + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


@pytest.mark.parametrize(("depth", "fanout"), [(6, 10), (3, 10), (1, 5)])
def test_pdf_page_tree_naming_many_pages_is_refused_without_walking_it(depth, fanout):
    """A million pages from 1 kB made pypdf raise LimitReachedError, which no view caught
    (500 on every upload: RIB, proofs, birth certificate, attachments, ID document)."""
    bomb = _page_tree_bomb(depth, fanout)
    assert len(bomb) < 1500
    with pytest.raises(UploadRejected, match="plus de 4 pages"):
        clean_document(upload("rib.pdf", bomb, "application/pdf"))


def test_pdf_page_tree_within_the_page_limit_is_kept():
    clean = clean_document(upload("rib.pdf", _page_tree_bomb(2, 2), "application/pdf"))
    assert len(PdfReader(io.BytesIO(clean.content)).pages) == 4


def test_any_pypdf_error_is_a_french_message(monkeypatch):
    from pypdf.errors import PyPdfError

    def broken(*args, **kwargs):
        raise PyPdfError("anything pypdf may raise")

    monkeypatch.setattr(uploads, "PdfReader", broken)
    with pytest.raises(UploadRejected, match="endommagé"):
        clean_document(upload("rib.pdf", pdf_bytes(), "application/pdf"))
