"""Sign-in is rate limited: too many failures lock the login name (or the address) out for a while,
with a Chinese message, on the pages' login and the admin's; the counters live in the shared cache."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from accounts import login_limits
from tests.factories import StoAdminFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
LOCKED = "登录失败次数过多"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def login(client, username, password, address="10.0.0.1", url=None, **extra):
    return client.post(
        url or reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_it_locks_a_login_name_after_five_failures_even_for_the_right_password(client):
    user = UserFactory()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = login(client, user.username, "wrong-password")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = login(client, user.username, "pass12345")
    assert response.status_code == 429
    assert LOCKED in response.content.decode() and "15 分钟" in response.content.decode()
    assert not signed_in(client)
    # Case does not give a fresh counter.
    assert login(client, user.username.upper(), "pass12345").status_code == 429


@pytest.mark.django_db
def test_another_name_from_the_same_address_still_signs_in(client):
    victim, other = UserFactory(), UserFactory()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, victim.username, "wrong-password")
    response = login(client, other.username, "pass12345")
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_a_correct_password_clears_the_names_failures(client):
    user = UserFactory()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        login(client, user.username, "wrong-password")
    assert login(client, user.username, "pass12345").status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        login(client, user.username, "wrong-password")
    assert login(client, user.username, "pass12345").status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=3)
def test_it_locks_an_address_that_guesses_many_names(client):
    user = UserFactory()
    for n in range(3):
        login(client, f"guess{n}", "x", address="10.9.9.9")
    assert login(client, user.username, "pass12345", address="10.9.9.9").status_code == 429
    assert login(client, user.username, "pass12345", address="10.9.9.8").status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_LOCKOUT_SECONDS=1, LOGIN_FAILURE_LIMIT=2)
def test_the_lock_ends_after_the_lockout(client):
    user = UserFactory()
    for _ in range(2):
        login(client, user.username, "wrong-password")
    assert login(client, user.username, "pass12345").status_code == 429
    time.sleep(1.2)
    assert login(client, user.username, "pass12345").status_code == 302


@pytest.mark.django_db
def test_the_admin_login_counts_failures_too(client):
    admin = StoAdminFactory(is_staff=True)
    url = reverse("admin:login")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, admin.username, "wrong-password", url=url)
    response = login(client, admin.username, "pass12345", url=url)
    assert LOCKED in response.content.decode()
    assert not signed_in(client)
    # …and the pages' login shares the same counter.
    assert login(client, admin.username, "pass12345").status_code == 429


@pytest.mark.django_db
@override_settings(LOGIN_TRUSTED_PROXIES=1, LOGIN_ADDRESS_FAILURE_LIMIT=2)
def test_behind_a_proxy_the_forwarded_address_counts_and_a_forged_one_does_not_help(client):
    user = UserFactory()
    for forged in ("1.1.1.1", "2.2.2.2"):
        # The client forges the left part; the proxy appends the real address on the right.
        login(client, "nobody", "x", address="172.16.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7")
    blocked = login(
        client, user.username, "pass12345", address="172.16.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert blocked.status_code == 429
    other = login(
        client, user.username, "pass12345", address="172.16.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert other.status_code == 302


def _run_in_production(code: str, cache_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "k" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "example.org",
        "CACHE_URL": cache_url,
    }
    script = "import django; django.setup()\nfrom accounts import login_limits as L\n" + code
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.broker
def test_production_counts_failures_across_processes_in_redis():
    """Two separate processes with the production settings: failures recorded by one lock the name
    for the other (a per-process cache would not)."""
    redis_url = settings.TEST_BROKER_URL
    if not redis_url.startswith("redis://"):
        pytest.skip("设置 TEST_BROKER_URL=redis://… 以测试多进程共享的登录计数")
    name = f"shared-{uuid.uuid4().hex[:8]}"
    first = _run_in_production(
        f"for _ in range({settings.LOGIN_FAILURE_LIMIT}): L.failed({name!r}, '10.1.1.1')\n"
        'from django.core.cache import caches; print(type(caches["default"]).__name__)',
        redis_url,
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "RedisCache"
    second = _run_in_production(
        f"try:\n    L.check({name!r}, '10.2.2.2')\nexcept L.LoginLocked as e:\n    print('locked', e.seconds)\n"
        "else:\n    print('open')",
        redis_url,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.split()[0] == "locked"
    assert 0 < int(second.stdout.split()[1]) <= settings.LOGIN_LOCKOUT_SECONDS
    third = _run_in_production(f"L.check({name.upper()!r}, '10.2.2.2')", redis_url)
    assert "LoginLocked" in third.stderr  # same name in another case: same counter


def test_keys_never_carry_the_login_name():
    keys = [k for k, _limit in login_limits._keys("张三'; DROP TABLE x;--", "10.0.0.1")]
    assert all("张三" not in k and "DROP" not in k and " " not in k for k in keys)


@pytest.mark.django_db
def test_an_oversized_sign_in_form_is_a_400_not_a_500(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(reverse("accounts:login"), {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 400
    assert not signed_in(client)
