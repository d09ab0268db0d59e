"""A bound on redelivery: a task that kills its worker every time it runs is given up after a few tries.

acks_late with reject_on_worker_lost puts a task back on the queue when its worker process dies mid-run,
so a batch cut short by a killed worker is finished by another. A task that itself kills the process
(it exhausts memory, it crashes native code) would come back forever. Every delivery of a task attempt
is counted in the database before the task runs (committed at once, so it survives the crash); the
delivery after MAX_DELIVERIES is recorded as a TaskFailure and acknowledged without running.

The Celery app uses CountedTask as the class of every task (config/celery.py). Inline (eager) runs and
direct calls are not counted: they have no message to redeliver.
"""

import logging
from datetime import timedelta

from celery import Task
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

# Rows of attempts that never finished (their message was purged, say) are swept after this long.
STALE_AFTER = timedelta(days=7)


def max_deliveries() -> int:
    return getattr(settings, "CELERY_TASK_MAX_DELIVERIES", 3)


def delivery_count(*, task_id: str, retries: int, task_name: str) -> int:
    """Count one more delivery of this attempt; returns how many there have been, this one included."""
    from core.models import TaskDelivery

    with transaction.atomic():
        updated = TaskDelivery.objects.filter(task_id=task_id, retries=retries).update(
            deliveries=F("deliveries") + 1
        )
        if updated:
            return TaskDelivery.objects.get(task_id=task_id, retries=retries).deliveries
    try:
        with transaction.atomic():
            TaskDelivery.objects.create(task_id=task_id, retries=retries, task_name=task_name)
    except IntegrityError:  # another worker got the same message at the same moment
        return delivery_count(task_id=task_id, retries=retries, task_name=task_name)
    TaskDelivery.objects.filter(first_at__lt=timezone.now() - STALE_AFTER).delete()
    return 1


def delivery_forget(task_id: str) -> None:
    from core.models import TaskDelivery

    TaskDelivery.objects.filter(task_id=task_id).delete()


class CountedTask(Task):
    def __call__(self, *args, **kwargs):
        request = self.request
        if request.is_eager or not request.id or request.called_directly:
            return super().__call__(*args, **kwargs)
        retries = request.retries or 0
        try:
            deliveries = delivery_count(task_id=request.id, retries=retries, task_name=self.name)
        except DatabaseError:
            # The database is down: run anyway; the task's own queries will meet the same error and
            # take the bounded transient retries.
            logger.warning("could not count the delivery of task %s (%s)", self.name, request.id)
            return super().__call__(*args, **kwargs)
        if deliveries > max_deliveries():
            self._give_up(args, kwargs, deliveries)
            return None
        try:
            return super().__call__(*args, **kwargs)
        finally:
            # Finished (succeeded, failed or handed to a retry with a new number): nothing to count.
            try:
                delivery_forget(request.id)
            except DatabaseError:
                logger.warning("could not clear the delivery count of task %s (%s)", self.name, request.id)

    def _give_up(self, args, kwargs, deliveries: int) -> None:
        from core.task_failures import task_failure_record

        request = self.request
        logger.error("task %s (%s) gave up after %d deliveries", self.name, request.id, deliveries - 1)
        task_failure_record(
            task_name=self.name,
            task_id=request.id,
            args=args,
            kwargs=kwargs,
            exc=WorkerLostRepeatedly(deliveries - 1),
            attempts=(request.retries or 0) + 1,
        )
        try:
            delivery_forget(request.id)
        except DatabaseError:
            pass


class WorkerLostRepeatedly(Exception):
    def __init__(self, deliveries: int):
        super().__init__(f"任务已投递 {deliveries} 次，每次执行中工作进程都退出了，不再执行")
        self.deliveries = deliveries
