"""Tasks through a real Redis broker and real worker processes: a worker killed mid-batch loses
nothing and duplicates nothing; bad input fails once and is recorded; a worker whose database
connections are cut recovers without a restart."""

import os
import signal
import uuid

import pytest
from django.db import connection

from core.models import TaskDelivery, TaskFailure
from demand.models import Need
from matching import embedding_store, services
from matching.models import Recommendation, TextEmbedding
from tests.factories import EnterpriseFactory, IndustryFactory, RegionFactory, build_valid_team
from tests.matching.test_embeddings import MODEL
from tests.workers import broker_ready, client_app, pool_children, wait_until, worker_start, worker_stop

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

# Redelivery of a dead worker's message after 3 s instead of an hour, so the test is quick.
FAST_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "3",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}
WORDS = ["减振", "降噪", "杂质分析", "工艺优化", "数控", "视觉检测", "热处理", "涂层", "电机", "注塑"]


@pytest.fixture
def broker(tmp_path):
    url = broker_ready()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    client = client_app(url)
    started = []

    def start(pool="solo", include=None, **env):
        process = worker_start(
            url,
            queue,
            env={**FAST_REDELIVERY, **env},
            log=tmp_path / "worker.log",
            pool=pool,
            include=include,
        )
        started.append(process)
        return process

    def send(name, *args):
        return client.send_task(name, args=list(args), queue=queue)

    yield start, send
    for process in started:
        worker_stop(process)
    client.close()
    print((tmp_path / "worker.log").read_text()[-4000:] if (tmp_path / "worker.log").exists() else "")


def needs_published(count: int) -> list[Need]:
    """Published needs written straight to the table: publishing through the services would embed
    them inline in this process (tasks are eager in the suite), and the worker must do it."""
    enterprise = EnterpriseFactory()
    industry, region = IndustryFactory(), RegionFactory()
    return Need.objects.bulk_create(
        [
            Need(
                enterprise=enterprise,
                title=f"第{i}号需求：{WORDS[i % len(WORDS)]}技术攻关",
                description=f"企业生产线需要{WORDS[i % len(WORDS)]}与{WORDS[(i * 7) % len(WORDS)]}方面的支持，编号{i}。",
                industry=industry,
                region=region,
                service_types=["diagnosis"],
                status=Need.Status.PUBLISHED,
            )
            for i in range(count)
        ]
    )


def batch_world(*team_names: str):
    """Serving teams with these names, 96 published needs for a worker to embed, and the hashes their
    vectors will be stored under; skips the test when the default model is not built."""
    if not (MODEL / "modules.json").exists():
        pytest.skip("默认模型未构建")
    teams = [build_valid_team(status="active", name_suffix=name) for name in team_names]
    needs = needs_published(96)
    hashes = [embedding_store.need_text_hash(text) for text in services.need_texts(needs)]
    return teams, needs, hashes


def embedded_count(hashes: list[str]) -> int:
    return TextEmbedding.objects.filter(text_hash__in=hashes).count()


def test_a_worker_killed_mid_batch_leaves_every_need_embedded_exactly_once(broker):
    start, send = broker
    teams, needs, hashes = batch_world("缝制装备", "原料药工艺", "汽摩配件")

    # given a worker embedding the batch, killed outright (no warm shutdown, no ack) part way through
    first = start()
    result = send("matching.needs_embed", [n.pk for n in needs])
    wait_until(lambda: embedded_count(hashes) >= 16, timeout=240, what="the first chunk to be embedded")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    done_when_killed = embedded_count(hashes)
    assert 0 < done_when_killed < len(needs), "the worker must be killed mid-batch"

    # when another worker starts, the unacknowledged message is redelivered to it
    second = start()
    assert result.get(timeout=300) == len(needs) * len(teams)
    assert second.poll() is None

    # then every need has exactly one vector and one full, unduplicated set of recommendations
    for text_hash in hashes:
        assert TextEmbedding.objects.filter(text_hash=text_hash).count() == 1
    assert TextEmbedding.objects.filter(text_hash__in=hashes).count() == len(needs)
    for need in needs:
        ranks = list(Recommendation.objects.filter(need=need).values_list("rank", flat=True))
        assert sorted(ranks) == list(range(1, len(teams) + 1))
    assert not TaskFailure.objects.exists()
    assert not TaskDelivery.objects.exists()  # the count of the finished task is cleared


def test_a_pool_process_killed_mid_batch_is_replaced_and_the_batch_runs_again(broker, tmp_path):
    start, send = broker
    teams, needs, hashes = batch_world("缝制装备", "原料药工艺")
    worker = start(pool="prefork")
    result = send("matching.needs_embed", [n.pk for n in needs])

    # given the pool process running the batch dies (out of memory, say) part way through
    wait_until(lambda: embedded_count(hashes) >= 16, timeout=240, what="the first chunk to be embedded")
    (child,) = pool_children(worker.pid)
    os.kill(child, signal.SIGKILL)
    assert embedded_count(hashes) < len(needs), "the pool process must be killed mid-batch"

    # then reject_on_worker_lost puts the message back, a fresh pool process of the same worker runs
    # it again, and the batch completes once
    assert result.get(timeout=300) == len(needs) * len(teams)
    assert worker.poll() is None
    assert "WorkerLostError" in (tmp_path / "worker.log").read_text()
    assert TextEmbedding.objects.filter(text_hash__in=hashes).count() == len(needs)
    assert Recommendation.objects.filter(need__in=needs).count() == len(needs) * len(teams)
    assert not TaskFailure.objects.exists()


def test_a_task_that_kills_its_worker_every_run_is_given_up_after_a_bounded_number_of_deliveries(
    broker, tmp_path
):
    start, send = broker
    worker = start(pool="prefork", include="tests.poison_tasks", CELERY_TASK_MAX_DELIVERIES="3")

    # given a task whose every run kills the pool process running it
    result = send("tests.kill_own_process", "毒消息")

    # then it is delivered three times, the fourth delivery records why and drops it
    failure = wait_until(
        lambda: TaskFailure.objects.filter(task_id=result.id).first(), timeout=180, what="the failure row"
    )
    assert failure.task_name == "tests.kill_own_process"
    assert failure.args == ["毒消息"]
    assert failure.reason == "任务已投递 3 次，每次执行中工作进程都退出了，已放弃"
    assert failure.exception.startswith("WorkerLostRepeatedly")
    assert result.get(timeout=60) is None  # acknowledged, not back on the queue
    assert (tmp_path / "worker.log").read_text().count("exited with 'exitcode 1'") == 3
    assert not TaskDelivery.objects.exists()

    # and the worker carries on with other work
    assert worker.poll() is None
    assert send("demand.expire_needs").get(timeout=120) == 0
    assert TaskFailure.objects.count() == 1


def test_bad_input_fails_once_and_is_recorded(broker):
    start, send = broker
    start()
    result = send("matching.need_published", "不是编号")
    with pytest.raises(ValueError, match="需求编号必须是正整数"):
        result.get(timeout=120)
    failure = wait_until(
        lambda: TaskFailure.objects.filter(task_id=result.id).first(), timeout=30, what="the failure row"
    )
    assert failure.task_name == "matching.need_published"
    assert failure.args == ["不是编号"]
    assert failure.attempts == 1  # not retried
    assert failure.reason.startswith("任务参数无效：需求编号必须是正整数")
    assert failure.exception.startswith("ValueError")


def cut_database_connections() -> int:
    """What a PostgreSQL restart does to every client but this one (the server itself is shared)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return sum(1 for (ok,) in cursor.fetchall() if ok)


def test_a_worker_whose_connection_is_cut_mid_task_retries_and_finishes(broker, tmp_path):
    start, send = broker
    teams, needs, hashes = batch_world("缝制装备", "原料药工艺")
    worker = start()
    result = send("matching.needs_embed", [n.pk for n in needs])

    # given the database drops the worker's connection while it works through the batch
    wait_until(lambda: embedded_count(hashes) >= 16, timeout=240, what="the first chunk to be embedded")
    assert cut_database_connections() >= 1
    assert embedded_count(hashes) < len(needs), "the connection must be cut mid-task"

    # then the task fails on its next query, is retried (bounded) in the same worker, and finishes
    assert result.get(timeout=300) == len(needs) * len(teams)
    assert worker.poll() is None
    assert "OperationalError" in (tmp_path / "worker.log").read_text()
    assert embedded_count(hashes) == len(needs)
    assert Recommendation.objects.filter(need__in=needs).count() == len(needs) * len(teams)
    assert not TaskFailure.objects.exists()


def test_a_worker_whose_connections_are_cut_between_tasks_needs_no_restart(broker):
    start, send = broker
    worker = start(DB_CONN_MAX_AGE="600")
    assert send("demand.expire_needs").get(timeout=120) == 0

    # given the database drops every connection between two tasks (as a restart would)
    cut_database_connections()

    # when the next task arrives, then it succeeds in the same worker process, with nothing recorded
    need = needs_published(1)[0]
    Need.objects.filter(pk=need.pk).update(expected_start="2020-01-01", duration_months=1)
    assert send("demand.expire_needs").get(timeout=120) == 1
    assert Need.objects.get(pk=need.pk).status == Need.Status.EXPIRED
    assert worker.poll() is None
    assert not TaskFailure.objects.exists()
