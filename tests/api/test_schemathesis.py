"""Generated requests for every operation in the API's own OpenAPI schema (schemathesis): no server
error, and every response conforms to the schema (body, status code, content type).

Bounded so CI stays quick: a few valid and a few invalid examples per operation, derandomised so each
run sends the same requests (a failure reproduces). Signed in with a token, alternately as an
enterprise that owns needs and as a platform administrator, and half of the valid examples aim at
objects that exist, so the requests reach past the 404s into the code that does the work.
"""

import itertools

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Role
from demand.services import need_create
from tests.factories import EnterpriseUserFactory, UserFactory, published_need

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 3}
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture
def wsgi_app():
    """Django's WSGI application as a server runs it, except that the end of a request does not close
    the database connection (that would end the test's transaction; Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def people(reference_data):
    """An enterprise with a published need and a draft, and a platform administrator."""
    owner = EnterpriseUserFactory()
    need = published_need(enterprise_user=owner, title="注塑模具冷却不均匀")
    need_create(
        by=owner,
        title="高速平缝机减振降噪",
        description="机头振动偏大，噪声超过80分贝，希望联合高校减振优化。",
        industry="3533",
        service_types=["diagnosis"],
    )
    admin = UserFactory(role=Role.PLATFORM_ADMIN)
    existing = {"id": need.pk, "code": "3533"}
    notification = owner.notifications.first()
    if notification is not None:
        existing["notification"] = notification.pk
    return [owner, admin], existing


def _aim_at_existing(case, existing: dict) -> None:
    """Point the path at objects that exist (ids of needs, a known industry or region code)."""
    for name in list(case.path_parameters or {}):
        if name == "id" and "/notifications/" in case.operation.path and "notification" in existing:
            case.path_parameters[name] = existing["notification"]
        elif name == "id":
            case.path_parameters[name] = existing["id"]
        elif name == "code":
            case.path_parameters[name] = "331002" if "/regions/" in case.operation.path else existing["code"]


def _runner(operation, mode, count, users, existing, turn):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        n = next(turn)
        user = users[n % 2]
        if mode == GenerationMode.POSITIVE and n % 4 < 2:
            _aim_at_existing(case, existing)
        cache.clear()  # no lockout or throttle carried over from earlier cases
        token, _created = Token.objects.get_or_create(user=user)
        case.call_and_validate(headers={"Authorization": f"Token {token.key}"}, checks=CHECKS)

    return run


def test_generated_requests_get_no_server_error_and_conform_to_the_schema(wsgi_app, people):
    users, existing = people
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    schema.app = wsgi_app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20  # the schema really was read
    turn = itertools.count()
    failures = []
    for operation in operations:
        for mode, count in EXAMPLES.items():
            try:
                _runner(operation, mode, count, users, existing, turn)()
            except Unsatisfiable:
                pass  # nothing to make invalid in this operation (no parameters, no body)
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, then report
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:2000]}")
    assert not failures, "\n\n".join(failures)
