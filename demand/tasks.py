from celery import shared_task

from config.celery import RETRY_TRANSIENT
from demand.services import needs_expire


@shared_task(name="demand.expire_needs", **RETRY_TRANSIENT)
def expire_needs_task() -> int:
    """Nightly: published needs whose expected window passed with no engagement become expired.
    Idempotent: an expired need is no longer published, so a second run finds nothing to do."""
    return needs_expire()
