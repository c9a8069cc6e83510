"""Request and response helpers shared by the interfaces (web, desk, kiosk, api…), which never
import one another (the independence contract of pyproject.toml)."""

from dataclasses import dataclass

from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a proxy, set it in REMOTE_ADDR at the proxy (not trusted here)."""
    return request.META.get("REMOTE_ADDR", "")


@dataclass(frozen=True)
class StoredFile:
    """An uploaded file someone may download, with the type checked at upload."""

    file: FieldFile
    content_type: str
    filename: str


def stored_file_response(stored: StoredFile | None) -> HttpResponse:
    """Serve an uploaded file (None: 404); never cached, never public.

    Always a download (``attachment``) with ``nosniff``: a stored file never opens as a page
    of the site, whatever a browser would guess of it (issue 13); an <img> preview still shows
    it. docs/decisions/security-uploads-and-text.md."""
    if stored is None or not stored.file:
        raise Http404("Fichier introuvable.")
    with stored.file.open("rb") as handle:  # at most cards.uploads.MAX_UPLOAD_BYTES
        content = handle.read()
    response = HttpResponse(content, content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=stored.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
