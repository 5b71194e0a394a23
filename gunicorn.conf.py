"""gunicorn settings for the production shape (Procfile and docker-compose use this file).

Everything can be overridden by environment variables, so one file serves every deployment.
"""

import gc
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# PDFs are built by the Celery worker, so a request never needs long; a stuck one is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so slow leaks cannot grow without bound; jitter spreads restarts.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory, not on a possibly slow disk (Linux).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Load Django once in the master, then fork: workers share its memory pages (copy-on-write).
preload_app = True
# X-Forwarded-* only from the reverse proxy on this host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None  # Django logs every request as a JSON line with its request id
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The recipe from the gc module's documentation for fork-without-exec servers: no collections
# in the master (no freed holes in shared pages), freeze everything just before fork (the
# children's collections never touch, hence never copy, the master's objects), collect again in
# each child with a higher first threshold (fewer pauses for a request-shaped workload).
gc.disable()


def pre_fork(server, worker):
    gc.freeze()


def post_fork(server, worker):
    gc.set_threshold(50_000, 20, 20)
    gc.enable()
