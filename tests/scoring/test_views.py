"""Assessment pages: the office runs the flow; the public sees the notice; breakdowns and archives
only for those allowed."""

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring import assessment as services
from scoring.models import Assessment, AssessmentResult, Objection
from teams.models import ServiceRecord
from teams.records import record_create
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    EnterpriseUserFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UniversityFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    university = UniversityFactory()
    college = CollegeFactory(university=university)
    team = build_valid_team(status="active", college=college)
    captain = team.members.get(role="captain").user
    for i in range(3):
        r = record_create(
            team=team,
            by=captain,
            record_type="service_visit",
            date=dt.date(2026, 5, i + 1),
            title=f"服务{i}",
            served_organisation="某公司",
            description="调研",
        )
        ServiceRecord.objects.filter(pk=r.pk).update(status="approved")
    return university, college, team, StoAdminFactory(university=university)


def test_the_office_runs_the_assessment_through_the_pages(client, world):
    university, college, team, office = world
    client.force_login(office)
    response = client.post(
        reverse("scoring:assessments"),
        {
            "year": 2026,
            "spot_share": "0.5",
            "grade_mode": "threshold",
            "excellent_threshold": "4",
            "pass_threshold": "2",
            "excellent_quota": "0.15",
            "notice_days": 5,
        },
    )
    assessment = Assessment.objects.get(year=2026)
    assert response.status_code == 302
    client.post(reverse("scoring:spot_draw", args=[assessment.pk]), {"seed": "11"})
    assessment.refresh_from_db()
    assert assessment.status == "spot_check" and assessment.spot_seed == 11
    for check in assessment.spot_checks.all():
        client.post(reverse("scoring:spot_decide", args=[check.pk]), {"upheld": "1"})
    client.post(reverse("scoring:notice_begin", args=[assessment.pk]))
    result = AssessmentResult.objects.get(assessment=assessment, team=team)
    assert (result.score, result.grade) == (4.5, "excellent")
    page = client.get(reverse("scoring:assessment", args=[assessment.pk])).content.decode()
    assert team.name in page and "得分明细" in page
    # publishing during the notice is refused with the reason
    response = client.post(reverse("scoring:publish", args=[assessment.pk]), follow=True)
    assert "公示期至" in response.content.decode()


def test_the_public_notice_lists_the_material_and_takes_objections(client, world):
    university, college, team, office = world
    assessment = Assessment.objects.create(
        university=university,
        year=2026,
        status="notice",
        notice_start=timezone.now(),
        notice_end=timezone.now() + timedelta(days=5),
    )
    AssessmentResult.objects.create(
        assessment=assessment,
        team=team,
        score=4.5,
        grade="excellent",
        rank=1,
        breakdown=[
            {
                "label": "服务",
                "score": "1.50",
                "records": [
                    {
                        "title": "赴企业调研",
                        "date": "2026-04-01",
                        "counted": "1.50",
                        "evidence": ["签到表.pdf"],
                    }
                ],
            }
        ],
    )
    page = client.get(reverse("scoring:notice", args=[assessment.pk])).content.decode()
    # The guideline publishes the material, not only a number: each counted record and its evidence by
    # name (as fixed in the breakdown; never a record's description or its files).
    assert team.name in page
    assert "<td>赴企业调研</td><td>2026-04-01</td><td>1.50</td><td>签到表.pdf</td>" in page
    response = client.post(
        reverse("scoring:notice", args=[assessment.pk]),
        {"author": "张三", "contact": "13800000000", "text": "<script>x</script>某项记录存疑"},
    )
    assert response.status_code == 302
    assert Objection.objects.get().text.startswith("<script>")
    page = client.get(reverse("scoring:assessment", args=[assessment.pk]))
    assert page.status_code == 302  # anonymous: sign in first
    client.force_login(office)
    html = client.get(reverse("scoring:assessment", args=[assessment.pk])).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;某项记录存疑" in html


def test_a_breakdown_shows_every_record_s_points_with_two_decimals(client, world):
    """A record past the cap counted "0" beside "1.50" rows."""
    university, college, team, office = world
    assessment = Assessment.objects.create(university=university, year=2026, status="final")
    breakdown = [
        {
            "label": "赴政府机关、企事业单位或行业开展服务",
            "score": "15.00",
            "raw": "16.50",
            "cap": "15.00",
            "capped": True,
            "records": [
                {"date": "2026-05-01", "title": "第十次走访", "raw": "1.50", "counted": "1.50"},
                {"date": "2026-05-02", "title": "第十一次走访", "raw": "1.50", "counted": "0"},
            ],
        }
    ]
    result = AssessmentResult.objects.create(
        assessment=assessment, team=team, score=15, grade="pass", rank=1, breakdown=breakdown
    )
    client.force_login(office)
    page = client.get(reverse("scoring:result", args=[result.pk])).content.decode()
    assert "<td>1.50</td><td>0.00</td>" in page and "<td>0</td>" not in page


def test_an_open_assessment_has_no_public_page(client, world):
    university, *_ = world
    assessment = Assessment.objects.create(university=university, year=2026)
    assert client.get(reverse("scoring:notice", args=[assessment.pk])).status_code == 404


@pytest.mark.parametrize(
    "who,status", [("member", 200), ("college", 200), ("office", 200), ("outsider", 404), ("enterprise", 404)]
)
def test_who_sees_a_breakdown(client, world, who, status):
    university, college, team, office = world
    assessment = Assessment.objects.create(university=university, year=2026, status="final")
    result = AssessmentResult.objects.create(assessment=assessment, team=team, score=1, grade="fail", rank=1)
    users = {
        "member": lambda: team.members.get(role="captain").user,
        "college": lambda: CollegeAdminFactory(college=college),
        "office": lambda: office,
        "outsider": TeamMemberUserFactory,
        "enterprise": EnterpriseUserFactory,
    }
    client.force_login(users[who]())
    assert client.get(reverse("scoring:result", args=[result.pk])).status_code == status


def test_an_outsider_cannot_download_an_archive(client, world):
    _, college, team, _ = world
    client.force_login(TeamMemberUserFactory())
    assert client.get(reverse("scoring:archive", args=[team.pk, 2026])).status_code == 404
    client.force_login(CollegeAdminFactory())
    assert client.get(reverse("scoring:college_zip", args=[college.pk, 2026])).status_code == 404


def test_the_archive_page_says_what_is_missing_and_refuses_the_download(client, world):
    _, _, team, _ = world
    client.force_login(team.members.get(role="captain").user)
    page = client.get(reverse("scoring:archive", args=[team.pk, 2026])).content.decode()
    assert "缺少必填项" in page and "工作亮点和特色" in page
    response = client.get(reverse("scoring:archive", args=[team.pk, 2026]) + "?format=xlsx", follow=True)
    assert "必填项缺失" in response.content.decode()


def test_only_the_team_s_members_get_the_highlights_form_on_its_archive(client, world):
    """case_create refuses anyone but the team's members, so reviewers are not offered the form."""
    _, college, team, office = world
    url = reverse("scoring:archive", args=[team.pk, 2026])
    client.force_login(team.members.get(role="captain").user)
    assert "添加本年度亮点与案例" in client.get(url).content.decode()
    for reviewer in (office, CollegeAdminFactory(college=college)):
        client.force_login(reviewer)
        page = client.get(url).content.decode()
        assert "添加本年度亮点与案例" not in page and "由小分队成员在本页填写" in page


def test_the_assessment_page_links_each_college_archive_the_asker_may_download(client, world):
    university, college, team, office = world
    other = CollegeFactory(university=university, name="医药化工学院")
    assessment = services.assessment_open(year=2026, by=office)
    client.force_login(office)
    page = client.get(reverse("scoring:assessment", args=[assessment.pk])).content.decode()
    for c in (college, other):
        link = reverse("scoring:college_zip", args=[c.pk, 2026])
        assert f'href="{link}"' in page
    assert client.get(reverse("scoring:college_zip", args=[college.pk, 2026])).status_code == 200
    client.force_login(CollegeAdminFactory(college=college))
    page = client.get(reverse("scoring:assessment", args=[assessment.pk])).content.decode()
    assert reverse("scoring:college_zip", args=[college.pk, 2026]) in page
    assert reverse("scoring:college_zip", args=[other.pk, 2026]) not in page  # not theirs


@pytest.mark.parametrize("year", ["1999", "2101", "99999", "0"])
def test_a_year_outside_the_platforms_range_is_not_found_and_writes_nothing(client, world, year):
    """Not a 500 from a date the database cannot hold, nor a scoring table made for year 99999."""
    from scoring.models import RuleSet

    _, college, team, office = world
    client.force_login(office)
    for path in (
        f"/assessment/rules/{year}/",
        f"/assessment/archive/{team.pk}/{year}/",
        f"/assessment/archive/college/{college.pk}/{year}/",
        f"/api/v1/scoring-rules/{year}/",
        f"/api/v1/archives/{team.pk}/{year}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/assessment/rules/{year}/", {"training-points": "9"}).status_code == 404
    assert not RuleSet.objects.exists()
    assert client.get(f"/assessment/archive/{team.pk}/2100/").status_code == 200


def test_only_the_office_edits_rules(client, world):
    *_, office = world
    client.force_login(TeamMemberUserFactory())
    assert client.post(reverse("scoring:rules", args=[2026]), {"training-points": "9"}).status_code == 403
    client.force_login(office)
    data = {"training-points": "3", "training-cap": ""}
    for code in [
        "service_visit",
        "tech_transfer",
        "horizontal_project",
        "vertical_project",
        "paper",
        "patent",
        "standard",
        "consulting_report",
        "award",
        "platform",
        "agreement_comprehensive",
        "agreement_internship",
        "plan_report",
        "appraisal",
    ]:
        data[f"{code}-points"] = {
            "service_visit": "1.5",
            "tech_transfer": "2",
            "horizontal_project": "1",
            "vertical_project": "15",
            "paper": "5",
            "patent": "3",
            "standard": "10",
            "consulting_report": "6",
            "award": "20",
            "platform": "10",
            "agreement_comprehensive": "10",
            "agreement_internship": "2",
            "plan_report": "5",
            "appraisal": "5",
        }[code]
        data[f"{code}-cap"] = {"service_visit": "15", "paper": "20"}.get(code, "")
    client.post(reverse("scoring:rules", args=[2026]), data)
    from scoring.models import RuleSet

    latest = RuleSet.objects.filter(year=2026).order_by("-version").first()
    assert latest.version == 2 and str(latest.items.get(record_type="training").points) == "3.00"
    assert str(latest.items.get(record_type="paper").cap) == "20.00"


@pytest.mark.parametrize(
    "query", ["?college=abc", "?college=²", "?category=%00", "?college=9999999999999999999999"]
)
def test_malformed_ranking_filters_are_ignored_not_a_server_error(client, world, query):
    from scoring.assessment import assessment_open

    university, college, team, office = world
    assessment = assessment_open(by=office, year=2026)
    client.force_login(office)
    response = client.get(reverse("scoring:assessment", args=[assessment.pk]) + query)
    assert response.status_code == 200


def test_the_office_and_colleges_see_a_provisional_ranking_until_the_scores_are_fixed(client, world):
    university, college, team, office = world
    quiet = build_valid_team(status="active", college=college, name_suffix="安静")
    assessment = Assessment.objects.create(
        university=university, year=2026, excellent_threshold=4, pass_threshold=2
    )
    url = reverse("scoring:assessment", args=[assessment.pk])
    client.force_login(office)
    page = client.get(url).content.decode()
    preview = page[page.index('id="provisional"') :]
    # Three approved visits: 4.50 points, 优秀 by these lines; the team with none is 不合格.
    assert preview.index(team.name) < preview.index(quiet.name)
    assert "4.50" in preview and "优秀" in preview and "不合格" in preview
    # Each score opens onto its items, so the office can see what it is made of before fixing it.
    assert "赴政府机关、企事业单位或行业开展服务：4.50 分（3 条）" in preview and "尚无计分记录" in preview
    assert not AssessmentResult.objects.exists()  # a preview writes nothing

    # A record approved later moves the preview at once.
    captain = team.members.get(role="captain").user
    late = record_create(
        team=team, by=captain, record_type="training", date=dt.date(2026, 6, 1), title="培训",
        served_organisation="某公司", description="培训",
    )  # fmt: skip
    ServiceRecord.objects.filter(pk=late.pk).update(status="approved")
    assert "6.50" in client.get(url).content.decode()

    # The college's admin sees the college's own teams, with their university rank; the admin of
    # another college, whose team is ranked between them, sees only that team; a member nothing.
    other = build_valid_team(
        status="active", college=CollegeFactory(university=university), name_suffix="别院"
    )
    record_create(
        team=other, by=other.members.get(role="captain").user, record_type="training",
        date=dt.date(2026, 6, 1), title="培训", served_organisation="某公司", description="培训",
    )  # fmt: skip
    ServiceRecord.objects.filter(team=other).update(status="approved")
    client.force_login(CollegeAdminFactory(college=college))
    preview = client.get(url).content.decode()
    preview = preview[preview.index('id="provisional"') :]
    assert team.name in preview and quiet.name in preview and other.name not in preview
    assert "<td>1</td>" in preview and "<td>3</td>" in preview and "<td>2</td>" not in preview
    assert "此处只列本学院的小分队" in preview and "<th>全校名次</th>" in preview
    client.force_login(CollegeAdminFactory(college=other.college))
    preview = client.get(url).content.decode()
    preview = preview[preview.index('id="provisional"') :]
    assert other.name in preview and team.name not in preview and "<td>2</td>" in preview
    client.force_login(captain)
    response = client.get(url)
    assert response.status_code == 200 and 'id="provisional"' not in response.content.decode()
    # Once on notice the fixed ranking replaces it.
    Assessment.objects.filter(pk=assessment.pk).update(status="notice")
    client.force_login(office)
    assert 'id="provisional"' not in client.get(url).content.decode()


@pytest.mark.parametrize("seed", ["²", "9" * 5000, "-1"])
def test_a_seed_that_is_not_a_whole_number_is_refused_and_draws_nothing(client, world, seed):
    university, college, team, office = world
    assessment = services.assessment_open(by=office, year=2026)
    client.force_login(office)
    response = client.post(reverse("scoring:spot_draw", args=[assessment.pk]), {"seed": seed}, follow=True)
    assert "随机种子应为非负整数" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.OPEN and not assessment.spot_checks.exists()


@pytest.mark.parametrize("year", ["²", "99999", ""])
def test_a_case_with_a_bad_year_is_refused_and_returns_to_this_years_archive(client, world, year):
    from scoring.models import Case

    _, _, team, _ = world
    client.force_login(team.members.get(role="captain").user)
    response = client.post(
        reverse("scoring:case_add", args=[team.pk]), {"year": year, "title": "亮点", "text": "内容"}
    )
    this_year = timezone.localdate().year
    assert response.status_code == 302
    assert response["Location"] == reverse("scoring:archive", args=[team.pk, this_year])
    assert not Case.objects.exists()
