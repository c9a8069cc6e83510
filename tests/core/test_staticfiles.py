"""Static URLs remembered per process, and the cached template loader (issue 16,
docs/decisions/pages-per-request-cost.md)."""

import json

import pytest
from django.conf import settings
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from whitenoise.storage import CompressedManifestStaticFilesStorage, CompressedStaticFilesStorage

from guichet.core.staticfiles import ManifestStaticFilesStorage, StaticFilesStorage


def test_the_settings_use_the_remembering_storage():
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "guichet.core.staticfiles.StaticFilesStorage"
    )


def test_a_url_is_the_one_whitenoise_gives_and_is_computed_once(monkeypatch):
    storage, plain = StaticFilesStorage(), CompressedStaticFilesStorage()
    names = ["css/guichet.css", "dsfr/dist/dsfr.min.css", "un fichier é.js"]
    assert [storage.url(n) for n in names] == [plain.url(n) for n in names]
    calls = []
    original = CompressedStaticFilesStorage.url

    def counted(self, name):
        calls.append(name)
        return original(self, name)

    monkeypatch.setattr(CompressedStaticFilesStorage, "url", counted)
    for _ in range(3):
        storage.url("css/guichet.css")
    assert calls == []  # remembered from the first call above
    storage.url("css/autre.css")
    storage.url("css/autre.css")
    assert calls == ["css/autre.css"]


@pytest.fixture
def manifest_root(tmp_path, settings):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/guichet.css": "css/guichet.0123abcd.css"}, "version": "1.1"})
    )
    settings.STATIC_ROOT = tmp_path
    settings.DEBUG = False
    return tmp_path


def test_with_the_manifest_the_hashed_name_and_a_missing_name_raises_every_time(manifest_root):
    storage = ManifestStaticFilesStorage()
    plain = CompressedManifestStaticFilesStorage()
    assert storage.url("css/guichet.css") == plain.url("css/guichet.css")
    assert storage.url("css/guichet.css").endswith("css/guichet.0123abcd.css")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/absent.css")


def test_templates_are_parsed_once_per_process():
    """Django's cached loader is on whenever TEMPLATES sets no loaders (config/settings.py)."""
    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    engine = engines["django"].engine
    assert isinstance(engine.template_loaders[0], CachedLoader)
    assert engine.get_template("web/home.html") is not None
    first = engine.template_loaders[0].get_template("web/home.html")
    assert engine.template_loaders[0].get_template("web/home.html") is first
