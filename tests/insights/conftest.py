"""The hand-made dashboard world shared by the selector, page and API tests (see test_dashboard.py's
docstring for the table of needs and the numbers worked out from it)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from demand.models import Need
from engagements.models import Engagement
from insights.dashboard_filters import scope_of_region
from matching.models import NeedMatchFacts, Recommendation
from reference.models import Industry, Region
from teams.models import Team
from tests.factories import CollegeFactory, EnterpriseFactory

CN = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=CN)


def at(month, day, hour=10, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=CN)


def make_need(enterprise, title, industry, region, published, status="published", **fields):
    return Need.objects.create(
        enterprise=enterprise,
        title=title,
        description=f"{title}的说明",
        industry=Industry.objects.get(code=industry),
        region=Region.objects.get(code=region),
        service_types=fields.pop("service_types", ["diagnosis"]),
        status=status,
        published_at=published,
        **fields,
    )


def recommend(need, team, score, rank, computed_at):
    """A stored recommendation, and the need's first-recommended stamp as matching sets it."""
    rec = Recommendation.objects.create(need=need, team=team, score=score, rank=rank, model_version="t")
    Recommendation.objects.filter(pk=rec.pk).update(computed_at=computed_at)
    NeedMatchFacts.objects.get_or_create(need=need, defaults={"first_recommended_at": computed_at})


@pytest.fixture
def dashboard_world(reference_data):
    shown = EnterpriseFactory(name="台州缝制设备有限公司")
    hidden = EnterpriseFactory(name="不愿具名的路桥企业")
    team = Team.objects.create(
        name="测试·缝制科技小分队",
        college=CollegeFactory(),
        work_mode="enterprise_centre",
        theme="smart_manufacturing",
        category="science",
    )
    n = {}
    n[1] = make_need(shown, "平缝机减振", "3553", "331002", at(1, 10), "engaged", budget_max=Decimal("50"),
                     engaged_at=at(1, 20))  # fmt: skip
    n[2] = make_need(shown, "包缝机降噪", "3553", "331002", at(2, 5), "resolved", budget_min=Decimal("20"),
                     engaged_at=at(2, 25), resolved_at=at(4, 26), service_types=["rd"])  # fmt: skip
    n[3] = make_need(shown, "离心泵效率", "3441", "331081", at(3, 1, 7))
    n[4] = make_need(shown, "水泵控制", "3441", "331081", at(6, 20))
    n[5] = make_need(shown, "茶叶品质", "0164", "331003", at(2, 15), "closed", budget_max=Decimal("10"))
    n[6] = make_need(shown, "制造业综合", "C", "3310", at(3, 31, 23, 30), "expired")
    n[9] = make_need(hidden, "模具冷却", "3553", "331004", at(4, 1), budget_max=Decimal("30"), show_enterprise=False,
                     service_types=["diagnosis", "rd"])  # fmt: skip
    n[7] = make_need(shown, "杭州的需求", "3553", "330106", at(1, 15))
    n[8] = make_need(shown, "草稿", "3553", "331002", None, "draft")
    recommend(n[1], team, 0.8, 1, at(1, 11))
    recommend(n[2], team, 0.3, 1, at(2, 7))
    recommend(n[3], team, 0.6, 1, at(3, 4, 7))
    recommend(n[9], team, 0.9, 6, at(4, 5))
    Engagement.objects.create(need=n[5], team=team, origin="interest", status="declined")
    Engagement.objects.create(need=n[9], team=team, origin="invitation", status="proposed")
    return n


@pytest.fixture
def taizhou():
    return scope_of_region("3310")
