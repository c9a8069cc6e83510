"""Every table of the pages has the markup of the DSFR that django-dsfr ships (issue 14,
docs/decisions/forms-dsfr-rendering.md): fr-table › fr-table__wrapper › fr-table__container
(a focusable region labelled by the caption) › fr-table__content › table."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Django's admin pages are not DSFR pages.
NOT_DSFR = {"admin"}
WRAPPED_TABLE = re.compile(
    r'<div class="fr-table[^"]*"[^>]*>\s*<div class="fr-table__wrapper">\s*'
    r'<div class="fr-table__container" tabindex="0" role="region" aria-labelledby="([^"]+)">\s*'
    r'<div class="fr-table__content">\s*<table[^>]*>\s*<caption id="([^"]+)"'
)


def dsfr_templates_with_tables() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if path.relative_to(TEMPLATES).parts[0] not in NOT_DSFR and "<table" in path.read_text()
    ]


def test_every_table_sits_in_the_dsfr_table_structure_labelled_by_its_caption():
    templates = dsfr_templates_with_tables()
    assert len(templates) >= 10
    for path in templates:
        html = path.read_text()
        wrapped = WRAPPED_TABLE.findall(html)
        assert len(wrapped) == html.count("<table"), path
        for labelled_by, caption_id in wrapped:
            assert labelled_by == caption_id, path
