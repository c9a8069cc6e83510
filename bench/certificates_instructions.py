"""Benchmark: instructions per attestation de droits, counted by valgrind's callgrind (issue 16).

Instruction counts do not depend on the load of a shared machine, unlike times. The script
runs itself under callgrind (installing Debian's valgrind if it is missing), with the
production settings and a temporary SQLite database migrated beforehand without valgrind,
and measures, after a warm-up, N times each:

- journey: what an insured person does, POST the attestation form then GET its PDF (the
  first download: typst rendering, QR code, the PDF stored);
- the journey's two requests apart: N POSTs, then the first GET of each of their PDFs;
- re-download: GET the PDF of a document already downloaded (served from its stored bytes);
- bare typst compile: typst compiling the same attestation's inputs (each a different
  document, so typst's memoisation does not flatter it), nothing else;
- QR code: the modules of the signed verification URL (zxing-cpp's writer).

Each measure is one callgrind dump (`callgrind_control -d`, asked by the process itself while
it waits), so nothing else is counted. It prints instructions per document and the ratio
journey / bare typst compile (the goal of issue 16: at most 1.5).

    .venv/bin/python bench/certificates_instructions.py [N]     (N = 20 by default)
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURES = (
    "journey",
    "POST alone",
    "first GET alone",
    "re-download",
    "bare typst compile",
    "QR code",
    "nothing",
)


def _environment(var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "GUICHET_DEBUG": "false",
        "GUICHET_SECRET_KEY": "bench-only-" + "0" * 48,
        "GUICHET_ALLOWED_HOSTS": "testserver",
        "GUICHET_VAR_DIR": var_dir,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def main(iterations: int) -> None:
    if shutil.which("valgrind") is None:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "valgrind"], check=True)
    var_dir = tempfile.mkdtemp(prefix="guichet-callgrind-")
    env = _environment(var_dir)
    python = sys.executable  # the virtualenv's (a symlink: valgrind runs the interpreter itself)
    subprocess.run(
        [python, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"], check=True, env=env
    )
    out = Path(var_dir) / "callgrind"
    out.mkdir()
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--quiet",
            f"--callgrind-out-file={out}/cg.%p",
            python,
            __file__,
            "--inside",
            str(iterations),
        ],
        check=True,
        env=env,
    )
    totals = {}
    for dump in out.glob("cg.*.*"):
        text = dump.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: .*dump (\S+)", text, re.M)
        total = re.search(r"^totals: (\d+)", text, re.M)
        if label and total:
            totals[label.group(1)] = int(total.group(1))
    overhead = totals["nothing"]  # the dump request itself (a subprocess), subtracted
    per_document = {
        measure: (totals[measure.replace(" ", "_")] - overhead) / iterations
        for measure in MEASURES[:-1]
    }
    print(f"instructions per document, {iterations} of each, callgrind (valgrind)")
    print("| measured | M instructions |")
    print("|---|---:|")
    for measure, count in per_document.items():
        print(f"| {measure} | {count / 1e6:.1f} |")
    ratio = per_document["journey"] / per_document["bare typst compile"]
    print(f"ratio journey / bare typst compile: {ratio:.2f} (goal: at most 1.5)")


def _dump(label: str) -> None:
    """Ask callgrind to write (and reset) its counters now; this process waits meanwhile."""
    subprocess.run(
        ["callgrind_control", "--dump=" + label, str(os.getpid())],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def inside(iterations: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from guichet.certificates import pdf, references, services
    from guichet.certificates.models import Issuance
    from tests.certificates.helpers import family_user

    rights_url = "/mes-demarches/attestation-de-droits/"
    user = family_user(rights={"ticket_moderateur_exemption": True})
    client = Client()
    client.force_login(user)

    def issue() -> str:
        response = client.post(rights_url, {"beneficiary": "", "mentions": ["etm"]})
        assert response.status_code == 302, response.status_code
        return response.url

    def download(page_url: str) -> None:
        response = client.get(page_url + "pdf/")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")

    for _ in range(5):  # warm-up: fonts, templates, connections
        download(issue())
    pages = [issue() for _ in range(iterations)]
    for page in pages:
        download(page)
    for _ in range(iterations):  # documents never rendered, for the bare compiles
        issue()
    issuances = list(Issuance.objects.order_by("-pk")[:iterations])
    inputs = []
    for issuance in issuances:
        side, modules = pdf.qr_modules(
            references.verification_url(services.issuance_qr_code(issuance))
        )
        inputs.append(
            {
                "data": pdf.json.dumps(pdf._printable_data(issuance.data), ensure_ascii=False),
                "qr_side": str(side),
                "qr_modules": modules,
            }
        )
    urls = [
        references.verification_url(services.issuance_qr_code(issuance)) for issuance in issuances
    ]
    compiler = pdf._compiler()
    _dump("warm-up")

    for _ in range(iterations):
        download(issue())
    _dump("journey")
    posted = [issue() for _ in range(iterations)]
    _dump("POST_alone")
    for page in posted:
        download(page)
    _dump("first_GET_alone")
    for page in pages:
        download(page)
    _dump("re-download")
    for sys_inputs in inputs:
        compiler.compile(sys_inputs=sys_inputs, pdf_standards=pdf.PDF_STANDARDS)
    _dump("bare_typst_compile")
    for url in urls[:iterations]:
        pdf.qr_modules(url)
    _dump("QR_code")
    _dump("nothing")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inside"]:
        inside(int(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
