"""Appendix C's note: teams that share members never count one item twice. Achievements are claimed
once (teams.records); a visit or training two such teams both recorded counts once, for the team that
wrote it first, and the S&T office sees the pair."""

import datetime as dt
from decimal import Decimal

import pytest

from scoring.archive import archive_data
from scoring.assessment import assessment_open, shared_items_of
from scoring.scores import teams_scores
from teams.models import Member, MemberRole, ServiceRecord
from teams.records import record_create
from tests.factories import CollegeFactory, StoAdminFactory, UniversityFactory, build_valid_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_teams_sharing_a_teacher():
    university = UniversityFactory()
    college = CollegeFactory(university=university, category="science")
    first = build_valid_team(status="active", college=college, name_suffix="甲")
    second = build_valid_team(status="active", college=college, name_suffix="乙")
    teacher = first.members.filter(role=MemberRole.CORE).first()
    # The same teacher, entered by hand in the second team (no account linked there).
    shared = Member.objects.create(team=second, name=f" {teacher.name} ", role=MemberRole.CORE, title="讲师")
    return university, first, second, teacher, shared


def visit(
    team, participant, *, day=dt.date(2026, 5, 6), organisation="台州某泵业有限公司", title="赴企业走访"
):
    captain = team.members.get(role="captain").user
    record = record_create(
        team=team,
        by=captain,
        record_type="service_visit",
        date=day,
        title=title,
        served_organisation=organisation,
        description="现场调研",
        participants=[participant],
    )
    ServiceRecord.objects.filter(pk=record.pk).update(status="approved")
    return record


def test_a_visit_both_teams_recorded_counts_once_for_the_first(two_teams_sharing_a_teacher):
    university, first, second, teacher, shared = two_teams_sharing_a_teacher
    kept = visit(first, teacher)
    repeated = visit(second, shared, organisation="台州某泵业 有限公司", title="同一次走访")
    own = visit(second, shared, day=dt.date(2026, 5, 7), title="第二天另一次走访")

    scores = teams_scores([first.pk, second.pk], 2026)
    assert scores[first.pk].total == Decimal("1.50")
    assert scores[second.pk].total == Decimal("1.50")  # only its own visit of the next day
    counted = {r.record_id for i in scores[second.pk].items for r in i.records}
    assert counted == {own.pk}

    office = StoAdminFactory(university=university)
    assessment = assessment_open(by=office, year=2026)
    [pair] = shared_items_of(assessment)
    assert (pair.kept, pair.left_out) == (kept, repeated) and pair.people == (teacher.name,)
    assert "同一次走访" not in next(row for row in archive_data(second, 2026).rows if row.number == 1).detail


def test_different_people_or_places_count_for_each_team(two_teams_sharing_a_teacher):
    _university, first, second, teacher, _shared = two_teams_sharing_a_teacher
    visit(first, teacher)
    other = second.members.filter(role=MemberRole.CORE).exclude(name=teacher.name).first()
    visit(second, other)  # same day and place, nobody in common
    visit(second, second.members.get(role="captain"), organisation="另一家企业")
    scores = teams_scores([first.pk, second.pk], 2026)
    assert scores[first.pk].total == Decimal("1.50") and scores[second.pk].total == Decimal("3.00")


def test_two_accounts_with_one_name_are_two_people(two_teams_sharing_a_teacher):
    _university, first, second, _teacher, _shared = two_teams_sharing_a_teacher
    first_captain, second_captain = first.members.get(role="captain"), second.members.get(role="captain")
    assert first_captain.name == second_captain.name and first_captain.user_id != second_captain.user_id
    visit(first, first_captain)
    visit(second, second_captain)
    scores = teams_scores([first.pk, second.pk], 2026)
    assert scores[first.pk].total == scores[second.pk].total == Decimal("1.50")


def test_the_office_decides_which_team_keeps_a_shared_visit(two_teams_sharing_a_teacher, client):
    from scoring.assessment import notice_begin, shared_item_choose
    from scoring.models import SharedItemChoice
    from scoring.scores import ScoringError
    from tests.factories import decide_all_checks, draw_both_strands

    university, first, second, teacher, shared = two_teams_sharing_a_teacher
    office = StoAdminFactory(university=university)
    kept = visit(first, teacher)
    repeated = visit(second, shared, title="同一次走访")
    assessment = assessment_open(by=office, year=2026, spot_share="1")

    for bad, message in (
        ({"kept_id": repeated.pk, "left_out_id": kept.pk, "reason": ""}, "请填写决定的理由"),
        ({"kept_id": repeated.pk, "left_out_id": repeated.pk, "reason": "x"}, "不是本年度共享成员的重复记录"),
    ):
        with pytest.raises(ScoringError, match=message):
            shared_item_choose(assessment=assessment, by=office, **bad)
    assert not SharedItemChoice.objects.exists()

    # On the page: the office gives the visit to the second team, with its reason.
    client.force_login(office)
    client.post(
        f"/assessment/{assessment.pk}/shared-items/",
        {"kept_id": repeated.pk, "left_out_id": kept.pk, "reason": "乙队负责人带队"},
    )
    scores = teams_scores([first.pk, second.pk], 2026)
    assert (scores[first.pk].total, scores[second.pk].total) == (Decimal("0.00"), Decimal("1.50"))
    (item,) = shared_items_of(assessment)
    assert (item.kept, item.left_out, item.choice.reason) == (repeated, kept, "乙队负责人带队")
    assert "科技处决定：乙队负责人带队" in client.get(f"/assessment/{assessment.pk}/").content.decode()

    # Through the API, back to the first team; the decision replaces the earlier one.
    response = client.post(
        f"/api/v1/assessments/{assessment.pk}/shared-items/",
        {"kept_id": kept.pk, "left_out_id": repeated.pk, "reason": "甲队先约定"},
        content_type="application/json",
    )
    assert response.status_code == 201 and SharedItemChoice.objects.count() == 1
    assert teams_scores([first.pk], 2026)[first.pk].total == Decimal("1.50")

    # Once the scores are fixed, the decision is closed.
    draw_both_strands(assessment, office, seed=1)
    decide_all_checks(assessment, office)
    notice_begin(assessment=assessment, by=office)
    with pytest.raises(ScoringError) as exc:
        shared_item_choose(
            assessment=assessment, by=office, kept_id=repeated.pk, left_out_id=kept.pk, reason="x"
        )
    assert exc.value.code == "wrong_state"
