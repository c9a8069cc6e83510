"""PDF rendering with typst: one template, the data as JSON input, the QR code as its modules.

Documents are tagged PDF/UA-1 (accessible): title, language and the QR code's alternative
text are set in the template. A compiler is kept per thread so fonts are loaded once.

The QR code goes to typst as a string of "0"/"1" modules that the template turns into a
one-byte-per-pixel image drawn with `scaling: "pixelated"`: as sharp as a vector drawing, one
pixel per module in the PDF (the tests read it back and scan it), and no SVG to write and parse
(the cost per document is the same as segno's SVG, measured in docs/benchmarks.md).
"""

import json
import threading
from pathlib import Path

import segno
import typst

from guichet.certificates import references

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates_typst"
TEMPLATE = TEMPLATE_DIR / "document.typ"
PDF_STANDARDS = ["ua-1"]
QR_MASK = 0

_local = threading.local()


def _compiler() -> typst.Compiler:
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(str(TEMPLATE), root=str(TEMPLATE_DIR))
        _local.compiler = compiler
    return compiler


QR_BORDER = 2  # quiet zone, in modules
_MODULE_CHARS = bytes.maketrans(b"\x00\x01", b"01")


def qr_modules(payload: str) -> tuple[int, str]:
    """The QR code of `payload` as (side, modules row by row: "1" dark, "0" light)."""
    # A fixed mask pattern: any of the 8 is valid, and searching the best one costs 3/4 of
    # the encoding time in pure Python (see docs/decisions/certificates-verification.md).
    code = segno.make(payload, error="m", mask=QR_MASK)
    # segno's matrix holds 0/1 bytes; the quiet zone is added here (its matrix_iter is slower).
    margin = bytes(QR_BORDER)
    side = len(code.matrix) + 2 * QR_BORDER
    quiet = bytes(side) * QR_BORDER
    modules = quiet + b"".join(margin + row + margin for row in code.matrix) + quiet
    return side, modules.translate(_MODULE_CHARS).decode("ascii")


def render(*, data: dict, qr_code: str) -> bytes:
    """The PDF of a document: `data` from guichet.certificates.documents, `qr_code` signed."""
    side, modules = qr_modules(references.verification_url(qr_code))
    pdf = _compiler().compile(
        sys_inputs={
            "data": json.dumps(data, ensure_ascii=False),
            "qr_side": str(side),
            "qr_modules": modules,
        },
        pdf_standards=PDF_STANDARDS,
    )
    assert isinstance(pdf, bytes)
    return pdf
