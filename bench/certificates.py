"""Benchmark: attestations de droits rendered end to end through the views (issue 5).

Each iteration is what an insured person does: POST the attestation form (rules, data,
issuance recorded), then GET the PDF (typst rendering with the QR code, download recorded).
Runs in one process, so the figures are per core. On a shared machine the wall-clock rate
depends on the load; documents per CPU second (all threads of this process, typst included)
does not.

    .venv/bin/python bench/certificates.py [iterations]
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("GUICHET_DEBUG", "true")
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
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    user = family_user(rights={"ticket_moderateur_exemption": True})
    client = Client()
    client.force_login(user)
    for _ in range(10):  # warm-up: fonts, templates, connections
        _one(client)
    load_before = f"{os.getloadavg()[0]:.2f}"
    timings = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(iterations):
        t0 = time.perf_counter()
        _one(client)
        timings.append((time.perf_counter() - t0) * 1000)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * len(timings)) - 1)]
    print(f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f}")
    print(
        "| attestations | documents/s (wall clock) | documents per CPU second | median ms | p99 ms |"
    )
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {iterations} | {iterations / elapsed:.1f} | {iterations / cpu:.1f} "
        f"| {statistics.median(timings):.1f} | {p99:.1f} |"
    )


def _one(client: Client) -> None:
    response = client.post(RIGHTS_URL, {"beneficiary": "", "mentions": ["etm"]})
    assert response.status_code == 302, response.status_code
    pdf = client.get(response.url + "pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.status_code


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
