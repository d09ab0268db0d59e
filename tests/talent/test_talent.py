"""人岗匹配: students' profiles, teams' openings, the ranking both ways with reasons (the real embedding
model), the application flow with who may do each step, and an accepted internship feeding Appendix C's
internship-agreement item once."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Notification
from scoring.scores import team_score
from talent.models import Application, Opening
from talent.ranking import openings_for_student, students_for_opening
from talent.services import (
    application_accept,
    application_decline,
    application_submit,
    application_withdraw,
    opening_close,
    profile_save,
)
from teams.errors import TeamsError
from teams.evidence import evidence_add
from teams.models import RecordType, ServiceRecord
from teams.records import record_transition
from tests.factories import (
    CollegeAdminFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    TeamMemberUserFactory,
    build_valid_team,
)
from tests.talent.talent_world import *  # noqa: F403 - the fixtures team, captain, enterprise, students
from tests.talent.talent_world import THIS_YEAR, discipline, make_opening

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


# ------------------------------------------------------------------------------------------- profiles


def test_profile_rules_and_chinese_errors():
    user = TeamMemberUserFactory()
    good = {"level": "graduate", "major": "机械工程", "year": THIS_YEAR, "hours_per_week": 8}
    for bad, text in [
        ({"hours_per_week": 0}, "每周投入时间"),
        ({"hours_per_week": 99}, "每周投入时间"),
        ({"year": 1980}, "入学年份"),
        ({"major": "  "}, "请填写专业"),
        ({"level": "phd"}, "学生层次"),
        ({"skills": ["很长的技能名称" * 5]}, "每项技能不超过"),
    ]:
        with pytest.raises(TeamsError) as exc:
            profile_save(user=user, **{**good, **bad})
        assert text in exc.value.message
    assert not hasattr(user, "student_profile") or user.student_profile is None
    profile = profile_save(user=user, skills="Python，MATLAB、python", **good)
    assert profile.skills == ["Python", "MATLAB"]  # split on Chinese commas, deduplicated ignoring case
    with pytest.raises(TeamsError) as exc:
        profile_save(user=EnterpriseUserFactory(), **good)
    assert exc.value.code == "forbidden"


# ------------------------------------------------------------------------------------------- openings


def test_openings_are_posted_by_managers_and_internships_name_a_served_enterprise(team, captain, enterprise):
    with pytest.raises(TeamsError) as exc:
        make_opening(team, TeamMemberUserFactory(college=team.college))
    assert exc.value.code == "forbidden"
    with pytest.raises(TeamsError) as exc:
        make_opening(team, captain, kind="internship")
    assert "实习企业" in exc.value.message
    with pytest.raises(TeamsError) as exc:
        make_opening(team, captain, kind="internship", enterprise=EnterpriseFactory())
    assert "对接企业" in exc.value.message
    with pytest.raises(TeamsError) as exc:
        make_opening(team, captain, deadline=timezone.localdate() - timedelta(days=1))
    assert "截止日期" in exc.value.message
    assert not Opening.objects.exists()
    opening = make_opening(team, captain, kind="internship", enterprise=enterprise)
    assert opening.enterprise == enterprise and opening.status == "open"


# -------------------------------------------------------------------------------------------- ranking


def test_students_are_ranked_for_an_opening_with_reasons(team, captain, students):
    opening = make_opening(team, captain)
    ranked = students_for_opening(opening)
    names = [r.profile.user.real_name for r in ranked]
    assert names[0] == "王振" and names[-1] == "张文"
    top, last = ranked[0], ranked[-1]
    assert top.score > last.score
    reasons = "；".join(top.explained.reasons)
    assert "专业对口：机械工程" in reasons
    assert "共同关键词" in reasons and "MATLAB" in top.explained.matched_keywords
    # Skills are one term each (not also their words), and the texts' labels are no keywords.
    assert top.explained.matched_keywords.count("振动") == 0 and "技能" not in top.explained.matched_keywords
    assert "每周可投入 12 小时，岗位需要 10 小时（满足）" in reasons
    assert "专业与小分队学科不同" in "；".join(last.explained.reasons)
    # The factors add up to the score.
    assert sum(top.explanation["contributions"].values()) == pytest.approx(top.score, abs=1e-5)
    assert {f.label for f in top.explained.factors} >= {"语义相似", "专业对口", "时间投入"}


def test_same_category_discipline_gets_partial_major_fit(team, captain, students):
    # 电气工程 and 机械工程 are both 工学: partial credit, named in the reasons.
    opening = make_opening(team, captain)
    ranked = {r.profile.user.real_name: r for r in students_for_opening(opening)}
    assert ranked["李电"].explanation["signals"]["major"] == 0.5
    assert "学科门类相同：工学" in ranked["李电"].explained.reasons
    assert "不足" in "；".join(ranked["李电"].explained.reasons)  # 6 hours for a 10-hour opening


def test_openings_are_ranked_for_a_student_with_the_same_pair_scores(team, captain, students, enterprise):
    vibration = make_opening(team, captain)
    writing = build_valid_team(status="active", name_suffix="文化传播")
    writing.disciplines.add(discipline("中国语言文学"))
    copywriter = make_opening(
        writing,
        writing.members.get(role="captain").user,
        kind="project_role",
        title="企业文化宣传文案",
        description="为合作企业撰写品牌故事和新媒体推文，策划文化传播活动。",
        skills=["写作", "新媒体运营"],
    )
    for_mech = openings_for_student(students["mech"])
    for_lit = openings_for_student(students["lit"])
    assert [r.opening for r in for_mech] == [vibration, copywriter]
    assert [r.opening for r in for_lit] == [copywriter, vibration]
    # The same pair scores the same from either side.
    mech_on_vibration = next(r for r in students_for_opening(vibration) if r.profile == students["mech"])
    assert for_mech[0].score == pytest.approx(mech_on_vibration.score)


def test_closed_or_past_openings_are_not_offered_and_private_profiles_not_ranked(team, captain, students):
    opening = make_opening(team, captain)
    students["lit"].open_to_offers = False
    students["lit"].save()
    assert "张文" not in [r.profile.user.real_name for r in students_for_opening(opening)]
    opening_close(opening=opening, by=captain)
    assert openings_for_student(students["mech"]) == []


# --------------------------------------------------------------------------------------- applications


def test_apply_accept_makes_a_dynamic_member_and_fills_the_opening(team, captain, students):
    opening = make_opening(team, captain)
    mech = students["mech"]
    application = application_submit(opening=opening, by=mech.user, statement="做过电机噪声分析")
    assert Notification.objects.filter(user=captain, kind="application").exists()
    with pytest.raises(TeamsError) as exc:
        application_submit(opening=opening, by=mech.user)
    assert exc.value.code == "duplicate"
    accepted = application_accept(application=application, by=captain)
    assert accepted.status == "accepted" and accepted.record is None  # not an internship
    member = team.members.get(user=mech.user)
    assert (member.role, member.student_level) == ("dynamic", "graduate")
    opening.refresh_from_db()
    assert opening.status == "filled"
    with pytest.raises(TeamsError) as exc:
        application_submit(opening=opening, by=students["power"].user)
    assert exc.value.code == "wrong_state"
    assert Notification.objects.filter(user=mech.user, title__contains="录用").exists()


@pytest.mark.parametrize("who", ["student", "plain_member", "college_admin", "other_captain"])
def test_only_the_teams_managers_decide(team, captain, students, who):
    opening = make_opening(team, captain)
    application = application_submit(opening=opening, by=students["mech"].user)
    user = {
        "student": lambda: students["mech"].user,
        "plain_member": lambda: TeamMemberUserFactory(college=team.college),
        "college_admin": lambda: CollegeAdminFactory(college=team.college),
        "other_captain": lambda: (
            build_valid_team(status="active", name_suffix="丙").members.get(role="captain").user
        ),
    }[who]()
    for decide in (
        lambda: application_accept(application=application, by=user),
        lambda: application_decline(application=application, by=user, reason="不合适"),
    ):
        with pytest.raises(TeamsError) as exc:
            decide()
        assert exc.value.code == "forbidden"
    application.refresh_from_db()
    assert application.status == "submitted"


def test_decline_needs_a_reason_and_withdraw_is_the_students(team, captain, students):
    opening = make_opening(team, captain, slots=2)
    a = application_submit(opening=opening, by=students["mech"].user)
    b = application_submit(opening=opening, by=students["power"].user)
    with pytest.raises(TeamsError):
        application_decline(application=a, by=captain, reason="")
    assert application_decline(application=a, by=captain, reason="时间不匹配").reason == "时间不匹配"
    with pytest.raises(TeamsError) as exc:
        application_withdraw(application=b, by=students["mech"].user)
    assert exc.value.code == "forbidden"
    assert application_withdraw(application=b, by=students["power"].user).status == "withdrawn"
    # Withdrawn, the student may apply again.
    assert application_submit(opening=opening, by=students["power"].user).status == "submitted"


def test_a_student_without_a_profile_is_asked_for_one(team, captain):
    opening = make_opening(team, captain)
    with pytest.raises(TeamsError) as exc:
        application_submit(opening=opening, by=TeamMemberUserFactory())
    assert exc.value.message == "请先填写学生档案再申请岗位。"


# ------------------------------------------------------------------------------ internship → the score


def test_an_internship_agreement_counts_once_however_many_students_it_places(
    settings, tmp_path, team, captain, students, enterprise
):
    """Appendix C item 14 counts per signed agreement: two students under one agreement number are one
    record naming both; a second agreement with the same enterprise is a second record."""
    settings.MEDIA_ROOT = tmp_path
    opening = make_opening(
        team, captain, kind="internship", enterprise=enterprise, title="缝纫机减振测试实习", slots=3
    )
    first = application_accept(
        application=application_submit(opening=opening, by=students["mech"].user),
        by=captain,
        agreement_number="TZXY-SX-2026-01",
    )
    record = first.record
    assert (record.record_type, record.status, record.team_id) == (
        RecordType.AGREEMENT_INTERNSHIP,
        "draft",
        team.pk,
    )
    assert record.served_enterprise == enterprise and "王振" in record.description
    # The second student under the same agreement (typed differently) joins its record.
    second = application_accept(
        application=application_submit(opening=opening, by=students["power"].user),
        by=captain,
        agreement_number="tzxy sx 2026 01",
    )
    assert second.record_id == record.pk
    record.refresh_from_db()
    assert {m.name for m in record.participants.all()} == {"王振", "李电"}
    assert "王振、李电" in record.description and "2 名学生" in record.title
    assert ServiceRecord.objects.filter(record_type="agreement_internship").count() == 1
    assert team_score(team, THIS_YEAR).total == 0  # a draft does not count yet

    # The usual review: the signed agreement as evidence, submitted, approved by the college: 2 points.
    evidence_add(record=record, by=captain, upload=SimpleUploadedFile("实习协议.pdf", PDF))
    record_transition(record=record, action="submit", by=captain)
    record_transition(record=record, action="approve", by=CollegeAdminFactory(college=team.college))
    score = team_score(team, THIS_YEAR)
    item = next(i for i in score.items if i.record_type == "agreement_internship")
    assert (item.quantity, item.score, score.total) == (1, 2, 2)

    # Once reviewed, the agreement's record takes no more students: refused, nothing written.
    lit = application_submit(opening=opening, by=students["lit"].user)
    with pytest.raises(TeamsError) as exc:
        application_accept(application=lit, by=captain, agreement_number="TZXY-SX-2026-01")
    assert "不能再加入学生" in exc.value.message
    lit.refresh_from_db()
    assert lit.status == "submitted" and not team.members.filter(user=students["lit"].user).exists()
    # A second agreement with the same enterprise is a second record.
    third = application_accept(application=lit, by=captain, agreement_number="TZXY-SX-2026-02")
    assert third.record is not None and third.record.pk != record.pk
    assert ServiceRecord.objects.filter(record_type="agreement_internship").count() == 2

    # Another team cannot claim the same agreement (不得重复计分): refused, nothing written.
    other = build_valid_team(status="active", name_suffix="另一队")
    other.served_enterprises.add(enterprise)
    other_captain = other.members.get(role="captain").user
    elsewhere = make_opening(other, other_captain, kind="internship", enterprise=enterprise, title="质检实习")
    claim = application_submit(opening=elsewhere, by=students["mech"].user)
    with pytest.raises(TeamsError) as exc:
        application_accept(application=claim, by=other_captain, agreement_number="TZXY-SX-2026-02")
    assert exc.value.code == "double_claim" and "已由" in exc.value.message
    claim.refresh_from_db()
    assert claim.status == "submitted" and not other.members.filter(user=students["mech"].user).exists()
    assert Application.objects.filter(status="accepted").count() == 3


def test_an_internship_is_accepted_under_an_agreement_number_only(team, captain, students, enterprise):
    opening = make_opening(team, captain, kind="internship", enterprise=enterprise, title="质检实习")
    application = application_submit(opening=opening, by=students["mech"].user)
    for blank in ("", "  ", "—·—"):
        with pytest.raises(TeamsError) as exc:
            application_accept(application=application, by=captain, agreement_number=blank)
        assert "实习协议编号" in exc.value.message
    application.refresh_from_db()
    assert application.status == "submitted" and application.record is None
    assert not ServiceRecord.objects.exists()
    assert not team.members.filter(user=students["mech"].user).exists()


def test_records_written_before_agreements_keep_their_identity(team, captain, enterprise):
    """A record from the per-student keys stays as it was: its key and claim are untouched."""
    from teams.records import record_create

    old = record_create(
        team=team,
        by=captain,
        record_type=RecordType.AGREEMENT_INTERNSHIP,
        date=timezone.localdate(),
        title="实习协议：王振 赴某企业实习",
        served_organisation=enterprise.name,
        served_enterprise=enterprise,
        description="旧记录",
        achievement_key=f"实习协议 {enterprise.credit_code} 学生1 {THIS_YEAR}",
    )
    assert old.normalised_key and ServiceRecord.objects.get(pk=old.pk).achievement_key.startswith("实习协议")


def test_the_benchmark_prints_its_figures_as_json():
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bench_talent", students=30, openings=5, repeat=2, stdout=out)
    figures = json.loads(out.getvalue())
    assert (figures["students"], figures["openings"]) == (30, 5)
    assert all(figures[k] > 0 for k in ("opening_p50_ms", "student_p50_ms"))
