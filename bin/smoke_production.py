"""The production recipe, run end to end on this machine (issue 16; bin/smoke-production, CI).

It creates its own PostgreSQL database, migrates, loads the demo, collects the static files,
starts gunicorn (config/gunicorn.conf.py) with the production settings and the task worker,
both on loopback, waits for /sante/pret, then walks a demo insured person's journey over HTTP:
sign in, the dashboard, an attestation de droits issued and its PDF downloaded, a static file
served by whitenoise, the metrics; then it stops everything and drops its database. Any step
that fails stops it with a message and a non-zero status (the servers' logs are printed).

The settings are production's (GUICHET_DEBUG off, a random secret key, SMTP) but for one:
GUICHET_SECURE_COOKIES=false, since the journey speaks plain HTTP to loopback where production
has the reverse proxy's TLS. Environment: PG_ADMIN_URL (default
postgres://postgres@127.0.0.1:5432/postgres), SMOKE_DB (default guichet_smoke_<pid>).
"""

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
# The demo persona family-of-four (docs/personas.md).
NIR, CODE = "284057511101104", "Guichet-Demo!"
START_TIMEOUT = 60.0


class SmokeFailure(Exception):
    pass


def step(message: str) -> None:
    print(f"[smoke] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A cookie jar and urllib: what a person's browser sends, redirects not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = None if data is None else urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        if data is not None:
            req.add_header("Referer", self.base + path)
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def expect(self, path: str, status: int, data: dict | None = None, headers=None):
        code, response_headers, body = self.request(path, data, headers)
        if code != status:
            raise SmokeFailure(f"{path} : statut {code} au lieu de {status}\n{body[:800]!r}")
        return response_headers, body

    def csrf_token(self, html: bytes) -> str:
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not found:
            raise SmokeFailure("pas de jeton CSRF dans la page")
        return found.group(1).decode()


def journey(base: str, metrics_token: str) -> None:
    browser = Browser(base)

    step("liveness and readiness")
    _, body = browser.expect("/sante/vivant", 200)
    assert json.loads(body) == {"status": "ok"}, body

    step("sign in as family-of-four")
    headers, page = browser.expect("/connexion/", 200)
    csp = headers.get("Content-Security-Policy", "")
    if "script-src 'self'" not in csp or "frame-ancestors 'none'" not in csp:
        raise SmokeFailure(f"en-tête CSP absent ou incomplet : {csp!r}")
    if not headers.get("X-Request-ID"):
        raise SmokeFailure("pas d'en-tête X-Request-ID")
    token = browser.csrf_token(page)
    headers, _ = browser.expect(
        "/connexion/", 302, {"csrfmiddlewaretoken": token, "nir": NIR, "code": CODE}
    )
    location = headers["Location"]
    while location != "/":
        headers, _ = browser.expect(location, 302)
        location = headers["Location"]

    step("the dashboard")
    _, home = browser.expect("/", 200)
    for text in ("Accueil", "Mes derniers paiements"):
        if text.encode() not in home:
            raise SmokeFailure(f"« {text} » absent du tableau de bord")
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', home)
    if not stylesheet:
        raise SmokeFailure("pas de feuille de style dans la page")

    step("a static file from whitenoise: " + stylesheet.group(1).decode())
    headers, css = browser.expect(stylesheet.group(1).decode(), 200)
    if "immutable" not in headers.get("Cache-Control", "") or not css:
        raise SmokeFailure(f"fichier statique mal servi : {headers.get('Cache-Control')!r}")

    step("an attestation de droits for the whole family")
    _, form = browser.expect("/mes-demarches/attestation-de-droits/", 200)
    headers, _ = browser.expect(
        "/mes-demarches/attestation-de-droits/",
        302,
        {"csrfmiddlewaretoken": browser.csrf_token(form), "beneficiary": ""},
    )
    document = headers["Location"]
    if not re.fullmatch(r"/mes-documents/[^/]+/", document):
        raise SmokeFailure(f"redirection inattendue : {document}")
    _, page = browser.expect(document, 200)
    pdf_path = document + "pdf/"
    if pdf_path.encode() not in page:
        raise SmokeFailure("la page du document n'a pas de lien vers le PDF")

    step("its PDF")
    headers, pdf = browser.expect(pdf_path, 200)
    if headers.get("Content-Type") != "application/pdf" or not pdf.startswith(b"%PDF-"):
        raise SmokeFailure(f"pas un PDF : {headers.get('Content-Type')!r} {pdf[:20]!r}")
    step(f"  {len(pdf)} bytes")

    step("the metrics")
    browser.expect("/metriques", 401)
    _, text = browser.expect(
        "/metriques", 200, headers={"Authorization": f"Bearer {metrics_token}"}
    )
    for needle in (
        'guichet_http_request_duration_seconds_count{method="GET",route="mes-documents/<str:reference>/pdf/",status="200"}',
        'guichet_http_request_duration_seconds_count{method="GET",route="/",status="200"}',
        "guichet_worker_ready 1.0",
        'guichet_email_outbox{status="queued"}',
    ):
        if needle.encode() not in text:
            raise SmokeFailure(f"métrique absente : {needle}")

    step("sign out")
    _, home = browser.expect("/", 200)
    browser.expect("/deconnexion/", 302, {"csrfmiddlewaretoken": browser.csrf_token(home)})
    browser.expect("/", 302)


def wait_ready(base: str, processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last = ""
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise SmokeFailure(f"{process.args[1]} s'est arrêté (code {process.returncode})")
        try:
            with urllib.request.urlopen(base + "/sante/pret", timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            last = error.read().decode()
        except OSError as error:
            last = str(error)
        time.sleep(0.5)
    raise SmokeFailure(f"/sante/pret pas prêt après {START_TIMEOUT:.0f} s : {last}")


def oidc_key() -> str:
    """The identity provider's key, given in the environment as production must (core.E002)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def main() -> int:
    started = time.monotonic()
    admin_url = os.environ.get("PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    db_name = os.environ.get("SMOKE_DB", f"guichet_smoke_{os.getpid()}")
    admin = urllib.parse.urlsplit(admin_url)
    database_url = urllib.parse.urlunsplit(admin._replace(path="/" + db_name))
    port, smtp_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="guichet-smoke-"))
    metrics_token = secrets.token_urlsafe(32)
    env = {
        **os.environ,
        "GUICHET_DEBUG": "false",
        "GUICHET_SECRET_KEY": secrets.token_urlsafe(50),
        "GUICHET_ALLOWED_HOSTS": "127.0.0.1",
        "GUICHET_SITE_URL": base,
        "GUICHET_SECURE_COOKIES": "false",
        "GUICHET_STATIC_MANIFEST": "true",
        "GUICHET_STATIC_ROOT": str(work / "static"),
        "GUICHET_VAR_DIR": str(work / "var"),
        "GUICHET_METRICS_TOKEN": metrics_token,
        "GUICHET_OIDC_RSA_PRIVATE_KEY": oidc_key(),
        "GUICHET_BIND": f"127.0.0.1:{port}",
        "GUICHET_WEB_WORKERS": "2",
        "DATABASE_URL": database_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "PROMETHEUS_MULTIPROC_DIR": str(work / "prometheus"),
    }
    (work / "prometheus").mkdir()
    processes: list[subprocess.Popen] = []
    logs: dict[str, Path] = {}

    def start(name: str, *command: str) -> None:
        logs[name] = work / f"{name}.log"
        handle = logs[name].open("wb")
        processes.append(
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def manage(*args: str) -> None:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode:
            raise SmokeFailure(f"manage.py {' '.join(args)} :\n{result.stdout}\n{result.stderr}")

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db_name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))
    step(f"database {db_name} created")
    failed = False
    try:
        for args in (
            ("check", "--deploy", "--fail-level", "ERROR"),
            ("migrate", "--no-input", "-v0"),
            ("seed_demo",),
            ("collectstatic", "--no-input", "-v0"),
        ):
            step("manage.py " + " ".join(args))
            manage(*args)
        start("smtp", PYTHON, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}")
        start("gunicorn", GUNICORN, "-c", "config/gunicorn.conf.py", "config.wsgi")
        start("worker", PYTHON, "manage.py", "run_worker", "--interval", "1")
        step(f"gunicorn on {base}, the worker, an SMTP server on port {smtp_port}")
        wait_ready(base, processes)
        journey(base, metrics_token)
        step("the request log: JSON lines, no NIR")
        web_log = logs["gunicorn"].read_text()
        if '"logger": "guichet.request"' not in web_log or NIR in web_log:
            raise SmokeFailure("journal des requêtes absent, ou qui contient le NIR")
    except (SmokeFailure, AssertionError, OSError, KeyError) as failure:
        failed = True
        print(f"[smoke] ÉCHEC : {failure}", file=sys.stderr, flush=True)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if failed:
            for name, path in logs.items():
                print(f"----- {name}.log -----\n{path.read_text()[-4000:]}", file=sys.stderr)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db_name))
            )
        shutil.rmtree(work, ignore_errors=True)
        step(f"database {db_name} dropped, processes stopped")
    if failed:
        return 1
    step(f"production smoke test passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
