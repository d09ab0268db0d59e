"""Record every background task that gives up, with a reason in Chinese, as a TaskFailure.

Connected to Celery's task_failure signal, so it covers the tasks of every app (core knows no app above
it; each app's tasks are recorded here). The signal fires once per task, after its last attempt:
at once for bad input, after the bounded retries for a transient error.
"""

import json
import logging

from celery.signals import task_failure
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction

from config.celery import TRANSIENT_ERRORS
from core.models import TaskFailure
from core.task_deliveries import WorkerLostRepeatedly

logger = logging.getLogger(__name__)


def failure_reason(exc: BaseException, attempts: int) -> str:
    if isinstance(exc, TRANSIENT_ERRORS):
        return f"数据库或网络暂时不可用，已尝试 {attempts} 次仍失败"
    if isinstance(exc, WorkerLostRepeatedly):
        return f"任务已投递 {exc.deliveries} 次，每次执行中工作进程都退出了，已放弃"
    # An app's own error may say why in Chinese (matching's ModelMissingError does): core knows no app.
    if isinstance(getattr(exc, "failure_reason", None), str):
        return exc.failure_reason
    if isinstance(exc, ImproperlyConfigured):
        return f"配置有误：{exc}"[:500]
    if isinstance(exc, ObjectDoesNotExist):
        return "任务引用的对象不存在"
    if isinstance(exc, ValueError | TypeError | ValidationError):
        return f"任务参数无效：{exc}"[:500]
    return "任务执行出错"


def _plain(value):
    """Arguments as JSON (a message's arguments already are; an inline call's may not be)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=repr))


def task_failure_record(*, task_name, task_id, args, kwargs, exc, attempts) -> TaskFailure | None:
    try:
        # Its own transaction: the failed task's may be broken; a database that is down is only logged.
        with transaction.atomic():
            return TaskFailure.objects.create(
                task_name=task_name,
                task_id=task_id or "",
                args=_plain(list(args or [])),
                kwargs=_plain(dict(kwargs or {})),
                reason=failure_reason(exc, attempts),
                exception=f"{type(exc).__name__}: {exc}"[:4000],
                attempts=attempts,
            )
    except DatabaseError:
        logger.exception("could not record the failure of task %s (%s)", task_name, task_id)
        return None


@task_failure.connect(dispatch_uid="matching.task_failure_record")
def on_task_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra):
    request = getattr(sender, "request", None)
    retries = getattr(request, "retries", 0) or 0
    task_failure_record(
        task_name=getattr(sender, "name", str(sender)),
        task_id=task_id,
        args=args,
        kwargs=kwargs,
        exc=exception,
        attempts=retries + 1,
    )
