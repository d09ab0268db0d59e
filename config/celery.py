"""The Celery app. Without CELERY_BROKER_URL, settings make every task run inline (always eager)."""

import os

from celery import Celery
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Every task counts its deliveries, so one that kills its worker each run is not redelivered forever.
app = Celery("kjxfd", task_cls="core.task_deliveries:CountedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Errors that pass on their own (the database restarting, a dropped connection, a network blip) are
# retried a bounded number of times with growing, jittered delays. Anything else (a bad argument, a
# validation error) fails at once; matching records every final failure as a TaskFailure.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}
