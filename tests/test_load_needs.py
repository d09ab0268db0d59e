"""The load script at a small size: needs posted through the API by concurrent clients, against real
gunicorn, PostgreSQL, Redis and a Celery worker, all end up stored once, embedded and ranked.

The speed it prints is not asserted (speed belongs to the benchmark's JSON); the checks are."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.matching.test_embeddings import MODEL

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.broker]


def test_sixty_needs_from_four_clients_are_all_stored_once_embedded_and_ranked(tmp_path):
    if not settings.TEST_BROKER_URL:
        pytest.skip("设置 TEST_BROKER_URL（如 redis://127.0.0.1:6379/15）以运行压测脚本")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("压测脚本需要 PostgreSQL：设置 DATABASE_URL=postgres://…")
    if not (MODEL / "modules.json").exists():
        pytest.skip("默认模型未构建")

    env = {**os.environ, "TEST_BROKER_URL": settings.TEST_BROKER_URL}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("CELERY_BROKER_URL", None)
    done = subprocess.run(
        [sys.executable, "benchmarks/load_needs.py", "--needs", "60", "--clients", "4", "--readers", "2"]
        + ["--time-limit", "300", "--drain-timeout", "600", "--logs", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode in (0, 1), done.stderr[-3000:]
    result = json.loads(done.stdout)
    checks = result["checks"]
    assert checks["accepted_201"] == 60, result["endpoints"]
    assert checks["stored"] == 60
    assert checks["ok"], checks
    posts = result["endpoints"]["POST /api/v1/needs/"]
    assert posts["requests"] == 60 and posts["status"] == {"201": 60}
    assert {"p50_ms", "p95_ms", "p99_ms", "rps"} <= set(posts)
    assert any(name.startswith("GET /api/v1/") for name in result["endpoints"])
    assert done.returncode == 0
