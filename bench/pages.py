"""Guichet's insured pages as a share of a bare Django's throughput (issue 16, « Pages »).

    .venv/bin/python bench/pages.py [--rounds 3] [--seconds 10] [--connections 32]
                                    [--insured 20000] [--fresh] [--json FILE]

Starts, side by side on free loopback ports, the same gunicorn (2 sync workers) serving

- bench/helloworld/: a bare Django project (startproject's settings, one view), the yardstick;
- Guichet with its production settings (GUICHET_DEBUG=false, a bench secret key) on its own
  PostgreSQL database ``pages_bench`` (created at the first run: migrate, seed_demo, then
  ``seed_scale --insured N``; kept for later runs, ``--fresh`` starts it again);

signs in the demo persona ``family-of-four`` (docs/personas.md) through the login form, checks
that every page answers as it should with that session, then runs wrk (Debian's package,
``apt-get install wrk``, done here when it is missing) for each round on each target in turn:
hello-world, the minimal signed-in view (« Rester connecté », ``POST /session/prolonger/``),
Accueil, Mes informations, Mes paiements. Every response's status is counted by wrk's Lua
hooks: a round whose responses are not all the expected status fails the run.

Prints req/s, the share of the same round's hello-world, p50 and p99 per page and round, then
the goals of issue 16 (every insured page >= 25 %, the minimal view >= 60 %, p99 < 100 ms) as
met or NOT met. Loopback only; bounded: rounds x targets x seconds (3 x 5 x 10 s by default).
"""

import argparse
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG_SERVER = os.environ.get("PAGES_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PERSONA_NIR = "284057511101104"  # family-of-four (docs/personas.md)
PERSONA_CODE = "Guichet-Demo!"
WORKERS = 2

# (name, method, path, expected status, text the checked page must contain)
TARGETS = [
    ("hello-world", "GET", "/", 200, "Hello, world"),
    ("vue minimale connectée", "POST", "/session/prolonger/", 204, ""),
    ("Accueil", "GET", "/", 200, "<title>Accueil"),
    ("Mes informations", "GET", "/mes-informations/", 200, "<title>Mes informations"),
    ("Mes paiements", "GET", "/mes-paiements/", 200, "<title>Mes paiements"),
]
INSURED_PAGES = ("Accueil", "Mes informations", "Mes paiements")
GOAL_PAGE, GOAL_MINIMAL, GOAL_P99_MS = 0.25, 0.60, 100.0

LUA = """
wrk.method = "{method}"
{headers}
{body}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) good = 0; bad = 0 end
function response(status, headers, body)
  if status == {status} then good = good + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local g, b = 0, 0
  for _, t in ipairs(threads) do g = g + t:get("good"); b = b + t:get("bad") end
  io.write(string.format("RESULT requests=%d duration_us=%d good=%d bad=%d errors=%d "
    .. "p50_us=%d p99_us=%d\\n", summary.requests, summary.duration, g, b,
    summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return shutil.which("wrk") or sys.exit("wrk introuvable après apt-get install wrk")


def psql(sql: str) -> str:
    out = subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-Atqc", sql], check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def prepare_database(env: dict[str, str], db: str, insured: int, fresh: bool) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", db):
        sys.exit("nom de base : lettres minuscules, chiffres et _")
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"  # noqa: S608
    if fresh and exists:
        psql(f'DROP DATABASE "{db}"')
        exists = False
    if not exists:
        psql(f'CREATE DATABASE "{db}"')
    manage = [str(PY), "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], check=True, cwd=ROOT, env=env)
    if not exists and insured:
        print(f"seed_scale --insured {insured} …", flush=True)
        subprocess.run(
            [*manage, "seed_scale", "--insured", str(insured), "-v0"], check=True, cwd=ROOT, env=env
        )
    # Idempotent: restores the personas (failed logins forgotten, inbox as documented).
    subprocess.run([*manage, "seed_demo"], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["psql", f"{PG_SERVER}/{db}", "-qc", "VACUUM ANALYZE"], check=True, capture_output=True
    )


def start_gunicorn(wsgi: str, chdir: Path, port: int, env: dict[str, str], log: Path):
    command = [
        str(GUNICORN),
        wsgi,
        "--chdir",
        str(chdir),
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--error-logfile",
        str(log),
    ]
    return subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL)


def wait_up(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn s'est arrêté :\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn ne répond pas sur le port {port}")


def request(port: int, method: str, path: str, headers: dict[str, str], body: str = ""):
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    data = response.read().decode("utf-8", "replace")
    cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]
    conn.close()
    return response.status, response.getheader("Location"), cookies, data


def sign_in(port: int) -> dict[str, str]:
    """The persona's cookies after the login form (the session cookie is Secure in production,
    so it is read from Set-Cookie here rather than through a cookie jar)."""
    status, _, cookies, page = request(port, "GET", "/connexion/", {})
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not match or "csrftoken" not in cookies:
        sys.exit(f"page de connexion inattendue ({status})")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": html.unescape(match[1]), "nir": PERSONA_NIR, "code": PERSONA_CODE}
    )
    headers = {
        "Cookie": f"csrftoken={cookies['csrftoken']}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    status, location, new, _ = request(port, "POST", "/connexion/", headers, form)
    if status != 302 or "sessionid" not in new:
        sys.exit(f"connexion refusée ({status}, {location})")
    return {**cookies, **new}


def target_headers(name: str, method: str, cookies: dict[str, str]) -> dict[str, str]:
    if name == "hello-world":
        return {}
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if method == "POST":
        headers["X-CSRFToken"] = cookies["csrftoken"]
    return headers


def check_targets(ports: dict[str, int], cookies: dict[str, str]) -> None:
    for name, method, path, expected, text in TARGETS:
        port = ports["hello" if name == "hello-world" else "guichet"]
        status, location, _, body = request(
            port, method, path, target_headers(name, method, cookies)
        )
        if status != expected or text not in body:
            sys.exit(f"{name} : réponse {status} ({location}) au lieu de {expected}")


def run_wrk(wrk: str, url: str, lua: Path, connections: int, seconds: float) -> dict:
    out = subprocess.run(
        [
            wrk,
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds:g}s",
            "--timeout",
            "10s",
            "--script",
            str(lua),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"RESULT (.+)", out)
    if not match:
        sys.exit(f"sortie de wrk inattendue :\n{out}")
    fields = {k: int(v) for k, v in (item.split("=") for item in match[1].split())}
    return {
        "rps": fields["requests"] / (fields["duration_us"] / 1e6),
        "good": fields["good"],
        "bad": fields["bad"],
        "errors": fields["errors"],
        "p50_ms": fields["p50_us"] / 1000,
        "p99_ms": fields["p99_us"] / 1000,
    }


def lua_script(directory: Path, index: int, method: str, headers: dict, status: int) -> Path:
    lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    body = 'wrk.body = ""' if method == "POST" else ""
    path = directory / f"target{index}.lua"
    path.write_text(LUA.format(method=method, headers=lines, body=body, status=status))
    return path


def spread(values: list[float], fmt: str) -> str:
    low, high = min(values), max(values)
    return (
        format(low, fmt)
        if format(low, fmt) == format(high, fmt)
        else (f"{format(low, fmt)}–{format(high, fmt)}")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--insured", type=int, default=20000, help="seed_scale at creation")
    parser.add_argument("--database", default="pages_bench")
    parser.add_argument("--fresh", action="store_true", help="drop and seed the database again")
    parser.add_argument("--json", type=Path, help="also write the figures there")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 5 or not 1 <= args.seconds <= 30 or args.connections > 64:
        sys.exit("borné : 1 à 5 tours, 1 à 30 s, 64 connexions au plus")

    wrk = ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    env = {
        **os.environ,
        "GUICHET_DEBUG": "false",
        "GUICHET_SECRET_KEY": "bench-pages-only-secret-key-not-for-production-0123456789",
        "DATABASE_URL": f"{PG_SERVER}/{args.database}",
        "GUICHET_VAR_DIR": str(work / "var"),
        "GUICHET_LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    prepare_database(env, args.database, args.insured, args.fresh)

    ports = {"hello": free_port(), "guichet": free_port()}
    processes = []
    try:
        for key, wsgi, chdir, extra in (
            ("hello", "wsgi:application", ROOT / "bench" / "helloworld", {}),
            ("guichet", "config.wsgi:application", ROOT, env),
        ):
            log = work / f"{key}.log"
            process_env = {**os.environ, **extra}
            processes.append((start_gunicorn(wsgi, chdir, ports[key], process_env, log), log))
            wait_up(ports[key], *processes[-1])
        cookies = sign_in(ports["guichet"])
        check_targets(ports, cookies)

        scripts = []
        for index, (name, method, path, status, _) in enumerate(TARGETS):
            port = ports["hello" if name == "hello-world" else "guichet"]
            headers = target_headers(name, method, cookies)
            lua = lua_script(work, index, method, headers, status)
            scripts.append((name, f"http://127.0.0.1:{port}{path}", lua))

        print(f"machine: {os.cpu_count()} CPU, load before: {loadavg()}", flush=True)
        for _, url, lua in scripts:  # warm-up, not counted
            run_wrk(wrk, url, lua, args.connections, 2)
        results: dict[str, list[dict]] = {name: [] for name, _, _ in scripts}
        for round_number in range(1, args.rounds + 1):
            for name, url, lua in scripts:
                figures = run_wrk(wrk, url, lua, args.connections, args.seconds)
                if figures["bad"] or figures["errors"]:
                    sys.exit(f"{name}, tour {round_number} : {figures}")
                results[name].append(figures)
                print(
                    f"round {round_number} {name:24} {figures['rps']:8.1f} req/s  "
                    f"p50 {figures['p50_ms']:6.1f} ms  p99 {figures['p99_ms']:6.1f} ms",
                    flush=True,
                )
        load_after = loadavg()
    finally:
        for process, _ in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)

    hello = results["hello-world"]
    print(f"\nload after: {load_after}; {args.connections} connections, {args.rounds} rounds")
    print("| page | req/s | share of hello-world | p50 ms | p99 ms | goal |")
    print("|---|---:|---:|---:|---:|---|")
    verdicts = {}
    for name, rounds in results.items():
        rps = [r["rps"] for r in rounds]
        shares = [r["rps"] / h["rps"] for r, h in zip(rounds, hello, strict=True)]
        p99 = [r["p99_ms"] for r in rounds]
        goal = ""
        if name != "hello-world":
            floor = GOAL_PAGE if name in INSURED_PAGES else GOAL_MINIMAL
            share_met = min(shares) >= floor
            p99_met = max(p99) < GOAL_P99_MS
            verdicts[name] = share_met and p99_met
            goal = (
                f"≥ {floor:.0%} {'met' if share_met else 'NOT met'}, "
                f"p99 < {GOAL_P99_MS:g} ms {'met' if p99_met else 'NOT met'}"
            )
        print(
            f"| {name} | {spread(rps, ',.0f')} | {spread([s * 100 for s in shares], '.1f')} % "
            f"| {spread([r['p50_ms'] for r in rounds], '.1f')} | {spread(p99, '.1f')} | {goal} |"
        )
    print("\nall goals met" if all(verdicts.values()) else "\ngoals NOT all met")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"load_after": load_after, "cpus": os.cpu_count(), "results": results}, indent=2
            )
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
