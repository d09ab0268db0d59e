"""Tasks given bad input fail at once, are not retried, and leave a TaskFailure saying why."""

import pytest

from core.models import TaskFailure
from core.task_failures import failure_reason
from matching.tasks import need_published_task, needs_embed_task, saved_search_digest_task

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize(
    ("task", "args", "reason"),
    [
        (need_published_task, ["不是编号"], "任务参数无效：需求编号必须是正整数，收到的是 '不是编号'"),
        (need_published_task, [-3], "任务参数无效：需求编号必须是正整数，收到的是 -3"),
        (needs_embed_task, [[1, "二"]], "任务参数无效：需求编号必须是正整数，收到的是 '二'"),
        (needs_embed_task, [5], "任务参数无效：需求编号列表格式错误，收到的是 5"),
        (saved_search_digest_task, ["hourly"], "任务参数无效：订阅汇总频率只能是 daily 或 weekly"),
    ],
)
def test_bad_input_is_recorded_once_with_a_chinese_reason(task, args, reason):
    # throw=False: inline, as the platform runs tasks without a broker (the suite otherwise re-raises
    # before Celery's failure handling runs)
    result = task.apply(args=args, throw=False)
    assert result.failed() and isinstance(result.result, ValueError)
    failure = TaskFailure.objects.get()
    assert failure.task_name == task.name
    assert failure.args == args
    assert failure.reason.startswith(reason)
    assert failure.attempts == 1
    assert failure.exception.startswith("ValueError: ")


def test_a_misconfigured_setting_is_named_in_the_reason(settings):
    from matching import embedding_store

    settings.EMBEDDING_PRECISION = "fp16"
    with pytest.raises(Exception) as caught:
        embedding_store.load_embedder(settings.EMBEDDING_MODEL)
    assert failure_reason(caught.value, 1).startswith("配置有误：EMBEDDING_PRECISION 只能是")


def test_transient_errors_say_how_often_they_were_tried():
    from django.db import OperationalError

    assert failure_reason(OperationalError("server closed the connection"), 6) == (
        "数据库或网络暂时不可用，已尝试 6 次仍失败"
    )


def test_deliveries_are_counted_per_attempt_and_stale_counts_are_swept():
    from datetime import timedelta

    from django.utils import timezone

    from core.models import TaskDelivery
    from core.task_deliveries import STALE_AFTER, delivery_count, delivery_forget

    # a forgotten attempt of long ago, whose message never came back
    old = TaskDelivery.objects.create(task_id="旧任务", retries=0, task_name="t")
    TaskDelivery.objects.filter(pk=old.pk).update(first_at=timezone.now() - STALE_AFTER - timedelta(hours=1))

    assert delivery_count(task_id="a", retries=0, task_name="t") == 1
    assert not TaskDelivery.objects.filter(pk=old.pk).exists()
    assert delivery_count(task_id="a", retries=0, task_name="t") == 2
    # a retry is a new attempt with its own count
    assert delivery_count(task_id="a", retries=1, task_name="t") == 1
    assert delivery_count(task_id="b", retries=0, task_name="t") == 1

    delivery_forget("a")
    assert list(TaskDelivery.objects.values_list("task_id", flat=True)) == ["b"]
