"""teams' scheduled task: rectification reminders and escalation (teams.feedback)."""

from celery import shared_task

from config.celery import RETRY_TRANSIENT
from teams.feedback import rectification_reminders


@shared_task(name="teams.rectification_reminders", **RETRY_TRANSIENT)
def rectification_reminders_task() -> dict:
    return rectification_reminders()
