"""The demo world: builds idempotently from demo/data, follows the guideline's rules, and every login works."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import College, Enterprise, GovernmentAgency, Role, University
from accounts.validators import validate_credit_code
from demand.models import Need, ServiceType
from demo.services import (
    ANCHOR,
    DEMO_PASSWORD,
    DemoWorldError,
    credit_code_for,
    demo_logins,
    demo_world_build,
    load_content,
)
from matching.models import NeedMatchFacts, Recommendation
from teams.models import Member, MemberRole, Team
from teams.rules import MemberFacts, team_violations

TEAM_NAME = re.compile(r"^(?P<captain>[\u4e00-\u9fff]{2,4})[·•・](?P<served>.+)科技小分队$")


@pytest.fixture
def world(reference_data):
    return demo_world_build()


# --- content (no database) -----------------------------------------------------------------------------


def test_need_texts_are_hand_written_not_repeated():
    needs = load_content()["needs"]
    assert len(needs) >= 200
    assert len({n["description"] for n in needs}) == len(needs)
    assert len({(n["enterprise"], n["title"]) for n in needs}) == len(needs)
    for need in needs:
        assert 50 <= len(need["description"]) <= 400, need["title"]
        assert 1 <= len(need["types"]) <= 3, need["title"]
        assert set(need["types"]) <= set(ServiceType.values), need["title"]


def test_credit_codes_are_deterministic_and_valid():
    code = credit_code_for("台州市椒江飞针缝纫机有限公司", "331002")
    assert code == credit_code_for("台州市椒江飞针缝纫机有限公司", "331002")
    assert code != credit_code_for("台州市椒江飞针缝纫机有限公司", "331002", seed=1)
    assert code[2:8] == "331002"
    validate_credit_code(code)


# --- the built world -----------------------------------------------------------------------------------


def test_building_twice_gives_the_same_world(world):
    content = load_content()
    counts = {k: v for k, v in world.items() if k != "changes"}
    assert world["changes"]["created"] > 0

    again = demo_world_build()
    assert {k: v for k, v in again.items() if k != "changes"} == counts
    assert again["changes"] == {"created": 0, "updated": 0}

    assert counts["universities"] == University.objects.filter(name="台州学院").count() == 1
    assert counts["colleges"] == len(content["colleges"])
    assert counts["enterprises"] == len(content["enterprises"])
    assert counts["teams"] == len(content["teams"])
    assert counts["needs"] == len(content["needs"])
    assert counts["users"] == len(content["users"])
    assert counts["agencies"] == GovernmentAgency.objects.count() == len(content["agencies"])
    # No duplicates by natural key.
    assert Need.objects.values("enterprise", "title").distinct().count() == Need.objects.count()
    assert Member.objects.values("team", "name").distinct().count() == Member.objects.count()


def test_world_has_the_promised_size(world):
    assert world["colleges"] >= 10
    assert world["enterprises"] >= 80
    assert world["teams"] >= 30
    assert world["needs"] >= 200
    categories = set(College.objects.values_list("category", flat=True))
    assert categories == {"science", "humanities"}
    assert set(Team.objects.values_list("theme", flat=True)) >= {
        "party", "biopharma", "smart_manufacturing", "ecology", "humanities", "other"
    }  # fmt: skip
    assert len(set(Team.objects.values_list("work_mode", flat=True))) == 5
    statuses = set(Team.objects.values_list("status", flat=True))
    assert {"active", "draft", "submitted", "college_approved"} <= statuses


def test_team_names_follow_the_naming_rule_and_teams_their_composition(world):
    for team in Team.objects.prefetch_related("members"):
        match = TEAM_NAME.match(team.name)
        assert match, team.name
        members = list(team.members.all())
        captain = next(m for m in members if m.role == MemberRole.CAPTAIN)
        assert match.group("captain") == captain.name
        assert team.category == team.college.category
        facts = [
            MemberFacts(
                name=m.name,
                role=m.role,
                title=m.title,
                deputy_focus=m.deputy_focus,
                qualifying_project=m.qualifying_project,
                qualifying_level=m.qualifying_level,
                qualifying_amount_yuan=m.qualifying_amount_yuan,
                kind=m.kind,
                background=m.background,
            )
            for m in members
        ]
        # A draft is still being put together; everything past it passed these rules.
        assert team_violations(team.name, facts) == [] or team.status == Team.Status.DRAFT, team.name
        assert any(m.role == MemberRole.DYNAMIC for m in members) or team.status == Team.Status.DRAFT
        for engineer in (m for m in members if m.role == MemberRole.ENTERPRISE):
            assert engineer.enterprise_id is not None
        # Every team says what kinds of help it offers, so the matcher's service-type fit has data.
        assert team.service_types and set(team.service_types) <= set(ServiceType.values), team.name


def test_needs_read_like_needs_and_have_a_consistent_timeline(world):
    statuses = set()
    for need in Need.objects.select_related("enterprise"):
        statuses.add(need.status)
        assert 50 <= len(need.description) <= 400, need.title
        assert need.region_id == need.enterprise.region_id
        assert need.industry.level == 3
        assert set(need.service_types) <= set(ServiceType.values)
        if need.budget_min is not None:
            assert need.budget_min <= need.budget_max
        times = [need.created_at, need.submitted_at, need.published_at, need.engaged_at, need.resolved_at]
        present = [t for t in times if t is not None]
        assert present == sorted(present), need.title
        assert need.created_at < ANCHOR and (need.closed_at or need.created_at) < ANCHOR
        assert (ANCHOR - need.created_at).days <= 18 * 31
        if need.status != Need.Status.DRAFT:
            assert need.submitted_at is not None
        # first recommended minutes after publication (as the matcher does), never for an unpublished need
        if need.published_at is None:
            assert not NeedMatchFacts.objects.filter(need=need).exists()
        else:
            stamped = NeedMatchFacts.objects.get(need=need).first_recommended_at
            assert timedelta(0) < stamped - need.published_at <= timedelta(hours=3)
        if need.status == Need.Status.CLOSED:
            assert need.close_reason
        if need.enterprise.status != Enterprise.Status.APPROVED:
            assert need.status == Need.Status.DRAFT, need.title
    assert {"published", "engaged", "resolved", "closed", "draft", "submitted"} <= statuses
    published = Need.objects.filter(status=Need.Status.PUBLISHED).count()
    assert published > Need.objects.count() / 2


def test_credit_codes_are_valid_and_carry_the_county(world):
    for enterprise in Enterprise.objects.select_related("region"):
        validate_credit_code(enterprise.credit_code)
        assert enterprise.credit_code[2:8] == enterprise.region.code
        assert enterprise.industry.level == 3


def test_enterprises_are_spread_over_cities_and_provinces(world):
    codes = list(Enterprise.objects.values_list("region__code", flat=True))
    assert len({c[:4] for c in codes}) >= 6
    assert {c[:2] for c in codes} >= {"33", "31", "32", "34", "35", "36"}
    assert sum(c.startswith("3310") for c in codes) >= len(codes) / 2  # 台州 first


def test_every_demo_login_authenticates(world):
    logins = demo_logins()
    assert {
        "admin", "kjc", "college1", "captain1", "member1", "enterprise1", "gov_taizhou", "gov_zj"
    } <= {login["username"] for login in logins}  # fmt: skip
    for login in logins:
        user = authenticate(username=login["username"], password=DEMO_PASSWORD)
        assert user is not None, login["username"]
        assert user.role == login["role"]
        user.full_clean()
        if user.role != Role.PLATFORM_ADMIN:
            assert user.organisation is not None

    admin = authenticate(username="admin", password=DEMO_PASSWORD)
    assert admin.is_staff and admin.is_superuser
    content = load_content()
    first_team = Team.objects.get(name=content["teams"][0]["name"])
    captain1 = authenticate(username="captain1", password=DEMO_PASSWORD)
    assert first_team.members.get(role=MemberRole.CAPTAIN).user == captain1
    assert first_team.members.filter(user__username="member1").exists()
    assert captain1.college == first_team.college
    assert (
        authenticate(username="college1", password=DEMO_PASSWORD).college.name
        == content["colleges"][0]["name"]
    )
    assert (
        authenticate(username="enterprise1", password=DEMO_PASSWORD).enterprise.name
        == (content["enterprises"][0]["name"])
    )
    assert authenticate(username="gov_taizhou", password=DEMO_PASSWORD).agency.region.code in {
        "3310",
        "331000",
    }
    assert authenticate(username="gov_zj", password=DEMO_PASSWORD).agency.region.code in {"33", "330000"}


def test_a_changed_password_is_restored_by_a_rebuild(world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="kjc")
    user.set_password("something-else-1")
    user.save()
    result = demo_world_build()
    assert result["changes"]["updated"] == 1
    assert authenticate(username="kjc", password=DEMO_PASSWORD) is not None


def test_build_requires_reference_data(db, monkeypatch):
    from reference.models import Industry

    # The session's reference data is committed; pretend the industry table is empty.
    monkeypatch.setattr(Industry.objects, "exists", lambda: False)
    with pytest.raises(DemoWorldError, match="参考数据"):
        demo_world_build()
    assert not Need.objects.exists()


def test_an_unknown_service_type_in_the_demo_data_is_named_and_nothing_is_written(
    reference_data, monkeypatch
):
    import copy

    import demo.services

    content = copy.deepcopy(load_content())  # load_content is cached: change a copy
    content["teams"][-1]["service_types"] = ["diagnosis", "拍脑袋"]
    monkeypatch.setattr(demo.services, "load_content", lambda: content)
    with pytest.raises(DemoWorldError, match="服务类型.*拍脑袋"):
        demo_world_build()
    assert not Team.objects.exists() and not Need.objects.exists()


def test_seed_demo_command_prints_counts_and_logins(reference_data):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "技术需求" in text and "科技小分队" in text
    assert "captain1" in text and DEMO_PASSWORD in text
    # Ranked again once the history and records exist: their completed engagements count as track record.
    assert "已按对接与服务记录更新推荐" in text
    assert any("track_record" in r.explanation["contributions"] for r in Recommendation.objects.all())
    first_run_needs = Need.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Need.objects.count() == first_run_needs


# --- the engagement history ----------------------------------------------------------------------------


def test_engaged_and_resolved_needs_get_the_engagement_that_made_them_so(world):
    from demo.history import demo_history_build
    from engagements.models import Engagement

    first = demo_history_build(seed=1)
    shown = Need.objects.filter(status__in=[Need.Status.ENGAGED, Need.Status.RESOLVED])
    assert first["created"] == shown.count() > 0
    for need in shown:
        engagements = list(need.engagements.all())
        assert len(engagements) == 1, need.title
        engagement = engagements[0]
        assert engagement.team.status == Team.Status.ACTIVE
        assert engagement.created_at <= engagement.agreed_at == need.engaged_at
        if need.status == Need.Status.RESOLVED:
            assert engagement.status == Engagement.Status.COMPLETED
            assert engagement.completed_at == need.resolved_at
            assert 1 <= engagement.rating <= 5 and engagement.rating_comment
        else:
            assert engagement.status in {Engagement.Status.AGREED, Engagement.Status.IN_SERVICE}
    # Needs that no team took on have none.
    assert not Engagement.objects.exclude(need__in=shown).exists()
    # A second run finds them all and creates nothing.
    assert demo_history_build(seed=1) == {"created": 0}
    assert Engagement.objects.count() == first["created"]


# --- the service records -------------------------------------------------------------------------------


def test_engagements_get_their_service_records_with_evidence_and_the_assessment_opens(
    world, settings, tmp_path
):
    from io import BytesIO

    from django.utils import timezone
    from openpyxl import load_workbook

    from demo.history import demo_history_build
    from demo.records import demo_records_build
    from engagements.models import Engagement
    from scoring.models import Assessment
    from scoring.scores import teams_scores
    from teams.models import RecordType, ServiceRecord

    settings.MEDIA_ROOT = tmp_path
    demo_history_build(seed=1)
    first = demo_records_build(seed=1)
    assert first["records"] > 0

    completed = Engagement.objects.filter(status=Engagement.Status.COMPLETED)
    in_service = Engagement.objects.filter(status=Engagement.Status.IN_SERVICE)
    for engagement in [*completed, *in_service]:
        records = ServiceRecord.objects.filter(engagement_link__engagement=engagement)
        visit = records.get(record_type=RecordType.SERVICE_VISIT)
        assert visit.team == engagement.team and visit.served_enterprise == engagement.need.enterprise
        done = engagement.status == Engagement.Status.COMPLETED
        assert visit.status == (ServiceRecord.Status.APPROVED if done else ServiceRecord.Status.SUBMITTED)
        assert list(visit.transitions.values_list("action", flat=True).order_by("id")) == (
            ["create", "submit", "approve"] if done else ["create", "submit"]
        )
        # The evidence is a confirmation sheet a reviewer can open, naming the team and the enterprise.
        evidence = visit.evidence.get()
        sheet = load_workbook(BytesIO(evidence.file.read())).active
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
        assert visit.team.name in cells and engagement.need.enterprise.name in cells
    contracts = ServiceRecord.objects.filter(
        record_type=RecordType.HORIZONTAL_PROJECT, engagement_link__isnull=False
    )
    assert contracts.count() == (completed.count() + 1) // 2
    assert all(c.amount_wan > 0 and c.normalised_key for c in contracts)

    # Every active team has its routine year with the enterprises it serves, and the year's scores
    # spread over the grades rather than sitting near zero.
    active = Team.objects.filter(status=Team.Status.ACTIVE)
    for team in active:
        routine = ServiceRecord.objects.filter(team=team, engagement_link=None)
        assert routine.filter(record_type=RecordType.SERVICE_VISIT, date__year=ANCHOR.year).exists(), (
            team.name
        )
        assert {r.served_enterprise for r in routine} <= set(team.served_enterprises.all())
        visits = routine.filter(record_type=RecordType.SERVICE_VISIT).order_by("date", "id")
        assert [re.search(r"第(\d+)次", v.title).group(1) for v in visits] == [
            str(i) for i in range(1, visits.count() + 1)
        ]  # numbered in the order they happened
    scores = [s.total for s in teams_scores(active.values_list("pk", flat=True), ANCHOR.year).values()]
    assert max(scores) >= 60 and sum(20 <= s < 60 for s in scores) >= 5 and min(scores) < 20

    # No achievement is claimed twice (the database refuses it too, but the demo should not even try).
    keys = list(ServiceRecord.objects.exclude(normalised_key="").values_list("record_type", "normalised_key"))
    assert len(set(keys)) == len(keys)

    latest = ServiceRecord.objects.filter(status=ServiceRecord.Status.APPROVED).latest("date").date.year
    assert first["assessment"] == latest == Assessment.objects.get().year
    # The history follows the work: written up, submitted and reviewed after the day of service.
    for record in ServiceRecord.objects.all():
        times = list(record.transitions.order_by("id").values_list("at", flat=True))
        assert (
            record.date < record.created_at.date() and times == sorted(times) and times[-1] <= timezone.now()
        )

    # A second run finds them all and creates nothing.
    total = ServiceRecord.objects.count()
    assert demo_records_build(seed=1) == {"records": 0, "assessment": None}
    assert ServiceRecord.objects.count() == total


def test_serve_prints_every_demo_login_students_included():
    """A newcomer sees every account to try: both colleges, both offices, the students of 人岗匹配."""
    import io

    from django.core.management import call_command

    from demo.services import load_content
    from demo.talent import STUDENTS

    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for spec in load_content()["users"]:
        assert spec["username"] in text
    for username, *_rest in STUDENTS:
        assert username in text
    assert "college2" in text and "rwc" in text and "学生" in text
