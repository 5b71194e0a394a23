"""The Celery application.

With ``CELERY_BROKER_URL`` unset, settings make tasks run in-process (the embedded default);
with it set, tasks go through Redis to a worker.
"""

import os

from celery import Celery

from alis.logging import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alis.settings.base")

app = Celery("alis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Log lines of a task carry its id and the id of the request that queued it.
connect_celery_signals()
