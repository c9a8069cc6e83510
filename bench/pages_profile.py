"""Where an insured page's time goes: pyinstrument on N requests through Django's test client.

    .venv/bin/python bench/pages_profile.py [PATH ...] [-n 200] [--html DIR] [--post] [--cpu]

Production settings (GUICHET_DEBUG=false) on the PostgreSQL database of bench/pages.py
(``pages_bench``, run bench/pages.py once to create it), the persona family-of-four signed in
through the login form. For each page: the mean time per request, the SQL statements of one
request, then pyinstrument's call tree of N requests (issue 16, docs/benchmarks.md « Pages »).
With --cpu, no profiler: the CPU time of this process per request (time.process_time, all its
threads, so less sensitive than wall time to the other jobs of a shared machine), to compare
two versions of the code run alternately.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["GUICHET_DEBUG"] = "false"
os.environ.setdefault("GUICHET_SECRET_KEY", "bench-pages-only-secret-key-not-for-production-01")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pages_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("GUICHET_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

PAGES = ["/", "/mes-informations/", "/mes-paiements/"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=PAGES)
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--html", type=Path, help="write each call tree there as HTML")
    parser.add_argument("--post", action="store_true", help="POST instead of GET")
    parser.add_argument("--cpu", action="store_true", help="CPU ms per request, no profiler")
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post("/connexion/", {"nir": "284057511101104", "code": "Guichet-Demo!"})
    assert response.status_code == 302, response.status_code
    send = client.post if args.post else client.get
    for path in args.paths:
        for _ in range(20):
            assert send(path).status_code in (200, 204)
        if args.cpu:
            start = time.process_time()
            for _ in range(args.n):
                send(path)
            cpu = (time.process_time() - start) / args.n * 1000
            print(f"{path}: {cpu:.2f} ms CPU per request ({args.n} requests)")
            continue
        with CaptureQueriesContext(connection) as capture:
            send(path)
        # Read now: the next request empties the connection's query log the capture reads.
        queries = list(capture.captured_queries)
        start = time.perf_counter()
        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(args.n):
                send(path)
        elapsed = (time.perf_counter() - start) / args.n * 1000
        print(f"== {path}: {elapsed:.2f} ms per request (profiled), {len(queries)} statements")
        for query in queries:
            print("   ", query["sql"][:160])
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.html:
            args.html.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "_") or "accueil"
            (args.html / f"{name}.html").write_text(profiler.output_html())


if __name__ == "__main__":
    main()
