from decimal import Decimal

import pytest

from teams.rules import MemberFacts, name_violations, normalise_name, repeated_people, team_violations


def captain(**overrides):
    facts = {
        "name": "赵小明",
        "role": "captain",
        "title": "教授",
        "qualifying_project": "浙江省重点研发计划“高速缝制装备智能控制”",
        "qualifying_level": "provincial",
    }
    return MemberFacts(**{**facts, **overrides})


def valid_members():
    return [
        captain(),
        MemberFacts(name="钱红", role="deputy", title="副教授", deputy_focus="research"),
        MemberFacts(name="孙立", role="deputy", title="讲师", deputy_focus="industry"),
        MemberFacts(name="李一", role="core", title="讲师", background="机械工程"),
        MemberFacts(name="周二", role="core", title="副教授", background="控制科学与工程"),
        MemberFacts(name="吴三", role="core", title="讲师", background="材料工程"),
        MemberFacts(name="郑同学", role="dynamic"),
        MemberFacts(name="王工", role="enterprise", title="高级工程师"),
    ]


def test_a_valid_team_breaks_no_rule():
    assert team_violations("赵小明·迈得医疗科技小分队", valid_members()) == []


@pytest.mark.parametrize("separator", ["·", "•", "・"])
def test_it_accepts_the_common_name_separators(separator):
    assert name_violations(f"赵小明{separator}迈得医疗科技小分队", "赵小明") == []


@pytest.mark.parametrize(
    "name",
    ["迈得医疗科技小分队", "赵小明-迈得医疗科技小分队", "赵小明·迈得医疗团队", "赵小明·科技小分队", ""],
)
def test_it_rejects_names_off_the_pattern(name):
    assert "队长姓名·行业（企业）名称科技小分队" in name_violations(name, "赵小明")[0]


def test_it_rejects_a_name_that_is_not_the_captains():
    assert "不一致" in name_violations("钱红·迈得医疗科技小分队", "赵小明")[0]


def test_separators_normalise_for_uniqueness():
    assert normalise_name("赵小明•迈得医疗科技小分队") == normalise_name("赵小明・迈得医疗科技小分队")


@pytest.mark.parametrize("title", ["讲师", "助理研究员", "工程师", ""])
def test_a_captain_below_associate_senior_is_refused(title):
    members = [captain(title=title)] + valid_members()[1:]
    assert any("副高级及以上职称" in p for p in team_violations("赵小明·迈得医疗科技小分队", members))


@pytest.mark.parametrize("title", ["副教授", "研究员", "高级工程师", "正高级工程师"])
def test_a_senior_captain_is_accepted(title):
    members = [captain(title=title)] + valid_members()[1:]
    assert team_violations("赵小明·迈得医疗科技小分队", members) == []


@pytest.mark.parametrize(
    ("level", "amount", "ok"),
    [
        ("national", None, True),
        ("provincial", None, True),
        ("horizontal", Decimal("1000000"), True),
        ("horizontal", Decimal("999999.99"), False),
        ("", None, False),
    ],
)
def test_the_captains_qualifying_project(level, amount, ok):
    members = [captain(qualifying_level=level, qualifying_amount_yuan=amount)] + valid_members()[1:]
    problems = team_violations("赵小明·迈得医疗科技小分队", members)
    assert (problems == []) is ok


def test_it_needs_one_or_two_deputies_with_a_focus():
    members = valid_members()
    no_deputy = [m for m in members if m.role != "deputy"]
    assert any("副队长应为 1～2 名" in p for p in team_violations("赵小明·迈得医疗科技小分队", no_deputy))
    three = members + [MemberFacts(name="王五", role="deputy", deputy_focus="research")]
    assert any("当前 3 名" in p for p in team_violations("赵小明·迈得医疗科技小分队", three))
    unfocused = [MemberFacts(name="钱红", role="deputy")] + [m for m in members if m.role != "deputy"]
    assert any("应注明分工" in p for p in team_violations("赵小明·迈得医疗科技小分队", unfocused))


def test_it_needs_at_least_three_core_members():
    members = [m for m in valid_members() if m.name != "吴三"]
    assert any("核心成员应为 3 名以上" in p for p in team_violations("赵小明·迈得医疗科技小分队", members))


def test_it_needs_exactly_one_captain():
    members = [m for m in valid_members() if m.role != "captain"]
    problems = team_violations("赵小明·迈得医疗科技小分队", members)
    assert any("有且仅有 1 名队长" in p for p in problems)


@pytest.mark.parametrize(
    "drop_role, message",
    [("dynamic", "应有在学的研究生或本科生作为动态成员"), ("enterprise", "应有企业科技骨干作为企业成员")],
)
def test_students_and_enterprise_engineers_are_required(drop_role, message):
    members = [m for m in valid_members() if m.role != drop_role]
    assert any(message in p for p in team_violations("赵小明·迈得医疗科技小分队", members))


def test_two_deputies_hold_the_two_duties():
    members = [
        m if m.name != "孙立" else MemberFacts(name="孙立", role="deputy", deputy_focus="research")
        for m in valid_members()
    ]
    assert any("分别负责科研和产业对接" in p for p in team_violations("赵小明·迈得医疗科技小分队", members))


def test_one_person_entered_twice_is_caught_linked_or_not():
    twice_by_name = [*valid_members(), MemberFacts(name="李 一", role="dynamic")]
    assert any("“李 一”重复登记" in p for p in team_violations("赵小明·迈得医疗科技小分队", twice_by_name))
    linked = [
        MemberFacts(name="李一", role="core", account="7"),
        MemberFacts(name="李乙", role="dynamic", account="7"),
    ]
    assert repeated_people(linked) == ["李乙"]
    namesakes = [
        MemberFacts(name="李一", role="core", account="7"),
        MemberFacts(name="李一", role="dynamic", account="8"),
    ]
    assert repeated_people(namesakes) == []  # two accounts with one name are two people
