"""gunicorn's configuration for `regietafel serve`; the bind address, workers and timeout come as arguments."""

import os
import shutil

import gunicorn.http.wsgi
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regietafel.settings")

# The application is loaded once, before the workers are forked: they start at once and share its memory.
preload_app = True
# Let a request finish when a worker is stopped; restart workers now and then, so that none grows for ever.
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
# One line per request comes from the application (route, status, duration, request id), not from gunicorn.
accesslog = None
# No control socket: systemd (deploy/) starts and stops the server, and gunicorn's default socket lies in the home
# directory, shared by every instance the same user runs.
control_socket_disable = True

# Answers do not name the server software and its version ("Server: gunicorn"): gunicorn has no setting for it.
gunicorn.http.wsgi.SERVER = "Regietafel"
# gunicorn's own messages (workers starting, stopping) in the application's format, through the same filters.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": settings.LOGGING["filters"],
    "formatters": settings.LOGGING["formatters"],
    "handlers": {"console": settings.LOGGING["handlers"]["console"]},
    "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}


def child_exit(server, worker):
    """A stopped worker's live gauges go with it (prometheus_client multiprocess mode)."""
    from prometheus_client import multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if directory := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shutil.rmtree(directory, ignore_errors=True)
