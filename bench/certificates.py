"""Benchmark: attestations de droits rendered end to end through the views (issue 5).

Two measures: what an insured person does (POST the attestation form: rules, data, issuance
recorded; then GET the PDF: typst rendering with the QR code, download recorded), and the PDF
view alone (each GET renders a document issued beforehand, never the same one twice).
Runs in one process, so the figures are per core, with the production settings (DEBUG off:
no query log, no debug template engine), a throwaway secret key and a temporary SQLite database. On a shared machine the wall-clock rate
depends on the load; documents per CPU second (all threads of this process, typst included)
does not.

    .venv/bin/python bench/certificates.py [iterations]
"""

import os
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GUICHET_DEBUG", "false")
os.environ.setdefault("GUICHET_SECRET_KEY", "bench-only-" + os.urandom(24).hex())
os.environ.setdefault("GUICHET_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("GUICHET_VAR_DIR", tempfile.mkdtemp(prefix="guichet-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from tests.certificates.helpers import family_user  # noqa: E402

RIGHTS_URL = "/mes-demarches/attestation-de-droits/"


def main(iterations: int) -> None:
    print(f"DEBUG={settings.DEBUG}, database {settings.DATABASES['default']['ENGINE']}")
    call_command("migrate", verbosity=0)
    user = family_user(rights={"ticket_moderateur_exemption": True})
    client = Client()
    client.force_login(user)
    for _ in range(10):  # warm-up: fonts, templates, connections
        _issue_and_download(client)
    load_before = f"{os.getloadavg()[0]:.2f}"
    # A yardstick of this machine's single-core Python speed, to compare runs across machines.
    yardstick = min(timeit.repeat("sum(range(1000))", number=10_000, repeat=5)) / 10_000 * 1e6
    journey = _measure(iterations, lambda: _issue_and_download(client))
    pages = [_issue(client) for _ in range(iterations)]
    rendering = _measure(iterations, lambda: _download(client, pages.pop()))
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f}")
    print(f"yardstick: sum(range(1000)) = {yardstick:.1f} µs")
    print(
        "| measured | attestations | documents/s (wall clock) | documents per CPU second "
        "| median ms | p99 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label, row in (
        ("issue + PDF (POST then GET)", journey),
        ("PDF view only (GET)", rendering),
    ):
        print(f"| {label} | {iterations} | " + " | ".join(f"{v:.1f}" for v in row) + " |")


def _measure(iterations: int, step) -> tuple[float, float, float, float]:
    timings = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(iterations):
        t0 = time.perf_counter()
        step()
        timings.append((time.perf_counter() - t0) * 1000)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * len(timings)) - 1)]
    return iterations / elapsed, iterations / cpu, statistics.median(timings), p99


def _issue(client: Client) -> str:
    response = client.post(RIGHTS_URL, {"beneficiary": "", "mentions": ["etm"]})
    assert response.status_code == 302, response.status_code
    return response.url


def _download(client: Client, page_url: str) -> None:
    pdf = client.get(page_url + "pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.status_code


def _issue_and_download(client: Client) -> None:
    _download(client, _issue(client))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
