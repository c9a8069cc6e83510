"""Factories and real files for the carte Vitale tests (issue 7)."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import Image

from guichet.cards.enums import DeclarationKind
from guichet.cards.models import CardDeclaration
from tests.factories import CardFactory


class DeclarationFactory(DjangoModelFactory):
    class Meta:
        model = CardDeclaration

    card = factory.SubFactory(CardFactory)
    kind = DeclarationKind.LOST


def jpeg_bytes(width: int = 600, height: int = 800, *, gps: bool = False) -> bytes:
    """A real JPEG; with gps=True it carries EXIF GPS coordinates and a camera model."""
    image = Image.new("RGB", (width, height), (200, 180, 160))
    exif = Image.Exif()
    if gps:
        exif[0x0110] = "Camera X100"  # Model
        exif[0x010F] = "Fabricant"  # Make
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(width: int = 800, height: int = 500) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (10, 20, 30, 128)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Jean Secret"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
