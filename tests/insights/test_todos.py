"""待办 on the workspace and the unread badge in the nav: each person sees what waits for them, with how
many and a link to the page that acts, and nothing of anyone else's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.notifications import notify
from engagements.assignments import assignment_create
from engagements.services import engagement_express_interest, engagement_invite
from insights.todos import todos_for
from scoring.assessment import assessment_open, spot_check_draw
from teams.models import ServiceRecord, Team
from tests.factories import (
    CollegeAdminFactory,
    EnterpriseUserFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    build_valid_team,
    humanities_office_of,
    published_need,
)
from tests.teams.test_records import make_record

pytestmark = pytest.mark.django_db


def counts(user) -> dict[str, int]:
    return {t.label: t.count for t in todos_for(user)}


def test_each_person_sees_what_waits_for_them(client):
    owner = EnterpriseUserFactory()
    need = published_need(enterprise_user=owner)
    team = build_valid_team(status="active")
    captain = team.members.get(role="captain").user
    university = team.college.university
    office = StoAdminFactory(university=university)
    engagement_invite(need=need, team=team, by=owner, message="请评估")
    other = build_valid_team(status="active", college=team.college, name_suffix="乙")
    engagement_express_interest(
        need=need, team=other, by=other.members.get(role="captain").user, proposal="方案"
    )
    assignment_create(
        need=published_need(enterprise_user=owner, title="另一条需求"),
        team=team,
        by=office,
        deadline=timezone.now() + timedelta(days=2),
    )
    record = make_record(team, captain, title="走访")
    ServiceRecord.objects.filter(pk=record.pk).update(status="submitted")
    build_valid_team(status="submitted", college=team.college, name_suffix="丙")
    Team.objects.create(
        name="钱多·某某科技小分队", college=team.college, work_mode=team.work_mode, theme=team.theme,
        category=team.category, status="college_approved",
    )  # fmt: skip
    ServiceRecord.objects.filter(pk=record.pk).update(status="approved")
    assessment = assessment_open(by=office, year=2025, spot_share="1")
    spot_check_draw(assessment=assessment, by=office, seed=1)
    ServiceRecord.objects.filter(pk=record.pk).update(status="submitted")

    assert counts(captain) == {"待回复的企业邀请": 1, "待响应的指派": 1}
    assert counts(owner) == {"待确认的团队揭榜和平台指派": 1}
    college = CollegeAdminFactory(college=team.college)
    assert counts(college) == {"待学院审核的申报": 1, "待学院审核的服务记录": 1}
    assert counts(office)["待科技处复核的申报"] == 1
    assert "2025 年度考核尚未抽样（本类别）" not in counts(office)  # drawn above
    humanities = humanities_office_of(university)
    assert counts(humanities) == {"2025 年度考核尚未抽样（本类别）": 1}
    assert counts(TeamMemberUserFactory()) == {}  # an outsider waits for nothing

    # On the workspace, with links; and the nav's unread badge.
    notify(users=[captain], kind="test", title="一条通知")
    client.force_login(captain)
    page = client.get("/accounts/workspace/").content.decode()
    assert 'id="todos"' in page and "待回复的企业邀请" in page and "/matching/assignments/" in page
    assert 'title="' in page and "条未读" in page
