"""Checks and cleaning of the uploaded ID photo and identity document (rule V3).

A file is accepted by what it contains (its first bytes, then Pillow or pypdf opening it),
never by its name or the browser's content type. Images are decoded and re-encoded as JPEG,
which drops every metadata block (EXIF with GPS position and camera, XMP, comments). PDFs are
rewritten page by page, which drops document metadata, scripts and attachments.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # 5 Mo
MAX_IMAGE_PIXELS = 40_000_000  # 40 mégapixels: beyond, decoding is refused (decompression bomb)
PHOTO_MIN_WIDTH, PHOTO_MIN_HEIGHT = 300, 400
DOCUMENT_MIN_SIDE = 200
MAX_PDF_PAGES = 4
JPEG_QUALITY = 90

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
_MAGIC = [(b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"%PDF-", PDF)]


class UploadRejected(Exception):
    """The reason a file is refused, in French, shown next to the field."""


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str


def sniff(head: bytes) -> str | None:
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def _read(upload: UploadedFile) -> bytes:
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise UploadRejected("Le fichier dépasse la taille maximale de 5 Mo.")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected("Le fichier dépasse la taille maximale de 5 Mo.")
    if not data:
        raise UploadRejected("Le fichier est vide.")
    return data


def _clean_image(data: bytes, *, min_width: int, min_height: int) -> CleanFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in {"JPEG", "PNG"}:
                raise UploadRejected("Le fichier n'est pas une image JPEG ou PNG valide.")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UploadRejected(
                    "L'image est trop grande (plus de 40 millions de pixels). "
                    "Réduisez sa définition puis recommencez."
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRejected("L'image est trop grande (plus de 40 millions de pixels).") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise UploadRejected("Le fichier est endommagé ou n'est pas une image lisible.") from error
    if image.width < min_width or image.height < min_height:
        raise UploadRejected(
            f"L'image est trop petite ({image.width} × {image.height} pixels) : il faut au "
            f"moins {min_width} × {min_height} pixels."
        )
    if image.mode not in {"RGB", "L"}:
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    out = io.BytesIO()
    # A fresh JPEG with no exif=, icc_profile= or comment=: no metadata survives.
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanFile(out.getvalue(), JPEG, "jpg")


def _clean_pdf(data: bytes) -> CleanFile:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRejected(
                "Le PDF est protégé par un mot de passe : envoyez-le sans protection."
            )
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise UploadRejected("Le fichier est endommagé ou n'est pas un PDF lisible.") from error
    if not pages:
        raise UploadRejected("Le PDF ne contient aucune page.")
    if len(pages) > MAX_PDF_PAGES:
        raise UploadRejected(f"Le PDF compte plus de {MAX_PDF_PAGES} pages.")
    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return CleanFile(out.getvalue(), PDF, "pdf")


def clean_photo(upload: UploadedFile) -> CleanFile:
    """The ID photo: a JPEG or PNG image of at least 300 × 400 pixels, re-encoded."""
    data = _read(upload)
    kind = sniff(data[:8])
    if kind not in {JPEG, PNG}:
        raise UploadRejected(
            "La photo doit être une image au format JPEG ou PNG (le contenu du fichier ne "
            "correspond pas à ces formats)."
        )
    return _clean_image(data, min_width=PHOTO_MIN_WIDTH, min_height=PHOTO_MIN_HEIGHT)


def clean_document(upload: UploadedFile) -> CleanFile:
    """The identity document: a JPEG, PNG or PDF file."""
    data = _read(upload)
    kind = sniff(data[:8])
    if kind is None:
        raise UploadRejected(
            "La pièce d'identité doit être une image JPEG ou PNG, ou un fichier PDF (le contenu "
            "du fichier ne correspond pas à ces formats)."
        )
    if kind == PDF:
        return _clean_pdf(data)
    return _clean_image(data, min_width=DOCUMENT_MIN_SIDE, min_height=DOCUMENT_MIN_SIDE)
