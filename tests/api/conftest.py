"""Fixtures for the API tests: a client per person, and the one error shape checked in one place."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """api(user) → a client signed in as `user` (None: anonymous)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


def assert_error(response, status: int, code: str | None = None, fields=None):
    """The API's one error shape: {"error": {"code", "message" (Chinese), "fields"?}}."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) <= {"code", "message", "fields"}, error
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error["message"]
    if code is not None:
        assert error["code"] == code, error
    for field in fields or []:
        assert field in error.get("fields", {}), error
        assert all(isinstance(m, str) and m for m in error["fields"][field])
    return error


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
