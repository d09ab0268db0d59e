"""Appendix C scoring: every item with and without its cap, exact decimals, no double counting."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.models import DEFAULT_RULES
from scoring.scores import Rule, ScoringError, rule_set_revise, score_records, team_score
from teams.errors import TeamsError
from teams.models import ServiceRecord
from teams.records import record_create
from tests.factories import StoAdminFactory, TeamMemberUserFactory, build_valid_team

RULES = {t: Rule(t, p, u, c) for t, p, u, c in DEFAULT_RULES}
D = Decimal


def rec(i, record_type, amount=None, date="2026-03-01"):
    return {"id": i, "record_type": record_type, "date": date, "title": f"r{i}", "amount_wan": amount}


def total(records):
    return score_records(RULES, records)[0]


# (record type, points for one record)
EACH = [
    ("service_visit", D("1.5")),
    ("training", D("2")),
    ("vertical_project", D("15")),
    ("paper", D("5")),
    ("patent", D("3")),
    ("standard", D("10")),
    ("consulting_report", D("6")),
    ("award", D("20")),
    ("platform", D("10")),
    ("agreement_comprehensive", D("10")),
    ("agreement_internship", D("2")),
    ("plan_report", D("5")),
    ("appraisal", D("5")),
]


@pytest.mark.parametrize(("record_type", "points"), EACH)
def test_each_item_scores_its_points_per_record(record_type, points):
    assert total([rec(1, record_type)]) == points


@pytest.mark.parametrize(
    ("record_type", "points"), [e for e in EACH if e[0] not in {"service_visit", "paper"}]
)
def test_uncapped_items_keep_adding(record_type, points):
    assert total([rec(i, record_type) for i in range(6)]) == points * 6


def test_service_visits_are_capped_at_15():
    assert total([rec(i, "service_visit") for i in range(10)]) == D("15.00")  # exactly at the cap
    assert total([rec(i, "service_visit") for i in range(11)]) == D("15.00")  # 16.5 cut to 15
    _, items = score_records(RULES, [rec(i, "service_visit") for i in range(11)])
    item = items[0]
    assert item.capped and item.raw == D("16.5") and item.score == D("15")
    assert item.records[-1].counted == D("0") and item.records[-2].counted == D("1.5")


def test_papers_are_capped_at_20():
    assert total([rec(i, "paper") for i in range(4)]) == D("20")
    _, items = score_records(RULES, [rec(i, "paper") for i in range(5)])
    assert items[0].score == D("20") and items[0].raw == D("25") and items[0].capped


@pytest.mark.parametrize(
    ("record_type", "amount", "points"),
    [
        ("tech_transfer", D("12.5"), D("25.00")),
        ("tech_transfer", D("0.01"), D("0.02")),
        ("horizontal_project", D("100"), D("100.00")),
        ("horizontal_project", D("33.33"), D("33.33")),
    ],
)
def test_amount_items_score_per_wan_in_exact_decimals(record_type, amount, points):
    assert total([rec(1, record_type, amount)]) == points


def test_decimal_amounts_add_to_the_cent():
    records = [rec(i, "horizontal_project", D("0.1")) for i in range(3)]
    assert total(records) == D("0.30")  # 0.1 * 3 in floats would be 0.30000000000000004


def test_the_breakdown_adds_up_to_the_total():
    records = [rec(1, "service_visit"), rec(2, "paper"), rec(3, "tech_transfer", D("3")), rec(4, "award")]
    score, items = score_records(RULES, records)
    assert score == sum(i.score for i in items) == sum(r.counted for i in items for r in i.records)
    assert score == D("1.5") + 5 + 6 + 20


record_strategy = st.lists(
    st.tuples(
        st.sampled_from([t for t, *_ in DEFAULT_RULES]),
        st.decimals(min_value=D("0.01"), max_value=D("500"), places=2),
        st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(record_strategy, st.randoms())
def test_a_score_respects_every_cap_and_ignores_record_order(rows, rnd):
    records = [
        rec(i, t, a if t in {"tech_transfer", "horizontal_project"} else None, d)
        for i, (t, a, d) in enumerate(rows)
    ]
    score, items = score_records(RULES, records)
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert score_records(RULES, shuffled)[0] == score
    for item in items:
        if item.cap is not None:
            assert item.score <= item.cap
        assert item.score <= item.raw
    # never more than the sum over items of min(cap, uncapped points)
    bound = sum((min(i.raw, i.cap) if i.cap is not None else i.raw for i in items), D(0))
    assert score <= bound


@pytest.mark.django_db
class TestFromStoredRecords:
    def _record(self, team, by, **fields):
        defaults = {
            "record_type": "service_visit",
            "date": dt.date(2026, 5, 1),
            "title": "赴企业服务",
            "served_organisation": "某公司",
            "description": "现场调研",
        }
        record = record_create(team=team, by=by, **{**defaults, **fields})
        ServiceRecord.objects.filter(pk=record.pk).update(status="approved")
        return record

    def test_only_approved_records_of_the_year_count(self):
        team = build_valid_team(status="active")
        captain = team.members.get(role="captain").user
        self._record(team, captain)
        self._record(team, captain, date=dt.date(2025, 12, 31))  # another year
        draft = self._record(team, captain)
        ServiceRecord.objects.filter(pk=draft.pk).update(status="submitted")
        rejected = self._record(team, captain)
        ServiceRecord.objects.filter(pk=rejected.pk).update(status="spot_rejected")
        assert team_score(team, 2026).total == D("1.50")

    def test_an_achievement_counts_for_the_team_that_claimed_it_only(self):
        shared = TeamMemberUserFactory()
        a = build_valid_team(status="active", name_suffix="甲")
        b = build_valid_team(status="active", name_suffix="乙")
        for team in (a, b):  # one person, a core member of both teams
            team.members.filter(pk=team.members.filter(role="core").first().pk).update(user=shared)
        self._record(a, shared, record_type="paper", title="论文", achievement_key="10.1000/xyz123")
        with pytest.raises(TeamsError):
            self._record(b, shared, record_type="paper", title="论文", achievement_key="10.1000/XYZ123")
        assert team_score(a, 2026).total == D("5.00")
        assert team_score(b, 2026).total == D("0.00")

    def test_each_university_scores_by_its_own_table(self):
        from scoring.scores import teams_scores
        from tests.factories import CollegeFactory

        ours = build_valid_team(status="active", name_suffix="本校")
        theirs = build_valid_team(
            status="active", name_suffix="外校", college=CollegeFactory()
        )  # another university
        assert ours.college.university_id != theirs.college.university_id
        for team in (ours, theirs):
            self._record(team, team.members.get(role="captain").user, record_type="training", title="培训")

        # when our office doubles the points of a training
        office = StoAdminFactory(university=ours.college.university)
        rule_set_revise(year=2026, by=office, changes={"training": {"points": "4"}})

        # then our team scores by our table, theirs still by the platform's (2 points)
        scores = teams_scores([ours.pk, theirs.pk], 2026)
        assert (scores[ours.pk].total, scores[ours.pk].rule_set_version) == (D("4.00"), 2)
        assert (scores[theirs.pk].total, scores[theirs.pk].rule_set_version) == (D("2.00"), 1)
        assert team_score(theirs, 2026).total == D("2.00")


@pytest.mark.django_db
def test_revised_rules_make_a_new_version_and_frozen_rules_refuse():
    office = StoAdminFactory()
    revised = rule_set_revise(
        year=2026, by=office, changes={"training": {"points": "3"}}, note="培训加分调整"
    )
    assert revised.version == 2
    assert revised.items.get(record_type="training").points == D("3.00")
    assert revised.items.get(record_type="paper").cap == D("20.00")
    revised.frozen = True
    revised.save()
    with pytest.raises(ScoringError) as exc:
        rule_set_revise(year=2026, by=office, changes={"training": {"points": "4"}})
    assert exc.value.code == "frozen"
    with pytest.raises(ScoringError):
        rule_set_revise(year=2026, by=TeamMemberUserFactory(), changes={})
