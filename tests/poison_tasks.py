"""A task that kills the process running it, every time: what a task that exhausts memory or crashes
native code does to its worker. Only test workers load it (`celery worker --include tests.poison_tasks`)."""

import os

from celery import shared_task


@shared_task(name="tests.kill_own_process")
def kill_own_process(label: str) -> str:
    os._exit(1)
    return label  # never reached
