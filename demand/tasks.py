from celery import shared_task

from demand.services import needs_expire


@shared_task(name="demand.expire_needs", acks_late=True)
def expire_needs_task() -> int:
    """Nightly: published needs whose expected window passed with no engagement become expired."""
    return needs_expire()
