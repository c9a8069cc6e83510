"""The identity provider's RS256 key (rule C10): from the environment, else a file in VAR_DIR
created once (atomically, so that several processes starting together share one key)."""

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def oidc_private_key(env_value: str, var_dir: Path) -> str:
    if env_value:
        return env_value
    path = var_dir / "oidc-rsa-private.pem"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd, tmp = tempfile.mkstemp(dir=var_dir)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        try:
            os.link(tmp, path)  # fails if another process created it first: keep theirs
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text()
