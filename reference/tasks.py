"""Celery tasks of the reference app.

``reference_load_task`` loads every taxonomy from the fixtures. It is idempotent (upsert by code, one
transaction), so redelivery after a lost worker is harmless: acks_late and reject_on_worker_lost come from
settings (CELERY_TASK_ACKS_LATE …). It returns the counts dict of :func:`reference.loaders.load_all`.
"""

import logging

from celery import shared_task

from config.celery import RETRY_TRANSIENT
from reference.loaders import load_all

logger = logging.getLogger(__name__)


@shared_task(name="reference.load_reference", **RETRY_TRANSIENT)
def reference_load_task() -> dict:
    counts = load_all()
    logger.info(
        "reference data loaded: %s",
        ", ".join(
            f"{key} {value['total']} (+{value['created']}, ~{value['updated']})"
            for key, value in counts.items()
        ),
    )
    return counts
