"""Write the API's OpenAPI description to docs/openapi.json (checked by the test suite)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from guichet.interfaces.api.api import api


def openapi_text() -> str:
    """The description as served at /api/v1/openapi.json, in a stable, diff-friendly form."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Écrit la description OpenAPI de l'API dans docs/openapi.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "docs" / "openapi.json")
        )

    def handle(self, *args, **options):
        path = Path(options["output"])
        path.write_text(openapi_text(), encoding="utf-8")
        self.stdout.write(f"Description OpenAPI écrite dans {path}")
