"""The reference-loading task through a real broker and a real worker process.

Runs when TEST_BROKER_URL names a broker and the tests use PostgreSQL (a worker process cannot see a
SQLite in-memory test database); otherwise it is skipped with a message saying what to set.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection

from reference.models import Discipline, Industry, Region
from reference.tasks import reference_load_task
from tests.workers import client_app

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker_url():
    if not settings.TEST_BROKER_URL:
        pytest.skip("设置 TEST_BROKER_URL（如 redis://127.0.0.1:6379/15）以通过真实代理运行任务测试")
    if connection.vendor != "postgresql":
        pytest.skip("真实 worker 测试需要 PostgreSQL：设置 DATABASE_URL=postgres://…")
    return settings.TEST_BROKER_URL


@pytest.fixture
def worker(broker_url):
    """A real `celery worker` process on a private queue, using the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    client = client_app(broker_url)
    try:
        yield lambda: client.send_task(reference_load_task.name, queue=queue)
    finally:
        client.close()
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output[-3000:])


def test_the_reference_loader_runs_in_a_real_worker(worker):
    # when the task goes through the broker to the worker process
    started = time.monotonic()
    counts = worker().get(timeout=180)

    # then the worker wrote the rows into the same database this test reads
    assert time.monotonic() - started < 180
    assert Industry.objects.count() == 1971
    assert Region.objects.count() == 31 + 342 + 2978
    assert Discipline.objects.filter(scheme="csl").count() == 67
    assert counts["industry"]["total"] == 1971


def test_running_it_twice_through_the_worker_changes_nothing(worker):
    worker().get(timeout=180)
    before = (Industry.objects.count(), Region.objects.count(), Discipline.objects.count())
    ids = set(Industry.objects.values_list("id", flat=True))
    worker().get(timeout=180)
    assert (Industry.objects.count(), Region.objects.count(), Discipline.objects.count()) == before
    assert set(Industry.objects.values_list("id", flat=True)) == ids


def test_a_client_app_leaves_the_suites_eager_app_current():
    """Tasks queued after a broker test still run inline: the client app is not made current."""
    before = current_app._get_current_object()
    client = client_app("redis://127.0.0.1:6379/0")  # nothing connects until a task is sent
    try:
        assert current_app._get_current_object() is before
        assert current_app.conf.task_always_eager
    finally:
        client.close()
