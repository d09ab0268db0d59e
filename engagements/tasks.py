"""engagements's periodic task. Its name keeps the "matching." prefix it was scheduled and queued under
before the app was split out, so beat schedules and messages already in a queue still reach it."""

from celery import shared_task

from config.celery import RETRY_TRANSIENT
from engagements.assignments import assignments_escalate_overdue


@shared_task(name="matching.escalate_assignments", **RETRY_TRANSIENT)
def escalate_assignments_task() -> int:
    """Assignments unanswered past their deadline go back to the operator who made them."""
    return assignments_escalate_overdue()
