import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments are stored in a fresh folder per test (the storage API's local disk)."""
    settings.MEDIA_ROOT = tmp_path / "media"
