"""Spot check draw and its effect, grades by threshold and by quota, notice, objections, publication."""

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from scoring.assessment import (
    assessment_open,
    assessment_publish,
    grades_for,
    notice_begin,
    objection_answer,
    objection_lodge,
    spot_check_decide,
    spot_check_draw,
    spot_sample,
)
from scoring.models import Assessment, RuleSet
from scoring.scores import ScoringError, rule_set_revise
from teams.models import ServiceRecord
from teams.records import record_create
from tests.factories import (
    CollegeFactory,
    HumAdminFactory,
    StoAdminFactory,
    UniversityFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db


def test_the_draw_is_reproducible_from_its_seed():
    population = {"science": list(range(1, 41)), "humanities": list(range(100, 111))}
    a = spot_sample(population, Decimal("0.2"), seed=42)
    assert a == spot_sample(population, Decimal("0.2"), seed=42)
    assert a != spot_sample(population, Decimal("0.2"), seed=43)
    assert len(a["science"]) == 8 and len(a["humanities"]) == 3  # ceil(11 * 0.2)
    assert set(a["humanities"]) <= set(population["humanities"])  # categories drawn separately


@pytest.fixture
def world():
    university = UniversityFactory()
    office = StoAdminFactory(university=university)
    science = build_valid_team(
        status="active", college=CollegeFactory(university=university, category="science"), name_suffix="理工"
    )
    humanities = build_valid_team(
        status="active",
        college=CollegeFactory(university=university, category="humanities"),
        name_suffix="人文",
    )
    records = {}
    for team in (science, humanities):
        captain = team.members.get(role="captain").user
        records[team.pk] = []
        for i in range(5):
            r = record_create(
                team=team,
                by=captain,
                record_type="service_visit",
                date=dt.date(2026, 4, i + 1),
                title=f"赴企业服务{i}",
                served_organisation="某公司",
                description="现场调研",
            )
            ServiceRecord.objects.filter(pk=r.pk).update(status="approved")
            records[team.pk].append(r)
    return office, science, humanities, records


def test_the_whole_assessment(world):
    office, science, humanities, records = world
    assessment = assessment_open(
        by=office, year=2026, spot_share="0.4", pass_threshold="5", excellent_threshold="7"
    )
    humanities_office = HumAdminFactory(university=office.university)
    # Each office draws its own strand (Appendix C's note): the S&T office 理工类 only.
    sample = spot_check_draw(assessment=assessment, by=office, seed=7)
    assert set(sample) == {"science"} and len(sample["science"]) == 2
    assessment.refresh_from_db()
    assert assessment.status == "spot_check" and assessment.frozen_at is None  # 人文类 not closed yet
    with pytest.raises(ScoringError, match="已抽样"):
        spot_check_draw(assessment=assessment, by=office, seed=8)
    with pytest.raises(ScoringError, match="人文类尚未抽样"):
        notice_begin(assessment=assessment, by=office)
    sample = spot_check_draw(assessment=assessment, by=humanities_office, seed=7)
    assert set(sample) == {"humanities"} and len(sample["humanities"]) == 2
    assessment.refresh_from_db()
    assert assessment.frozen_at is not None  # both strands drawn: the year's record set is closed
    assert dict(assessment.draws.values_list("category", "seed")) == {"science": 7, "humanities": 7}

    with pytest.raises(ScoringError):  # not every drawn record checked yet
        notice_begin(assessment=assessment, by=office)
    checks = list(assessment.spot_checks.order_by("id"))
    rejected = next(c for c in checks if c.category == "science")
    strand_office = {"science": office, "humanities": humanities_office}
    for check in checks:
        other = humanities_office if check.category == "science" else office
        with pytest.raises(ScoringError, match="由对应的科研管理部门抽查"):  # not the other strand's office
            spot_check_decide(check=check, by=other, upheld=True)
        if check == rejected:
            with pytest.raises(ScoringError):
                spot_check_decide(check=check, by=office, upheld=False)  # a reason is required
            spot_check_decide(check=check, by=office, upheld=False, reason="佐证材料与服务内容不符")
        else:
            spot_check_decide(check=check, by=strand_office[check.category], upheld=True)
    with pytest.raises(ScoringError, match="已给出结论"):  # a decision is made once
        spot_check_decide(check=rejected, by=office, upheld=True)

    start = timezone.now()
    assessment = notice_begin(assessment=assessment, by=office, now=start)
    results = {r.team_id: r for r in assessment.results.all()}
    assert results[science.pk].score == Decimal("6.00")  # one of five visits rejected: 4 × 1.5
    assert results[humanities.pk].score == Decimal("7.50")
    assert (results[humanities.pk].grade, results[science.pk].grade) == ("excellent", "pass")
    assert results[humanities.pk].rank == 1

    objection = objection_lodge(
        assessment=assessment, author="张三", contact="138…", text="某记录存疑", team=science, now=start
    )
    with pytest.raises(ScoringError) as exc:
        assessment_publish(assessment=assessment, by=office, now=start + timedelta(days=1))
    assert exc.value.code == "notice_running"
    # a notice left without its end (an edit in the admin) is refused with a message, not a TypeError
    Assessment.objects.filter(pk=assessment.pk).update(notice_end=None)
    with pytest.raises(ScoringError, match="公示期没有结束时间") as exc:
        assessment_publish(assessment=assessment, by=office, now=start + timedelta(days=6))
    Assessment.objects.filter(pk=assessment.pk).update(notice_end=assessment.notice_end)
    with pytest.raises(ScoringError) as exc:
        assessment_publish(assessment=assessment, by=office, now=start + timedelta(days=6))
    assert exc.value.code == "objections"
    objection_answer(objection=objection, by=office, answer="经核查，记录属实。")
    assessment = assessment_publish(assessment=assessment, by=office, now=start + timedelta(days=6))
    assert assessment.status == Assessment.Status.FINAL
    # the published year's table can no longer be revised by this office; the platform's table, which
    # other universities use, is not frozen by it
    with pytest.raises(ScoringError, match="已冻结"):
        rule_set_revise(year=2026, by=office, changes={"training": {"points": "3"}})
    assert not RuleSet.objects.filter(year=2026, university__isnull=True, frozen=True).exists()
    with pytest.raises(ScoringError):  # the notice is over
        objection_lodge(
            assessment=assessment,
            author="李四",
            contact="x",
            text="迟到的异议",
            now=start + timedelta(days=7),
        )


def test_another_universitys_office_cannot_touch_it(world):
    office, *_ = world
    assessment = assessment_open(by=office, year=2026)
    for outsider in (StoAdminFactory(), HumAdminFactory()):
        with pytest.raises(ScoringError) as exc:
            spot_check_draw(assessment=assessment, by=outsider)
        assert exc.value.code == "forbidden"


class _A:
    def __init__(self, mode, quota="0.15"):
        self.grade_mode = mode
        self.excellent_quota = Decimal(quota)
        self.excellent_threshold = Decimal("60")
        self.pass_threshold = Decimal("20")


def test_grades_by_threshold():
    grades = grades_for(
        [
            (1, Decimal("60"), "a"),
            (2, Decimal("59.99"), "b"),
            (3, Decimal("20"), "c"),
            (4, Decimal("19.99"), "d"),
        ],
        _A("threshold"),
    )
    assert grades == {1: "excellent", 2: "pass", 3: "pass", 4: "fail"}


def test_grades_by_quota_give_at_most_the_share():
    scores = [(i, Decimal(100 - i), f"t{i:02d}") for i in range(20)]  # 20 teams: 15% → 3
    grades = grades_for(scores, _A("quota"))
    assert [t for t, g in grades.items() if g == "excellent"] == [0, 1, 2]
    low = grades_for([(1, Decimal("10"), "a"), (2, Decimal("90"), "b")], _A("quota", "0.5"))
    assert low == {2: "excellent", 1: "fail"}  # below the pass line no quota helps


def test_a_spot_check_rejection_takes_the_record_out_of_the_portrait_and_the_ranking_at_once(
    world, django_capture_on_commit_callbacks
):
    """The decision goes through teams' record state machine: the transition is logged there, the team
    is told, and the rejected record's work is gone from the ranking index with no nightly refresh."""
    from accounts.models import Notification
    from matching import services as matching
    from teams.models import RecordTransition

    office, science, _humanities, records = world
    record = records[science.pk][0]
    ServiceRecord.objects.filter(pk=record.pk).update(title="低温等离子体除臭装置现场调试")

    def indexed_text():
        """The texts the ranking index holds for the science team (what its vectors were made from)."""
        built = matching.team_index()
        assert built is not None
        index, _team_ids = built
        portrait = next(p for p in index.portraits if p.id == str(science.pk))
        return " ".join(work.text() for work in portrait.works)

    assert "低温等离子体除臭装置现场调试" in indexed_text()
    assessment = assessment_open(
        by=office, year=2026, spot_share="1", pass_threshold="5", excellent_threshold="7"
    )
    spot_check_draw(assessment=assessment, by=office, seed=7)
    check = assessment.spot_checks.get(record=record)
    with django_capture_on_commit_callbacks(execute=True):  # what happens when the decision commits
        spot_check_decide(check=check, by=office, upheld=False, reason="佐证材料与服务内容不符")

    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.SPOT_REJECTED
    step = RecordTransition.objects.filter(record=record).latest("id")
    assert (step.action, step.from_status, step.actor) == ("spot_check_reject", "approved", office)
    assert "低温等离子体除臭装置现场调试" not in indexed_text()
    captain = science.members.get(role="captain").user
    assert Notification.objects.filter(user=captain, title="服务记录抽查不通过").exists()


def test_the_record_pages_cannot_take_a_spot_check_step(world):
    from teams.errors import TeamsError
    from teams.records import record_transition

    office, science, _humanities, records = world
    with pytest.raises(TeamsError):
        record_transition(record=records[science.pk][0], action="spot_check_reject", by=office, comment="x")
