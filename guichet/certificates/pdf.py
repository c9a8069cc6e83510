"""PDF rendering with typst: one template, the data as JSON input, the QR code as its modules.

Documents are tagged PDF/UA-1 (accessible): title, language and the QR code's alternative
text are set in the template. A compiler is kept per thread so fonts are loaded once.

The QR code is made by zxing-cpp's writer (C++) and goes to typst as a compact JSON array of
its modules' grey levels (0 dark, 255 light), which the template reads as the bytes of a
one-byte-per-pixel image drawn with `scaling: "pixelated"`: as sharp as a vector drawing, one
pixel per module in the PDF (the tests read it back and scan it with zxing-cpp's reader).
Both choices are measured in docs/benchmarks.md (docs/decisions/certificates-qr-code.md).

A document already issued can always be rendered again (rule A5, issue 13): its text is made
printable first (control characters become spaces; unassigned code points, surrogates,
private-use and bidirectional controls are dropped), the template's fonts fall back from
Liberation Sans to DejaVu Sans and Noto Sans CJK, and if typst still finds a character that
no installed font can display (PDF/UA-1 refuses such a document), the document is compiled
once more without the PDF/UA-1 check, still tagged, the missing glyph shown as a box. A
download never fails because of the text it prints (docs/decisions/security-uploads-and-text.md).
"""

import json
import logging
import re
import threading
import unicodedata
from pathlib import Path

import typst
import zxingcpp

from guichet.certificates import references

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates_typst"
TEMPLATE = TEMPLATE_DIR / "document.typ"
PDF_STANDARDS = ["ua-1"]
QR_ERROR_LEVEL = "M"

_local = threading.local()
logger = logging.getLogger(__name__)

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r" {2,}")
_DROPPED_CATEGORIES = {"Cs", "Co", "Cn"}  # surrogates, private use, unassigned/noncharacters


def printable(value: str) -> str:
    """The text as typst can always print it: no control character (C0, C1, DEL become a
    space), no unassigned code point, surrogate, private-use or bidirectional control."""
    if value.isprintable() and value.isascii():
        return value
    chars = []
    for char in _BIDI_CONTROLS.sub("", value):
        category = unicodedata.category(char)
        if category == "Cc":
            chars.append(" ")
        elif category not in _DROPPED_CATEGORIES:
            chars.append(char)
    return _SPACES.sub(" ", "".join(chars)).strip()


def _printable_data(value: object) -> object:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: _printable_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_printable_data(item) for item in value]
    return value


def _compiler() -> typst.Compiler:
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(str(TEMPLATE), root=str(TEMPLATE_DIR))
        _local.compiler = compiler
    return compiler


QR_BORDER = 2  # quiet zone, in modules
_LIGHT = 255


def qr_modules(payload: str) -> tuple[int, str]:
    """The QR code of `payload` as (side, its modules row by row as a JSON array of grey
    levels: 0 dark, 255 light), the quiet zone included."""
    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_ERROR_LEVEL)
    image = code.to_image(scale=1, add_quiet_zones=False)
    matrix, inner = bytes(memoryview(image)), image.shape[0]
    side = inner + 2 * QR_BORDER
    margin = bytes([_LIGHT]) * QR_BORDER
    quiet = bytes([_LIGHT]) * (side * QR_BORDER)
    rows = b"".join(margin + matrix[i : i + inner] + margin for i in range(0, len(matrix), inner))
    modules = quiet + rows + quiet
    return side, json.dumps(list(modules), separators=(",", ":"))


def render(*, data: dict, qr_code: str) -> bytes:
    """The PDF of a document: `data` from guichet.certificates.documents, `qr_code` signed."""
    side, modules = qr_modules(references.verification_url(qr_code))
    sys_inputs = {
        "data": json.dumps(_printable_data(data), ensure_ascii=False),
        "qr_side": str(side),
        "qr_modules": modules,
    }
    try:
        pdf = _compiler().compile(sys_inputs=sys_inputs, pdf_standards=PDF_STANDARDS)
    except typst.TypstError as error:
        # A character no installed font has: PDF/UA-1 forbids the missing glyph. The
        # document is still owed to its holder, so it is compiled without that check.
        logger.warning("Document %s rendered without PDF/UA-1: %s", data.get("reference"), error)
        pdf = _compiler().compile(sys_inputs=sys_inputs)
    assert isinstance(pdf, bytes)
    return pdf
