"""Static files storage whose URLs are computed once per process (issue 16).

Every page asks for a dozen static URLs (the DSFR's styles, scripts and icons, the project's
styles), each through `{% static %}` and the storage's `url()`: joining STATIC_URL and quoting
the name, and with the manifest (the production recipe) looking its hashed name up. Those URLs
depend only on the settings and, with the manifest, on the manifest file read once when the
process starts (Django never reads it again), so each process remembers them by name: the same
for every person and every request. A name the manifest does not know still raises, every time
(an exception is not remembered). docs/decisions/pages-per-request-cost.md.
"""

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage, CompressedStaticFilesStorage


class _RememberedUrls:
    _urls: dict[str, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        if args or kwargs or name is None:  # the manifest's url(name, force=True): not remembered
            return super().url(name, *args, **kwargs)  # type: ignore[misc]
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)  # type: ignore[misc]
        return url


class StaticFilesStorage(_RememberedUrls, CompressedStaticFilesStorage):
    """whitenoise's compressed storage, URLs remembered per process."""


class ManifestStaticFilesStorage(_RememberedUrls, CompressedManifestStaticFilesStorage):
    """whitenoise's compressed storage with hashed names (the production recipe), URLs
    remembered per process."""
