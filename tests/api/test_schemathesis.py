"""Generated requests for every operation in the API's own OpenAPI schema (schemathesis): no server
error, and every response conforms to the schema (body, status code, content type).

Bounded so CI stays quick (about two minutes): a few valid and a few invalid examples per operation,
derandomised so each run sends the same requests (a failure reproduces). Signed in with a token, in
turn as an enterprise that owns needs, a team captain and a platform administrator, and half of the
valid examples aim at objects that exist, so requests reach past the 404s into the code that does the work.
"""

import datetime as dt
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
from engagements.services import engagement_invite
from matching.saved_searches import saved_search_create
from scoring.assessment import case_create, objection_lodge
from scoring.models import Assessment
from teams.records import record_create
from tests.factories import UserFactory
from tests.matching.test_views import make_world

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 2}
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
    """An enterprise with a published need (recommending a team) and a draft, the team's captain with a
    service record and an invitation to answer, and a platform administrator; and the ids of what exists."""
    world = make_world(title="注塑模具冷却不均匀")
    need_create(
        by=world.owner,
        title="高速平缝机减振降噪",
        description="机头振动偏大，噪声超过80分贝，希望联合高校减振优化。",
        industry="3553",
        service_types=["diagnosis"],
    )
    engagement = engagement_invite(need=world.need, team=world.team, by=world.owner, message="请评估")
    record = record_create(
        team=world.team,
        by=world.captain,
        record_type="service_visit",
        date=dt.date(2026, 3, 1),
        title="赴企业开展服务",
        served_organisation="台州市某泵业有限公司",
        description="现场诊断",
    )
    search = saved_search_create(team=world.team, by=world.captain, name="泵类需求", query="泵")
    case = case_create(team=world.team, by=world.captain, year=2026, title="减振案例", text="减振改造")
    start = dt.datetime.now(dt.UTC)
    assessment = Assessment.objects.create(
        university=world.team.college.university,
        year=2026,
        status="notice",
        notice_start=start,
        notice_end=start + dt.timedelta(days=5),
    )
    objection = objection_lodge(assessment=assessment, author="张三", contact="13800000000", text="存疑")
    existing = {
        "needs": world.need.pk,
        "teams": world.team.pk,
        "portraits": world.team.pk,
        "archives": world.team.pk,
        "records": record.pk,
        "members": world.team.members.first().pk,
        "engagements": engagement.pk,
        "saved-searches": search.pk,
        "enterprises": world.owner.enterprise_id,
        "cases": case.pk,
        "assessments": assessment.pk,
        "objections": objection.pk,
        "industries": "3553",
        "regions": "331002",
        "year": 2026,
    }
    notification = world.captain.notifications.first()
    if notification is not None:
        existing["notifications"] = notification.pk
    return [world.owner, world.captain, UserFactory(role=Role.PLATFORM_ADMIN)], existing


def _aim_at_existing(case, existing: dict) -> None:
    """Point the path at objects that exist: /api/v1/<collection>/{id}/… gets an id from that collection."""
    collection = case.operation.path.removeprefix("/api/v1/").split("/")[0]
    for name in list(case.path_parameters or {}):
        if name == "year":
            case.path_parameters[name] = existing["year"]
        elif collection in existing:
            case.path_parameters[name] = existing[collection]


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
        user = users[n % len(users)]
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
