"""Where uploaded files live (issue 16): the local disk by default, an S3-compatible object store
when GUICHET_S3_BUCKET is set, so that web and worker processes on several machines see the
same files. Both are reached through Django's storage API only (open, save, delete, exists),
never through a local path. docs/decisions/storage-object-store.md."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_str

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
_ADDRESSING_STYLES = {"", "auto", "path", "virtual"}
_ENCRYPTIONS = {"", "AES256", "aws:kms"}


def _optional(name: str) -> str | None:
    return env_str(name, "") or None


def default_storage() -> dict:
    """The STORAGES["default"] entry read from the environment."""
    bucket = env_str("GUICHET_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": FILESYSTEM}
    access_key, secret_key = (
        _optional("GUICHET_S3_ACCESS_KEY_ID"),
        _optional("GUICHET_S3_SECRET_ACCESS_KEY"),
    )
    if (access_key is None) != (secret_key is None):
        raise ImproperlyConfigured(
            "GUICHET_S3_ACCESS_KEY_ID et GUICHET_S3_SECRET_ACCESS_KEY vont ensemble : "
            "donnez les deux, ou aucune (les identifiants de la machine sont alors utilisés)."
        )
    addressing_style = env_str("GUICHET_S3_ADDRESSING_STYLE", "")
    if addressing_style not in _ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"GUICHET_S3_ADDRESSING_STYLE doit valoir path, virtual ou auto, pas {addressing_style!r}"
        )
    encryption = env_str("GUICHET_S3_SERVER_SIDE_ENCRYPTION", "")
    if encryption not in _ENCRYPTIONS:
        raise ImproperlyConfigured(
            f"GUICHET_S3_SERVER_SIDE_ENCRYPTION doit valoir AES256 ou aws:kms, pas {encryption!r}"
        )
    return {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": _optional("GUICHET_S3_ENDPOINT_URL"),
            "region_name": _optional("GUICHET_S3_REGION"),
            "access_key": access_key,
            "secret_key": secret_key,
            "location": env_str("GUICHET_S3_PREFIX", "").strip("/"),
            "addressing_style": addressing_style or None,
            "signature_version": "s3v4",
            # Private objects: no ACL is sent (the bucket's own policy applies, and buckets
            # that refuse ACLs accept the upload), no public URL is ever handed out: files
            # are served by the application after its access checks (core.http).
            "default_acl": None,
            "querystring_auth": True,
            # Never replace an object silently, as on the local disk (names are random anyway).
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": encryption} if encryption else {},
        },
    }
