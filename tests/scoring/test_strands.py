"""Two offices, two strands (Appendix C's note): the S&T office draws and decides 理工类, the humanities
research office (人文社科处) 人文类; each draw closes only its strand's record set; the notice opens when
both are done; the humanities office reads the assessment but runs nothing else."""

import datetime as dt

import pytest
from django.urls import reverse

from scoring.assessment import (
    assessment_open,
    late_records,
    notice_begin,
    objection_answer,
    provisional_ranking,
    scored_record_ids,
    spot_check_draw,
    strands_of,
)
from scoring.closed_years import refuse_late_approval
from scoring.models import Assessment, Objection
from scoring.scores import ScoringError
from teams.records import record_transition
from tests.factories import CollegeAdminFactory, HumAdminFactory, decide_all_checks
from tests.scoring.test_assessment import world  # noqa: F401 - two teams, five approved visits each
from tests.scoring.test_closed_years import submitted_visit

pytestmark = pytest.mark.django_db


def test_each_draw_closes_only_its_own_strand(world):  # noqa: F811
    office, science, humanities, _records = world
    humanities_office = HumAdminFactory(university=office.university)
    assessment = assessment_open(by=office, year=2026, spot_share="0.2", late_approvals="refuse")
    assert strands_of(assessment) == ["science", "humanities"]
    late_science = submitted_visit(science, dt.date(2026, 11, 20), "理工类抽样后才通过的走访")
    open_humanities = submitted_visit(humanities, dt.date(2026, 11, 20), "人文类抽样前通过的走访")
    spot_check_draw(assessment=assessment, by=office, seed=1)
    assert assessment.frozen_records.count() == 5  # the science team's five approved visits only

    # 理工类 is closed: the university refuses late approvals there, and says which strand.
    assert "理工类记录名单已于" in refuse_late_approval(late_science)
    # 人文类 is still open: its college approves, and the record counts.
    assert refuse_late_approval(open_humanities) is None
    record_transition(
        record=open_humanities, action="approve", by=CollegeAdminFactory(college=humanities.college)
    )
    scored = scored_record_ids(assessment)
    assert open_humanities.pk in scored and late_science.pk not in scored
    ranking = {row.team.pk: row.score.total for row in provisional_ranking(assessment)}
    assert str(ranking[humanities.pk]) == "9.00"  # six visits × 1.5
    assert str(ranking[science.pk]) == "7.50"

    spot_check_draw(assessment=assessment, by=humanities_office, seed=1)
    assessment.refresh_from_db()
    assert assessment.frozen_at is not None and assessment.frozen_records.count() == 11
    assert list(late_records(assessment)) == []  # the late science visit was never approved


def test_the_humanities_office_reads_but_runs_nothing_else(world):  # noqa: F811
    office, science, humanities, _records = world
    humanities_office = HumAdminFactory(university=office.university)
    with pytest.raises(ScoringError) as exc:
        assessment_open(by=humanities_office, year=2026)
    assert exc.value.code == "forbidden"
    assessment = assessment_open(by=office, year=2026, spot_share="1")
    spot_check_draw(assessment=assessment, by=office, seed=1)
    spot_check_draw(assessment=assessment, by=humanities_office, seed=1)
    decide_all_checks(assessment, office)
    with pytest.raises(ScoringError) as exc:
        notice_begin(assessment=assessment, by=humanities_office)
    assert exc.value.code == "forbidden"
    assessment = notice_begin(assessment=assessment, by=office)
    objection = Objection.objects.create(assessment=assessment, author="张三", contact="x", text="存疑")
    with pytest.raises(ScoringError):
        objection_answer(objection=objection, by=humanities_office, answer="答复")


def test_a_university_without_humanities_teams_needs_no_humanities_draw(world):  # noqa: F811
    office, _science, humanities, _records = world
    humanities.status = "dissolved"
    humanities.save(update_fields=["status"])
    humanities.records.all().delete()
    assessment = assessment_open(by=office, year=2026, spot_share="1")
    assert strands_of(assessment) == ["science"]
    spot_check_draw(assessment=assessment, by=office, seed=1)
    assessment.refresh_from_db()
    assert assessment.frozen_at is not None  # every strand with teams is drawn
    decide_all_checks(assessment, office)
    assert notice_begin(assessment=assessment, by=office).status == Assessment.Status.NOTICE


def test_each_office_sees_its_own_draw_button_and_decides_its_own_checks_on_the_page(
    world,  # noqa: F811
    client,
):
    office, science, humanities, _records = world
    humanities_office = HumAdminFactory(university=office.university)
    assessment = assessment_open(by=office, year=2026, spot_share="0.2")
    url = reverse("scoring:assessment", args=[assessment.pk])

    client.force_login(humanities_office)
    page = client.get(url).content.decode()
    assert "抽取人文类抽查样本" in page and "抽取理工类抽查样本" not in page
    assert reverse("scoring:notice_begin", args=[assessment.pk]) not in page  # the S&T office's step
    client.post(reverse("scoring:spot_draw", args=[assessment.pk]), {"seed": "5"})
    assert list(assessment.draws.values_list("category", "seed")) == [("humanities", 5)]
    check = assessment.spot_checks.get()
    assert check.category == "humanities"
    client.post(reverse("scoring:spot_decide", args=[check.pk]), {"upheld": "1"})
    check.refresh_from_db()
    assert check.result == "upheld"

    client.force_login(office)
    page = client.get(url).content.decode()
    assert "抽取理工类抽查样本" in page and "随机种子 5" in page
    assert f'action="{reverse("scoring:spot_decide", args=[check.pk])}"' not in page
    response = client.post(reverse("scoring:notice_begin", args=[assessment.pk]), follow=True)
    assert "理工类尚未抽样" in response.content.decode()


def test_the_workspace_names_the_humanities_office(client):
    user = HumAdminFactory()
    client.force_login(user)
    page = client.get("/accounts/workspace/").content.decode()
    assert "人文社科处管理员" in page or "抽查人文类" in page


def test_an_office_decides_many_checks_at_once_all_or_none(world, client):  # noqa: F811
    from scoring.assessment import spot_checks_decide
    from tests.factories import humanities_office_of

    office, science, humanities, _records = world
    assessment = assessment_open(by=office, year=2026, spot_share="1")
    spot_check_draw(assessment=assessment, by=office, seed=1)
    spot_check_draw(assessment=assessment, by=humanities_office_of(office.university), seed=1)
    science_ids = list(assessment.spot_checks.filter(category="science").values_list("pk", flat=True))
    humanities_id = assessment.spot_checks.filter(category="humanities").values_list("pk", flat=True)[0]

    # One of another strand among them: nothing is decided.
    with pytest.raises(ScoringError, match="由对应的科研管理部门抽查"):
        spot_checks_decide(assessment=assessment, by=office, ids=[*science_ids, humanities_id], upheld=True)
    with pytest.raises(ScoringError, match="需要填写原因"):
        spot_checks_decide(assessment=assessment, by=office, ids=science_ids, upheld=False)
    assert not assessment.spot_checks.exclude(result="pending").exists()

    # On the page: tick three, one reason for all.
    client.force_login(office)
    page = client.get(reverse("scoring:assessment", args=[assessment.pk])).content.decode()
    assert page.count('form="spot-batch"') == len(science_ids)  # only its own strand's pending ones
    response = client.post(
        reverse("scoring:spot_decide_batch", args=[assessment.pk]),
        {"ids": [str(i) for i in science_ids[:3]], "upheld": "0", "reason": "签到表缺失"},
        follow=True,
    )
    assert "已对 3 条抽查记录给出结论" in response.content.decode()
    assert set(assessment.spot_checks.filter(result="rejected").values_list("reason", flat=True)) == {
        "签到表缺失"
    }
    # Through the API, the rest upheld.
    body = client.post(
        f"/api/v1/assessments/{assessment.pk}/spot-checks/decide/",
        {"ids": science_ids[3:], "upheld": True},
        content_type="application/json",
    )
    assert body.status_code == 200 and {r["result"] for r in body.json()} == {"upheld"}
    bad = client.post(
        f"/api/v1/assessments/{assessment.pk}/spot-checks/decide/",
        {"ids": [], "upheld": True},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "ids" in bad.json()["error"]["fields"]


def test_a_team_that_began_serving_late_in_the_year_is_not_assessed_that_year(world, client):  # noqa: F811
    from datetime import datetime

    from django.utils import timezone

    from teams.models import TeamTransition

    office, science, humanities, _records = world
    TeamTransition.objects.create(
        team=humanities,
        action="office_approve",
        from_status="college_approved",
        to_status="active",
    )
    TeamTransition.objects.filter(team=humanities).update(at=timezone.make_aware(datetime(2026, 11, 20)))
    TeamTransition.objects.create(
        team=science, action="office_approve", from_status="college_approved", to_status="active"
    )
    TeamTransition.objects.filter(team=science).update(at=timezone.make_aware(datetime(2026, 3, 1)))
    assessment = assessment_open(by=office, year=2026, spot_share="1")  # 90 days by default
    assert [row.team for row in provisional_ranking(assessment)] == [science]
    assert strands_of(assessment) == ["science"]
    client.force_login(office)
    page = client.get(reverse("scoring:assessment", args=[assessment.pk])).content.decode()
    assert f"{humanities.name}（2026-11-20 起运行）" in page
    # With the setting at 0 only a team that began after the year's end is left out.
    Assessment.objects.filter(pk=assessment.pk).update(new_team_days=0)
    assessment.refresh_from_db()
    assert {row.team for row in provisional_ranking(assessment)} == {science, humanities}
