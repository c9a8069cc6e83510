"""gunicorn's configuration for Guichet in production (docs/operations.md « Processus »).

    gunicorn -c config/gunicorn.conf.py config.wsgi

Everything is read from the environment, like the settings:

GUICHET_BIND          address:port to listen on (default 127.0.0.1:8000: behind the fund's
                      reverse proxy, which terminates TLS and buffers slow clients)
GUICHET_WEB_WORKERS   worker processes (default: the machine's cores; the pages are CPU-bound)
GUICHET_WEB_THREADS   threads per worker (default 1: sync workers; more switches to gthread)
GUICHET_WEB_TIMEOUT   seconds a request may take before its worker is killed and replaced
                      (default 30; the slowest page, a PDF, takes well under a second)
GUICHET_PROXY_PROTOCOL   off (default), v1, v2 or auto: the reverse proxy sends the PROXY
                      protocol header, so that REMOTE_ADDR is the visitor's address (the
                      per-address login throttles count visitors, not the proxy)
GUICHET_PROXY_ALLOW_IPS  the proxies trusted for it (default 127.0.0.1,::1)

gunicorn's access log is off: the application writes one JSON line per request itself, with
its request id and without the query string (guichet.core.middleware.RequestLogMiddleware);
gunicorn's own messages are JSON lines on the standard error too.

The request latency histogram is counted by every worker in prometheus-client's multiprocess
files: PROMETHEUS_MULTIPROC_DIR, set here before any worker starts (a new empty directory
unless the environment names one, emptied then), so that /metriques sums every worker.
"""

import os
import tempfile
from pathlib import Path

# Before prometheus_client is imported anywhere: it picks its storage at import time.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()
else:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="guichet-prometheus-")

bind = [os.environ.get("GUICHET_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("GUICHET_WEB_WORKERS", str(os.cpu_count() or 1)))
threads = int(os.environ.get("GUICHET_WEB_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUICHET_WEB_TIMEOUT", "30"))
proxy_protocol = os.environ.get("GUICHET_PROXY_PROTOCOL", "off")
proxy_allow_ips = os.environ.get("GUICHET_PROXY_ALLOW_IPS", "127.0.0.1,::1")
graceful_timeout = 30
keepalive = 5
# A worker is replaced after about a thousand requests (spread, so not all at once).
max_requests = 1000
max_requests_jitter = 100

# gunicorn's control socket (gunicornc) is not used: stopping and reloading go by signals
# (TERM, HUP), and two gunicorns of one machine would share its default path.
control_socket_disable = True

accesslog = None
errorlog = "-"
loglevel = "info"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "{levelname}{name}{message}",
            "style": "{",
            "timestamp": "time",
            "json_ensure_ascii": False,
            "rename_fields": {"levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": [], "level": "WARNING"},
}


def child_exit(server, worker):
    """A worker is gone: its live gauges leave the multiprocess files (its counts stay)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
