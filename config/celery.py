"""The Celery app. Without CELERY_BROKER_URL, settings make every task run inline (always eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("kjxfd")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
