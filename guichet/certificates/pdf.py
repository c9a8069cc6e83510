"""PDF rendering with typst: one template, the data as JSON input, the QR code as SVG input.

Documents are tagged PDF/UA-1 (accessible): title, language and the QR code's alternative
text are set in the template. A compiler is kept per thread so fonts are loaded once.
"""

import io
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


def qr_svg(payload: str) -> str:
    buffer = io.BytesIO()
    # A fixed mask pattern: any of the 8 is valid, and searching the best one costs 3/4 of
    # the encoding time in pure Python (see docs/decisions/certificates-qr-code.md).
    segno.make(payload, error="m", mask=QR_MASK).save(buffer, kind="svg", border=2)
    return buffer.getvalue().decode()


def render(*, data: dict, qr_code: str) -> bytes:
    """The PDF of a document: `data` from guichet.certificates.documents, `qr_code` signed."""
    pdf = _compiler().compile(
        sys_inputs={
            "data": json.dumps(data, ensure_ascii=False),
            "qr": qr_svg(references.verification_url(qr_code)),
        },
        pdf_standards=PDF_STANDARDS,
    )
    assert isinstance(pdf, bytes)
    return pdf
