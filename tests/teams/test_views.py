"""The team pages: who sees what (owner, member, college reviewer, other college, outsider, anonymous),
the application flow through the pages, editing with reference codes, members, calls and the portrait."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from reference.models import Discipline
from teams.models import Call, Member, MemberRole, Rectification, Team
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    EnterpriseFactory,
    RegionFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UniversityFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db

CAPTAIN = {
    "captain_title": "教授",
    "qualifying_project": "浙江省重点研发计划项目",
    "qualifying_level": "provincial",
}

PHONE = "13912345678"
EMAIL = "zhaoxm@example.edu.cn"


def build_world() -> SimpleNamespace:
    """Two teams in two colleges of one university, and every kind of person who may ask about them."""
    RegionFactory()  # 331002 椒江区, typed on the edit page
    university = UniversityFactory(name="台州学院")
    college = CollegeFactory(university=university, name="智能制造学院")
    other_college = CollegeFactory(university=university, name="医药化工学院")
    owner = TeamMemberUserFactory(
        username="zhaoxm", college=college, real_name="赵小明", title="教授", phone=PHONE, email=EMAIL
    )
    team = build_valid_team(college=college, captain_user=owner)
    member_user = TeamMemberUserFactory(
        username="liyi", college=college, real_name="李一", phone="13700000001"
    )
    Member.objects.filter(team=team, name="李一").update(user=member_user)
    other_captain = TeamMemberUserFactory(
        username="wangq", college=other_college, real_name="王强", title="教授"
    )
    other_team = build_valid_team(college=other_college, name_suffix="泵业", captain_user=other_captain)
    return SimpleNamespace(
        university=university,
        college=college,
        other_college=other_college,
        team=team,
        other_team=other_team,
        owner=owner,
        member=member_user,
        other_captain=other_captain,
        college_admin=CollegeAdminFactory(username="college", college=college),
        other_college_admin=CollegeAdminFactory(username="othercollege", college=other_college),
        office=StoAdminFactory(username="office", university=university),
        other_office=StoAdminFactory(username="otheroffice"),
        outsider=TeamMemberUserFactory(username="outsider", college=college),
    )


@pytest.fixture
def world():
    return build_world()


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def set_status(team, status):
    Team.objects.filter(pk=team.pk).update(status=status)
    team.refresh_from_db()
    return team


# ------------------------------------------------------------------------------------- who sees what


@pytest.mark.parametrize(
    ("who", "sees_team", "sees_other_team"),
    [
        ("owner", True, False),
        ("member", True, False),
        ("college_admin", True, False),
        ("other_college_admin", False, True),
        ("office", True, True),
        ("other_office", False, False),
        ("outsider", False, False),
    ],
)
def test_the_team_list_shows_only_the_teams_a_user_may_see(client, world, who, sees_team, sees_other_team):
    response = as_user(client, getattr(world, who)).get(reverse("teams:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert (world.team.name in html) is sees_team
    assert (world.other_team.name in html) is sees_other_team


def test_the_office_filters_the_team_list_by_keyword_college_and_state(client, world):
    set_status(world.other_team, "active")
    client.force_login(world.office)
    page = client.get(reverse("teams:list"))
    names = [row["team"].name for row in page.context["rows"]]
    assert sorted(names) == sorted([world.team.name, world.other_team.name])
    choices = page.context["filter_form"].fields["college"].choices
    assert {c for c, _ in choices} == {"", world.college.pk, world.other_college.pk}

    def listed(**query):
        response = client.get(reverse("teams:list"), query)
        assert response.status_code == 200
        return [row["team"].name for row in response.context["rows"]], response.content.decode()

    assert listed(college=world.other_college.pk)[0] == [world.other_team.name]
    assert listed(status="active")[0] == [world.other_team.name]
    assert listed(q="泵业")[0] == [world.other_team.name]
    names, html = listed(q="没有这样的小分队")
    assert names == [] and "没有符合条件的小分队" in html and "共 0 支小分队" in html
    # what does not parse is said on its field and left out; the rest still applies
    names, html = listed(status="bogus", college="abc", q="泵业")
    assert names == [world.other_team.name]
    assert html.count("选择一个有效的选项") == 2


def serving_teams(college, count: int) -> None:
    """Bare serving teams 批量00… of a college, for the paged lists (no members: only listed)."""
    Team.objects.bulk_create(
        Team(
            name=f"批量{i:02d}·泵业科技小分队",
            college=college,
            work_mode="enterprise_centre",
            theme="smart_manufacturing",
            category=college.category,
            status="active",
        )
        for i in range(count)
    )


def test_the_team_list_pages_by_twenty_and_keeps_its_filters_on_every_page(client, world):
    serving_teams(world.other_college, 25)
    client.force_login(world.office)

    def page(**query):
        response = client.get(reverse("teams:list"), {"q": "批量", **query})
        assert response.status_code == 200
        return [row["team"].name for row in response.context["rows"]], response.content.decode()

    first, html = page()
    assert len(first) == 20 and "共 25 支小分队" in html
    assert 'href="?q=%E6%89%B9%E9%87%8F&amp;page=2"' in html  # the keyword rides along
    second, _html = page(page=2)
    assert len(second) == 5 and sorted(first + second) == [f"批量{i:02d}·泵业科技小分队" for i in range(25)]
    # a page that is not one gives the nearest page, not an error
    assert page(page="99")[0] == second and page(page="abc")[0] == first


def test_a_college_admin_has_no_college_choice_and_a_member_no_filters(client, world):
    client.force_login(world.college_admin)
    form = client.get(reverse("teams:list")).context["filter_form"]
    assert "college" not in form.fields and "status" in form.fields
    client.force_login(world.owner)
    assert client.get(reverse("teams:list")).context["filter_form"] is None


def test_the_team_list_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("teams:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("member", 200),
        ("college_admin", 200),
        ("office", 200),
        ("other_college_admin", 404),
        ("other_office", 404),
        ("outsider", 404),
        ("other_captain", 404),
    ],
)
def test_the_team_page_is_a_404_for_those_outside_the_team(client, world, who, status):
    response = as_user(client, getattr(world, who)).get(reverse("teams:detail", args=[world.team.pk]))
    assert response.status_code == status
    if status == 404:
        assert world.team.name not in response.content.decode()


def test_the_team_page_sends_anonymous_visitors_to_sign_in(client, world):
    response = client.get(reverse("teams:detail", args=[world.team.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize(
    "url_name",
    ["teams:edit", "teams:member_add", "teams:record_list", "teams:record_create"],
)
@pytest.mark.parametrize("who", ["other_college_admin", "outsider", "other_office"])
def test_every_team_page_is_a_404_for_another_college_or_an_outsider(client, world, url_name, who):
    response = as_user(client, getattr(world, who)).get(reverse(url_name, args=[world.team.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("member", 403), ("college_admin", 403)])
def test_only_the_captain_or_a_deputy_opens_the_edit_page(client, world, who, status):
    response = as_user(client, getattr(world, who)).get(reverse("teams:edit", args=[world.team.pk]))
    assert response.status_code == status


def test_the_members_table_shows_roles_and_no_contact_details(client, world):
    Member.objects.create(team=world.team, name="郑同学", role=MemberRole.DYNAMIC, student_level="graduate")
    response = as_user(client, world.owner).get(reverse("teams:detail", args=[world.team.pk]))
    html = response.content.decode()
    for text in ["钱红", "副队长", "科研", "核心成员", "郑同学", "研究生", "教授"]:
        assert text in html
    assert PHONE not in html and EMAIL not in html and "13700000001" not in html


# ---------------------------------------------------------------------------------- draft and submit


def test_a_draft_lists_the_problems_to_solve_before_submission(client, world):
    Member.objects.filter(team=world.team, role=MemberRole.CORE).first().delete()
    response = as_user(client, world.owner).get(reverse("teams:detail", args=[world.team.pk]))
    html = response.content.decode()
    assert "提交前需要解决的问题" in html
    assert "核心成员应为 3 名以上教师（当前 2 名）" in html


def test_a_complete_draft_says_it_may_be_submitted(client, world):
    response = as_user(client, world.owner).get(reverse("teams:detail", args=[world.team.pk]))
    html = response.content.decode()
    assert "提交前需要解决的问题" not in html and "已满足组建要求" in html


@pytest.mark.parametrize(
    ("who", "status", "shown", "hidden"),
    [
        ("owner", "draft", ["submit"], ["college_approve", "office_approve"]),
        ("member", "draft", [], ["submit"]),
        ("college_admin", "draft", [], ["submit", "college_approve"]),
        ("college_admin", "submitted", ["college_approve", "college_return"], ["office_approve"]),
        ("office", "submitted", [], ["college_approve", "office_approve"]),
        ("office", "college_approved", ["office_approve", "office_return"], ["college_approve"]),
        ("office", "active", ["dissolve", "archive"], ["office_approve"]),
        ("owner", "active", [], ["submit", "dissolve"]),
    ],
)
def test_the_team_page_offers_only_the_actions_the_user_may_take_now(
    client, world, who, status, shown, hidden
):
    set_status(world.team, status)
    html = (
        as_user(client, getattr(world, who))
        .get(reverse("teams:detail", args=[world.team.pk]))
        .content.decode()
    )
    for action in shown:
        assert f'data-action="{action}"' in html
    for action in hidden:
        assert f'data-action="{action}"' not in html


def test_the_captain_submits_through_the_page(client, world):
    response = as_user(client, world.owner).post(reverse("teams:action", args=[world.team.pk, "submit"]))
    assert response.status_code == 302
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.SUBMITTED
    assert any("提交申报" in m for m in message_texts(response))


def test_a_submission_breaking_a_rule_is_refused_on_the_form_and_nothing_changes(client, world):
    Member.objects.filter(team=world.team, role=MemberRole.DEPUTY).delete()
    response = as_user(client, world.owner).post(reverse("teams:action", args=[world.team.pk, "submit"]))
    assert response.status_code == 200
    assert "副队长应为 1～2 名（当前 0 名）" in response.content.decode()
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.DRAFT
    assert not world.team.transitions.filter(action="submit").exists()


def test_a_member_who_is_not_a_manager_cannot_submit(client, world):
    response = as_user(client, world.member).post(reverse("teams:action", args=[world.team.pk, "submit"]))
    assert response.status_code == 403
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.DRAFT


def test_the_college_reviewer_approves_and_returns_to_the_queue(client, world):
    set_status(world.team, Team.Status.SUBMITTED)
    queue = reverse("teams:review_college")
    response = as_user(client, world.college_admin).post(
        reverse("teams:action", args=[world.team.pk, "college_approve"]), {"comment": "同意", "next": queue}
    )
    assert response.status_code == 302 and response.url == queue
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.COLLEGE_APPROVED
    assert world.team.transitions.get(action="college_approve").comment == "同意"


def test_a_return_without_a_comment_is_refused_with_the_reason(client, world):
    set_status(world.team, Team.Status.SUBMITTED)
    response = as_user(client, world.college_admin).post(
        reverse("teams:action", args=[world.team.pk, "college_return"]), {"comment": "  "}
    )
    assert response.status_code == 200
    assert "“学院退回修改”需要填写意见。" in response.content.decode()
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.SUBMITTED


def test_another_colleges_admin_cannot_approve(client, world):
    set_status(world.team, Team.Status.SUBMITTED)
    response = as_user(client, world.other_college_admin).post(
        reverse("teams:action", args=[world.team.pk, "college_approve"])
    )
    assert response.status_code == 404
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.SUBMITTED


@pytest.mark.parametrize("next_address", ["https://evil.example/", "//evil.example/", "²", "list", "a/b"])
def test_an_offsite_or_odd_next_address_is_ignored(client, world, next_address):
    # "²" and "list" were 500s: redirect() reads a bare word as a view name.
    set_status(world.team, Team.Status.SUBMITTED)
    response = as_user(client, world.college_admin).post(
        reverse("teams:action", args=[world.team.pk, "college_approve"]), {"next": next_address}
    )
    assert response.status_code == 302 and response.url == reverse("teams:detail", args=[world.team.pk])


def test_state_changes_need_a_post(client, world):
    as_user(client, world.owner).get(reverse("teams:action", args=[world.team.pk, "submit"]))
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.DRAFT


def test_rectify_is_not_available_as_a_bare_transition(client, world):
    set_status(world.team, Team.Status.ACTIVE)
    response = as_user(client, world.office).post(
        reverse("teams:action", args=[world.team.pk, "rectify"]), {"comment": "x"}
    )
    assert response.status_code == 404


# ------------------------------------------------------------------------------------------- create


def test_a_teacher_creates_a_draft_for_an_open_call_of_their_university(client, world):
    teacher = TeamMemberUserFactory(college=world.college, real_name="孙立", title="副教授")
    call = Call.objects.create(
        university=world.university,
        year=2025,
        title="2025 年科技小分队申报",
        requirements="面向台州产业",
        deadline=timezone.now() + timedelta(days=10),
    )
    response = as_user(client, teacher).post(
        reverse("teams:create"),
        {
            "name": "孙立•水泵科技小分队",
            "work_mode": "discipline",
            "theme": "smart_manufacturing",
            "call": call.pk,
            **CAPTAIN,
        },
    )
    team = Team.objects.get(name="孙立·水泵科技小分队")
    assert response.status_code == 302 and response.url == reverse("teams:detail", args=[team.pk])
    assert team.call == call and team.college == world.college
    assert team.members.get(role=MemberRole.CAPTAIN).user == teacher


def test_the_create_form_offers_only_open_calls_of_the_users_university(client, world):
    open_call = Call.objects.create(
        university=world.university, year=2025, title="本校开放批次", requirements="r",
        deadline=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    Call.objects.create(
        university=world.university, year=2024, title="本校已截止批次", requirements="r",
        deadline=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    foreign = Call.objects.create(
        university=UniversityFactory(), year=2025, title="外校批次", requirements="r",
        deadline=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    client = as_user(client, world.owner)
    html = client.get(reverse("teams:create")).content.decode()
    assert open_call.title in html and "本校已截止批次" not in html and "外校批次" not in html
    response = client.post(
        reverse("teams:create"),
        {
            "name": "赵小明·泵业二科技小分队",
            "work_mode": "discipline",
            "theme": "other",
            "call": foreign.pk,
            **CAPTAIN,
        },
    )
    assert response.status_code == 200
    assert not Team.objects.filter(name="赵小明·泵业二科技小分队").exists()


def test_a_duplicate_team_name_is_reported_on_the_form(client, world):
    response = as_user(client, world.owner).post(
        reverse("teams:create"),
        {"name": world.team.name, "work_mode": "discipline", "theme": "other", **CAPTAIN},
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert Team.objects.filter(name=world.team.name).count() == 1


@pytest.mark.parametrize("who", ["college_admin", "office", "anonymous"])
def test_only_teachers_create_teams(client, world, who):
    user = None if who == "anonymous" else getattr(world, who)
    response = as_user(client, user).get(reverse("teams:create"))
    assert response.status_code == (302 if user is None else 403)


# --------------------------------------------------------------------------------------------- edit


def edit_data(**overrides):
    data = {
        "name": "赵小明·迈得医疗科技小分队",
        "work_mode": "enterprise_centre",
        "theme": "smart_manufacturing",
        "industries": "3553",
        "regions": "331002",
        "served_enterprises": "",
        "service_content": "减振降噪技术服务",
        "service_foundation": "",
        "description": "",
        "keywords": "",
    }
    return data | overrides


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("industries", "3553, 9999", "未找到行业代码：9999"),
        ("industries", "3553，ZZ", "未找到行业代码：ZZ"),
        ("regions", "33100", "地区代码应为 2、4 或 6 位数字（如 33、3310、331002）：33100"),
        ("regions", "331002、999999", "未找到行政区划代码：999999"),
        ("served_enterprises", "不存在的公司", "以下企业未在平台注册或尚未通过审核：不存在的公司"),
    ],
)
def test_unknown_reference_codes_are_refused_in_chinese(client, world, field, value, message):
    response = as_user(client, world.owner).post(
        reverse("teams:edit", args=[world.team.pk]), edit_data(**{field: value, "service_content": "新内容"})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    world.team.refresh_from_db()
    assert world.team.service_content != "新内容"


def test_the_edit_page_saves_the_application_and_portrait(client, world, reference_data):
    enterprise = EnterpriseFactory(name="浙江迈得医疗器械有限公司")
    disciplines = list(Discipline.objects.filter(scheme="csl").order_by("code")[:2])
    response = as_user(client, world.owner).post(
        reverse("teams:edit", args=[world.team.pk]),
        edit_data(
            industries="3553, 3584",
            regions="331002 331000",
            disciplines=[d.pk for d in disciplines],
            served_enterprises=enterprise.name,
            service_foundation="已为 3 家企业提供服务",
            keywords="减振降噪、伺服控制，减振降噪",
            service_types=["diagnosis", "testing"],
        ),
    )
    assert response.status_code == 302
    team = Team.objects.get(pk=world.team.pk)
    assert sorted(team.industries.values_list("code", flat=True)) == ["3553", "3584"]
    assert sorted(team.regions.values_list("code", flat=True)) == ["3310", "331002"]
    assert set(team.disciplines.all()) == set(disciplines)
    assert list(team.served_enterprises.all()) == [enterprise]
    assert team.keywords == ["减振降噪", "伺服控制"]
    assert team.service_types == ["diagnosis", "testing"]
    assert team.service_foundation == "已为 3 家企业提供服务"
    # and the page shows the codes back in the form people type them
    html = client.get(reverse("teams:edit", args=[team.pk])).content.decode()
    assert "331000" in html and "3584" in html


def test_the_edit_page_takes_province_and_city_codes_as_the_picker_names_them(client, world, reference_data):
    # The picker's lookup names 33 and 3310 as typed; the form must save what the picker has named.
    named = client.get("/reference/regions.json", {"codes": "33,3310"}).json()
    assert [item["code"] for item in named["items"]] == ["33", "3310"] and named["unknown"] == []
    response = as_user(client, world.owner).post(
        reverse("teams:edit", args=[world.team.pk]), edit_data(regions="33, 3310, 331002")
    )
    assert response.status_code == 302
    codes = sorted(Team.objects.get(pk=world.team.pk).regions.values_list("code", flat=True))
    assert codes == ["33", "3310", "331002"]


def test_a_serving_team_edits_its_portrait_but_not_its_name(client, world):
    set_status(world.team, Team.Status.ACTIVE)
    client = as_user(client, world.owner)
    html = client.get(reverse("teams:edit", args=[world.team.pk])).content.decode()
    assert 'name="name"' not in html
    response = client.post(
        reverse("teams:edit", args=[world.team.pk]),
        edit_data(name="赵小明·改名科技小分队", service_content="更新后的服务内容"),
    )
    assert response.status_code == 302
    world.team.refresh_from_db()
    assert world.team.service_content == "更新后的服务内容"
    assert world.team.name == "赵小明·迈得医疗科技小分队"


def test_a_team_under_review_cannot_be_edited(client, world):
    set_status(world.team, Team.Status.SUBMITTED)
    response = as_user(client, world.owner).post(
        reverse("teams:edit", args=[world.team.pk]), edit_data(service_content="审核中修改")
    )
    assert response.status_code == 200
    world.team.refresh_from_db()
    assert world.team.service_content != "审核中修改"


# ------------------------------------------------------------------------------------------ members


def test_the_captain_adds_a_core_member_linked_to_a_teacher_account(client, world):
    colleague = TeamMemberUserFactory(username="zhouwu", college=world.other_college)
    response = as_user(client, world.owner).post(
        reverse("teams:member_add", args=[world.team.pk]),
        {
            "name": "周五",
            "role": "core",
            "title": "讲师",
            "background": "机械工程",
            "research_direction": "振动控制",
            "username": "zhouwu",
        },
    )
    assert response.status_code == 302
    member = world.team.members.get(name="周五")
    assert member.role == MemberRole.CORE and member.user == colleague
    assert any("已添加成员“周五”" in m for m in message_texts(response))


def test_a_member_rule_of_the_service_is_shown_on_the_form(client, world):
    response = as_user(client, world.owner).post(
        reverse("teams:member_add", args=[world.team.pk]), {"name": "冯同学", "role": "dynamic"}
    )
    assert response.status_code == 200
    assert "动态成员需要注明研究生或本科生。" in response.content.decode()
    assert not world.team.members.filter(name="冯同学").exists()


def test_a_second_captain_is_not_offered(client, world):
    response = as_user(client, world.owner).post(
        reverse("teams:member_add", args=[world.team.pk]), {"name": "冒名", "role": "captain"}
    )
    assert response.status_code == 200
    assert world.team.members.filter(role=MemberRole.CAPTAIN).count() == 1


def test_an_unknown_account_is_refused_when_adding_a_member(client, world):
    response = as_user(client, world.owner).post(
        reverse("teams:member_add", args=[world.team.pk]),
        {"name": "某人", "role": "core", "username": world.other_office.username},
    )
    assert response.status_code == 200
    assert "未找到本校教师账号" in response.content.decode()


def test_the_captain_removes_a_member(client, world):
    member = world.team.members.get(name="吴三")
    response = as_user(client, world.owner).post(reverse("teams:member_remove", args=[member.pk]))
    assert response.status_code == 302
    assert not Member.objects.filter(pk=member.pk).exists()


def test_a_plain_member_cannot_remove_anyone(client, world):
    member = world.team.members.get(name="吴三")
    response = as_user(client, world.member).post(reverse("teams:member_remove", args=[member.pk]))
    assert response.status_code == 302
    assert "只有队长或副队长可以维护成员。" in message_texts(response)
    assert Member.objects.filter(pk=member.pk).exists()


def test_removing_another_teams_member_is_a_404(client, world):
    member = world.other_team.members.get(name="吴三")
    response = as_user(client, world.owner).post(reverse("teams:member_remove", args=[member.pk]))
    assert response.status_code == 404
    assert Member.objects.filter(pk=member.pk).exists()


def test_removing_a_member_needs_a_post(client, world):
    member = world.team.members.get(name="吴三")
    response = as_user(client, world.owner).get(reverse("teams:member_remove", args=[member.pk]))
    assert response.status_code == 405
    assert Member.objects.filter(pk=member.pk).exists()


# ----------------------------------------------------------------------------------------- reviews


@pytest.mark.parametrize(
    ("url_name", "who", "status"),
    [
        ("teams:review_college", "college_admin", 200),
        ("teams:review_college", "owner", 403),
        ("teams:review_college", "office", 403),
        ("teams:review_office", "office", 200),
        ("teams:review_office", "college_admin", 403),
        ("teams:review_office", "owner", 403),
    ],
)
def test_review_queues_are_for_their_reviewers_only(client, world, url_name, who, status):
    assert as_user(client, getattr(world, who)).get(reverse(url_name)).status_code == status


@pytest.mark.parametrize("url_name", ["teams:review_college", "teams:review_office"])
def test_review_queues_send_anonymous_visitors_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_college_queue_lists_only_its_own_colleges_submissions(client, world):
    set_status(world.team, Team.Status.SUBMITTED)
    set_status(world.other_team, Team.Status.SUBMITTED)
    html = as_user(client, world.college_admin).get(reverse("teams:review_college")).content.decode()
    assert world.team.name in html and world.other_team.name not in html


def test_the_office_queue_lists_its_universitys_college_approved_teams(client, world):
    set_status(world.team, Team.Status.COLLEGE_APPROVED)
    far_team = build_valid_team(name_suffix="外校", status="college_approved")
    html = as_user(client, world.office).get(reverse("teams:review_office")).content.decode()
    assert world.team.name in html and far_team.name not in html
    html = as_user(client, world.other_office).get(reverse("teams:review_office")).content.decode()
    assert world.team.name not in html


def test_the_office_approves_then_rectifies_closes_and_dissolves(client, world):
    set_status(world.team, Team.Status.COLLEGE_APPROVED)
    client = as_user(client, world.office)
    queue = reverse("teams:review_office")
    client.post(reverse("teams:action", args=[world.team.pk, "office_approve"]), {"next": queue})
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.ACTIVE

    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        reverse("teams:rectify", args=[world.team.pk]),
        {
            "reason": "服务次数不足",
            "measure": "每月走访企业",
            "responsible": "赵小明",
            "deadline": deadline,
            "next": queue,
        },
    )
    assert response.status_code == 302 and response.url == queue
    rectification = Rectification.objects.get(team=world.team)
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.RECTIFYING
    assert "服务次数不足" in client.get(queue).content.decode()

    client.post(reverse("teams:rectification_close", args=[rectification.pk]), {"outcome": "已完成走访"})
    rectification.refresh_from_db()
    world.team.refresh_from_db()
    assert rectification.status == Rectification.Status.CLOSED and world.team.status == Team.Status.ACTIVE

    response = client.post(reverse("teams:action", args=[world.team.pk, "dissolve"]), {"comment": ""})
    assert "需要填写意见" in response.content.decode()
    client.post(reverse("teams:action", args=[world.team.pk, "dissolve"]), {"comment": "连续两年考核不合格"})
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.DISSOLVED


def test_the_office_pages_its_serving_teams_and_an_action_returns_to_the_page(client, world):
    serving_teams(world.other_college, 25)
    client = as_user(client, world.office)
    url = reverse("teams:review_office")
    first = client.get(url, {"q": "x"})  # another parameter rides along on the page links
    html = first.content.decode()
    assert "运行中的小分队（25）" in html and html.count("data-team=") == 20
    assert 'href="?q=x&amp;serving_page=2#serving"' in html
    second = client.get(url, {"serving_page": "2"})
    teams = list(second.context["serving"])
    assert len(teams) == 5 and 'id="calls"' in second.content.decode()
    page_two = f"{url}?serving_page=2"
    assert f'name="next" value="{page_two}"' in second.content.decode()
    response = client.post(
        reverse("teams:action", args=[teams[0].pk, "dissolve"]),
        {"comment": "连续两年考核不合格", "next": page_two},
    )
    assert response.status_code == 302 and response.url == page_two


def test_a_rectification_deadline_in_the_past_is_refused(client, world):
    set_status(world.team, Team.Status.ACTIVE)
    response = as_user(client, world.office).post(
        reverse("teams:rectify", args=[world.team.pk]),
        {"reason": "r", "measure": "m", "responsible": "赵小明", "deadline": "2000-01-01"},
    )
    assert response.status_code == 200
    assert "整改完成时限不能早于今天。" in response.content.decode()
    world.team.refresh_from_db()
    assert world.team.status == Team.Status.ACTIVE and not Rectification.objects.exists()


def test_another_universitys_office_cannot_rectify(client, world):
    set_status(world.team, Team.Status.ACTIVE)
    response = as_user(client, world.other_office).get(reverse("teams:rectify", args=[world.team.pk]))
    assert response.status_code == 404


def test_the_office_publishes_a_call(client, world):
    deadline = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(client, world.office).post(
        reverse("teams:call_create"),
        {"year": 2025, "title": "2025 年度申报", "requirements": "面向地方产业", "deadline": deadline},
    )
    assert response.status_code == 302
    call = Call.objects.get(title="2025 年度申报")
    assert call.university == world.university
    assert "2025 年度申报" in client.get(reverse("teams:review_office")).content.decode()


def test_a_call_closing_in_the_past_is_refused(client, world):
    response = as_user(client, world.office).post(
        reverse("teams:call_create"),
        {"year": 2020, "title": "过期批次", "requirements": "r", "deadline": "2020-01-01T08:00"},
    )
    assert response.status_code == 200
    assert "截止时间应晚于当前时间。" in response.content.decode()
    assert not Call.objects.exists()


def test_only_the_office_publishes_calls(client, world):
    assert as_user(client, world.college_admin).get(reverse("teams:call_create")).status_code == 403


# ---------------------------------------------------------------------------------------- portrait


def test_anyone_sees_a_serving_teams_portrait_without_contact_details(client, world):
    set_status(world.team, Team.Status.ACTIVE)
    Member.objects.filter(team=world.team, name="李一").update(research_direction="缝制设备振动控制")
    world.team.keywords = ["减振降噪"]
    world.team.extracted_keywords = ["伺服电机"]
    world.team.service_types = ["diagnosis"]
    world.team.save()
    response = client.get(reverse("teams:portrait", args=[world.team.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        world.team.name,
        "智能制造学院",
        "减振降噪",
        "伺服电机",
        "缝制设备振动控制",
        "核心成员",
        "3553",
        "技术诊断",
    ]:
        assert text in html
    for secret in [PHONE, EMAIL, "13700000001", "zhaoxm", "liyi"]:
        assert secret not in html


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "college_approved", "returned", "dissolved", "archived"]
)
def test_a_team_that_is_not_serving_has_no_public_portrait(client, world, status):
    set_status(world.team, status)
    assert client.get(reverse("teams:portrait", args=[world.team.pk])).status_code == 404


def test_the_workspace_links_follow_the_role(client, world):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    def links(user):
        # With a request, as pages render it: the links ask `may` (accounts.context_processors).
        request = RequestFactory().get("/")
        request.user = user
        return render_to_string("teams/_workspace_links.html", {"user": user}, request=request)

    html = links(world.owner)
    assert reverse("teams:create") in html and reverse("teams:review_college") not in html
    html = links(world.college_admin)
    assert reverse("teams:review_college") in html and reverse("teams:create") not in html
    html = links(world.office)
    assert reverse("teams:review_office") in html


def test_a_teacher_creates_a_draft_with_the_captains_qualifying_project(client, reference_data):
    from teams.models import Team
    from tests.factories import TeamMemberUserFactory

    teacher = TeamMemberUserFactory(real_name="王建国", title="副教授")
    client.force_login(teacher)
    response = client.post(
        reverse("teams:create"),
        {
            "name": "王建国·智能缝制装备科技小分队",
            "work_mode": "project",
            "theme": "smart_manufacturing",
            "service_content": "缝制设备智能控制",
            "captain_title": "副教授",
            "qualifying_project": "浙江省重点研发计划项目",
            "qualifying_level": "provincial",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    captain = Team.objects.get(name="王建国·智能缝制装备科技小分队").members.get(role="captain")
    assert (captain.title, captain.qualifying_level) == ("副教授", "provincial")


def test_a_manager_corrects_the_captains_project_through_the_page(client):
    from tests.factories import build_valid_team

    team = build_valid_team()
    captain = team.members.get(role="captain")
    captain.qualifying_level = ""
    captain.save()
    client.force_login(captain.user)
    response = client.post(
        reverse("teams:member_edit", args=[captain.pk]),
        {
            "name": captain.name,
            "title": "教授",
            "qualifying_project": "国家自然科学基金面上项目",
            "qualifying_level": "national",
        },
    )
    assert response.status_code == 302
    captain.refresh_from_db()
    assert captain.qualifying_level == "national"


def test_an_outsider_cannot_edit_a_member(client):
    from tests.factories import TeamMemberUserFactory, build_valid_team

    team = build_valid_team()
    client.force_login(TeamMemberUserFactory())
    captain = team.members.get(role="captain")
    assert client.get(reverse("teams:member_edit", args=[captain.pk])).status_code == 404


def test_one_person_cannot_be_added_twice(client, world):
    existing = world.team.members.filter(user__isnull=True).first()
    response = as_user(client, world.owner).post(
        reverse("teams:member_add", args=[world.team.pk]),
        {"name": f" {existing.name} ", "role": "dynamic", "student_level": "graduate"},
    )
    assert response.status_code == 200
    assert f"“{existing.name}”已是本小分队成员" in response.content.decode()
    assert world.team.members.filter(name__contains=existing.name).count() == 1
