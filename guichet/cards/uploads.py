"""Checks and cleaning of the uploaded ID photo and identity document (rule V3).

A file is accepted by what it contains (its first bytes, then Pillow or pypdf opening it),
never by its name or the browser's content type. Images are decoded within a pixel budget
decided from their header alone, made smaller if they are larger than what is kept, and
re-encoded as a fresh JPEG, which drops every metadata block (EXIF with GPS position and
camera, XMP, ICC, JPEG comments, PNG text). HEIC photos from phones are converted to JPEG
(pillow-heif). PDFs are rebuilt page by page without any active content: no open action,
no additional actions, no JavaScript, no embedded file, no annotation (links, attachments,
form fields), no document metadata. See docs/decisions/cards-uploads-and-files.md and
docs/decisions/security-uploads-and-text.md.
"""

import io
import warnings
from dataclasses import dataclass

import pillow_heif
from django.core.files.uploadedfile import UploadedFile
from PIL import ExifTags, Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # 5 Mo
# Pixel budget, from the header before any decoding (docs/decisions/security-uploads-and-text.md).
# An image may declare up to 50 megapixels (a 48-megapixel phone photo), but at most 25 are
# ever decoded: a large JPEG is decoded by libjpeg at 1/2, 1/4 or 1/8 of its size, a PNG or
# HEIC image (no reduced decoding) must itself fit in the 25.
MAX_IMAGE_PIXELS = 50_000_000
MAX_DECODED_PIXELS = 25_000_000
# Pillow's own decompression-bomb guard, for every Image.open in the process: a warning past
# this number, an error past twice it (both answered with a French message below).
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
PHOTO_MIN_WIDTH, PHOTO_MIN_HEIGHT = 300, 400
DOCUMENT_MIN_SIDE = 200
# What is kept: the longer side of the stored image, in pixels (enough for the card maker's
# photo and for reading an identity document; A4 at 300 dpi is 3508 px).
PHOTO_MAX_SIDE = 2000
DOCUMENT_MAX_SIDE = 3500
MAX_PDF_PAGES = 4
# Nodes of a PDF's page tree read before giving up: a few for MAX_PDF_PAGES pages, however the
# tree is drawn. Bounds the work on a tree that names one page a million times in 1 kB.
MAX_PDF_PAGE_TREE_NODES = 64
JPEG_QUALITY = 90

JPEG, PNG, PDF, HEIF = "image/jpeg", "image/png", "application/pdf", "image/heif"
_MAGIC = [(b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"%PDF-", PDF)]
# ISO base media « ftyp » brands of HEIF/HEIC images (iPhone and Android phones).
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_QUARTER_TURNS = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", HEIF: "HEIF"}
# Page entries that are not the page's visible content: actions, annotations (links,
# attachments, form fields, comments), metadata, thumbnails, private application data.
_PAGE_KEYS_DROPPED = ("/AA", "/Annots", "/Metadata", "/PieceInfo", "/Thumb", "/B")

pillow_heif.register_heif_opener()

TOO_MANY_PIXELS = (
    "L'image est trop grande (plus de {millions} millions de pixels). Réduisez sa définition "
    "(ou faites une capture d'écran de la photo) puis recommencez."
)


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
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIF
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


def _open_within_budget(data: bytes, kind: str, *, keep_side: int) -> tuple[Image.Image, int, int]:
    """The decoded image and its size as sent, upright: the declared size is read from the
    header (Pillow's open is lazy) and checked before a single pixel is decoded."""
    image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[kind]])
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise UploadRejected(TOO_MANY_PIXELS.format(millions=MAX_IMAGE_PIXELS // 1_000_000))
    if image.format == "JPEG":
        # libjpeg's reduced decoding: the smallest scale that still covers what is kept.
        scale = keep_side / max(width, height)
        if scale < 1:
            image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
    if image.size[0] * image.size[1] > MAX_DECODED_PIXELS:
        raise UploadRejected(TOO_MANY_PIXELS.format(millions=MAX_DECODED_PIXELS // 1_000_000))
    if image.getexif().get(ExifTags.Base.Orientation) in _QUARTER_TURNS:
        width, height = height, width
    image.load()
    return image, width, height


def _clean_image(
    data: bytes, kind: str, *, min_width: int, min_height: int, keep_side: int
) -> CleanFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image, width, height = _open_within_budget(data, kind, keep_side=keep_side)
            # Made smaller first (in place, by a fast box reduction then Lanczos), so that
            # turning it upright and flattening it work on the kept size only.
            image.thumbnail((keep_side, keep_side), Image.Resampling.LANCZOS)
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRejected(
            TOO_MANY_PIXELS.format(millions=MAX_IMAGE_PIXELS // 1_000_000)
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise UploadRejected("Le fichier est endommagé ou n'est pas une image lisible.") from error
    if width < min_width or height < min_height:
        raise UploadRejected(
            f"L'image est trop petite ({width} × {height} pixels) : il faut au "
            f"moins {min_width} × {min_height} pixels."
        )
    if image.mode not in {"RGB", "L"}:
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    # A fresh JPEG with nothing but pixels: Pillow would copy the source's JPEG comment
    # (image.info["comment"]) into the new file, so the info is emptied first.
    image.info = {}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanFile(out.getvalue(), JPEG, "jpg")


# What pypdf raises on a damaged or hostile file (PyPdfError covers PdfReadError and
# LimitReachedError); the others are what its parsing lets through.
_PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError)
_DAMAGED_PDF = "Le fichier est endommagé ou n'est pas un PDF lisible."


def _pdf_has_at_most(reader: PdfReader, limit: int) -> bool:
    """Whether the page tree names at most `limit` pages, read node by node and abandoned as
    soon as it names more, or has more than MAX_PDF_PAGE_TREE_NODES nodes (pypdf would first
    flatten the whole tree: a root whose /Kids repeat one child names millions of pages)."""
    stack = [reader.trailer["/Root"]["/Pages"]]
    nodes = leaves = 0
    while stack:
        node = stack.pop().get_object()
        nodes += 1
        if nodes > MAX_PDF_PAGE_TREE_NODES:
            return False
        if "/Kids" in node:
            kids = node["/Kids"].get_object()
            if len(kids) > MAX_PDF_PAGE_TREE_NODES:
                return False
            stack.extend(kids)
        else:
            leaves += 1
            if leaves > limit:
                return False
    return True


def _clean_pdf(data: bytes) -> CleanFile:
    too_many = UploadRejected(f"Le PDF compte plus de {MAX_PDF_PAGES} pages.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRejected(
                "Le PDF est protégé par un mot de passe : envoyez-le sans protection."
            )
        if not _pdf_has_at_most(reader, MAX_PDF_PAGES):
            raise too_many
        pages = list(reader.pages)
    except _PDF_ERRORS as error:
        raise UploadRejected(_DAMAGED_PDF) from error
    if not pages:
        raise UploadRejected("Le PDF ne contient aucune page.")
    if len(pages) > MAX_PDF_PAGES:
        raise too_many
    # A new document: only the pages are copied, never the catalog (/OpenAction, /AA, /Names
    # with /JavaScript and /EmbeddedFiles, /AcroForm, /Outlines, /Metadata). Each page loses
    # its actions and annotations before it is copied, so nothing they point to is written.
    writer = PdfWriter()
    try:
        for page in pages:
            for key in _PAGE_KEYS_DROPPED:
                if key in page:
                    del page[NameObject(key)]
            writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
    except _PDF_ERRORS as error:
        raise UploadRejected(_DAMAGED_PDF) from error
    return CleanFile(out.getvalue(), PDF, "pdf")


def clean_photo(upload: UploadedFile) -> CleanFile:
    """The ID photo: a JPEG, PNG or HEIC image of at least 300 × 400 pixels, re-encoded."""
    data = _read(upload)
    kind = sniff(data[:12])
    if kind not in {JPEG, PNG, HEIF}:
        raise UploadRejected(
            "La photo doit être une image au format JPEG, PNG ou HEIC (le contenu du fichier "
            "ne correspond pas à ces formats)."
        )
    return _clean_image(
        data,
        kind,
        min_width=PHOTO_MIN_WIDTH,
        min_height=PHOTO_MIN_HEIGHT,
        keep_side=PHOTO_MAX_SIDE,
    )


def clean_image_or_pdf(
    upload: UploadedFile, *, images: frozenset[str], unsupported: str
) -> CleanFile:
    """An image of one of the `images` types, or a PDF file, checked and cleaned as the
    identity document is (also the attachments of the « Espace d'échanges », rule ECH3);
    `unsupported` is the message for any other content."""
    data = _read(upload)
    kind = sniff(data[:12])
    if kind == PDF:
        return _clean_pdf(data)
    if kind not in images:
        raise UploadRejected(unsupported)
    return _clean_image(
        data,
        kind,
        min_width=DOCUMENT_MIN_SIDE,
        min_height=DOCUMENT_MIN_SIDE,
        keep_side=DOCUMENT_MAX_SIDE,
    )


def clean_document(upload: UploadedFile) -> CleanFile:
    """The identity document: a JPEG, PNG or HEIC image, or a PDF file."""
    return clean_image_or_pdf(
        upload,
        images=frozenset({JPEG, PNG, HEIF}),
        unsupported=(
            "La pièce d'identité doit être une image JPEG, PNG ou HEIC, ou un fichier PDF (le "
            "contenu du fichier ne correspond pas à ces formats)."
        ),
    )


def clean_bank_details_proof(upload: UploadedFile) -> CleanFile:
    """The RIB of « Modifier mes coordonnées bancaires » (rule SIT6): a PDF, JPEG or PNG file,
    cleaned like the identity document (same limits, same rebuilding)."""
    return clean_image_or_pdf(
        upload,
        images=frozenset({JPEG, PNG}),
        unsupported=(
            "Le RIB doit être un fichier PDF, JPEG ou PNG (le contenu du fichier ne correspond "
            "pas à ces formats)."
        ),
    )
