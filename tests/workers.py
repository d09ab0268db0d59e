"""Real Celery worker processes for the tests marked `broker`, on the test's PostgreSQL database.

A worker cannot see a SQLite in-memory test database, so these tests need DATABASE_URL=postgres://…
and TEST_BROKER_URL; `broker_ready()` skips the test with a message saying what to set.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def broker_ready() -> str:
    if not settings.TEST_BROKER_URL:
        pytest.skip("设置 TEST_BROKER_URL（如 redis://127.0.0.1:6379/15）以通过真实代理运行任务测试")
    if connection.vendor != "postgresql":
        pytest.skip("真实 worker 测试需要 PostgreSQL：设置 DATABASE_URL=postgres://…")
    return settings.TEST_BROKER_URL


def worker_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_start(
    broker_url: str,
    queue: str,
    *,
    env: dict | None = None,
    log: Path,
    pool: str = "solo",
    include: str | None = None,
) -> subprocess.Popen:
    """`celery worker` on a private queue. The solo pool is one process, so SIGKILL stops it dead;
    the prefork pool (one pool process) runs tasks in a child that can be killed on its own."""
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        **(env or {}),
    }
    out = log.open("a")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=INFO",
            *([f"--include={include}"] if include else []),
        ],
        cwd=ROOT,
        env=full_env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )


def worker_stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def client_app(broker_url: str) -> Celery:
    """A client app of its own, so the suite's eager app is left as it is. Not set as the current app:
    otherwise every shared_task queued later in this process (a need published by a later test) would
    go to this app's broker instead of running inline."""
    return Celery("test-client", broker=broker_url, backend=broker_url, set_as_current=False)


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def pool_children(pid: int) -> list[int]:
    """The pool processes a prefork worker forked (Linux /proc)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in children]
