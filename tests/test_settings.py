"""Settings: production refuses to start without a secret and hosts; defaults are the embedded ones."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(module: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import {module} as s; print(s.DATABASES['default']['ENGINE'], s.LANGUAGE_CODE, s.TIME_ZONE)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings("config.settings.production", {"ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _import_settings("config.settings.production", {"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_starts_with_both():
    result = _import_settings(
        "config.settings.production", {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    )
    assert result.returncode == 0, result.stderr


def test_local_defaults_are_sqlite_chinese_and_shanghai_time():
    result = _import_settings("config.settings.local", {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "zh-hans", "Asia/Shanghai"]


def test_database_url_selects_postgresql():
    result = _import_settings("config.settings.local", {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"})
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_a_malformed_boolean_is_refused_not_guessed():
    result = _import_settings("config.settings.local", {"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    """`manage.py check --deploy` with the production settings and only what production requires set:
    no warnings at all (--fail-level WARNING turns any into a failure)."""
    # Nothing from the test run leaks in (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the
    # deploy check rightly warns about).
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV", "TMPDIR")
    clean = {k: v for k, v in os.environ.items() if k in keep}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "kjxfd.example.edu.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


DEMO_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")  # the host runserver answers as
page = client.get("/no-such-page/")
api = client.get("/api/v1/no-such-thing/")
css = client.get("/static/css/site.css")
print(json.dumps({
    "debug": settings.DEBUG,
    "page": [page.status_code, page.content.decode()],
    "api": [api.status_code, api["Content-Type"], api.content.decode()],
    "css": [css.status_code, css["Content-Type"], b"".join(css.streaming_content).decode()[:200]],
}))
"""


def test_the_demo_shows_the_product_not_debug_pages():
    """`dev.py serve` runs config.settings.local: debug off, the project's Chinese 404 page, the API's
    JSON error under /api/, and static files served by WhiteNoise from the project's folders."""
    import json

    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, "-c", DEMO_PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["debug"] is False
    status, html = probe["page"]
    assert status == 404 and "<h1>页面不存在</h1>" in html
    assert "URLconf" not in html and "DEBUG = True" not in html
    status, content_type, body = probe["api"]
    assert status == 404 and content_type.startswith("application/json")
    assert json.loads(body)["error"]["code"] == "not_found"
    status, content_type, css = probe["css"]
    assert status == 200 and content_type.startswith("text/css") and css.strip()
