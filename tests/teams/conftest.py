"""The API client fixture for the teams tests that also ask the API (the one in tests/api)."""

from tests.api.conftest import _fresh_throttle_counts, api  # noqa: F401 - fixtures
