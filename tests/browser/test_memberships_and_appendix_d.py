"""Memberships and Appendix D in a real Chromium: the captain hands a hand-entered member a one-time
invitation that a teacher of the university then claims (and a used code is refused); the captain
proposes a qualified teacher as successor and the college approves it on the page (roles, name and
history follow); the college's administrator downloads its Appendix D as a PDF from the workspace."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from teams.models import Call, Member, MemberRole, Team
from tests.browser.conftest import ARTIFACTS, screenshot, sign_in
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    TeamMemberUserFactory,
    UniversityFactory,
    build_valid_team,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, username):
    sign_in(page, live_server.url, username, "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    expect(page.locator(".user")).to_contain_text("退出")


def member_row(page, name):
    return page.locator("#member-table tbody tr").filter(
        has=page.locator("td[data-label='姓名']", has_text=name)
    )


def claim_with_code(page, live_server, code):
    page.goto(f"{live_server.url}/teams/claim/")
    page.get_by_label("认领邀请码").fill(code)
    page.get_by_role("button", name="下一步").click()


def test_a_teacher_claims_a_hand_entered_membership_once(page, live_server):
    # given an active team whose core member 李一 was entered by hand, without an account
    university = UniversityFactory(name="台州学院")
    college = CollegeFactory(university=university, name="智能制造学院")
    zhao = TeamMemberUserFactory(username="zhaoxm", college=college, real_name="赵小明", title="教授")
    team = build_valid_team(college=college, captain_user=zhao, status=Team.Status.ACTIVE)
    # the teacher works in another college of the same university
    li = TeamMemberUserFactory(
        username="liyi", college=CollegeFactory(university=university, name="机电工程学院"), real_name="李一"
    )
    TeamMemberUserFactory(username="zhouer", college=college, real_name="周二")

    # when the captain issues an invitation for 李一 on the team page
    signed_in(page, live_server, "zhaoxm")
    page.goto(f"{live_server.url}/teams/{team.pk}/")
    row = member_row(page, "李一")
    expect(row.locator("td[data-label='平台账号']")).to_contain_text("未关联")
    row.get_by_role("button", name="发出认领邀请").click()

    # then the invitation's link and code are shown, once, with whom they are for
    card = page.locator("#claim-issued")
    expect(card.locator("h1")).to_contain_text("已为“李一”（核心成员）生成认领邀请")
    code = card.locator("#claim-code").inner_text().strip()
    link = card.locator("#claim-link").inner_text().strip()
    assert len(code) >= 30 and link.endswith(f"/teams/claim/{code}/")
    expect(card).to_contain_text("只在本浏览器中显示")
    page.reload()  # a reload shows the same code, voiding nothing
    expect(card.locator("#claim-code")).to_have_text(code)
    screenshot(page, "claim-issued")

    # when 李一 signs in, opens the claim page from the workspace and types the code
    page.context.clear_cookies()
    signed_in(page, live_server, "liyi")
    page.get_by_role("link", name="认领小分队成员身份").click()
    expect(page.locator("#claim h1")).to_have_text("认领小分队成员")
    page.get_by_label("认领邀请码").fill(code)
    page.get_by_role("button", name="下一步").click()

    # then the page says what is being claimed, and confirming it links the membership
    claim = page.locator("#claim")
    expect(claim).to_contain_text(team.name)
    expect(claim).to_contain_text("李一（核心成员）")
    screenshot(page, "claim-confirm")
    claim.get_by_role("button", name="确认认领").click()
    expect(page.locator(".messages")).to_contain_text(f"您已认领“{team.name}”的核心成员“李一”")
    expect(page.locator("h1")).to_have_text(team.name)
    expect(member_row(page, "李一").locator("td[data-label='平台账号']")).to_contain_text(
        "已关联：李一（liyi）"
    )
    screenshot(page, "claim-done")
    assert Member.objects.get(team=team, name="李一").user == li

    # and the captain sees 李一 linked, with no invitation to send any more
    page.context.clear_cookies()
    signed_in(page, live_server, "zhaoxm")
    page.goto(f"{live_server.url}/teams/{team.pk}/")
    account = member_row(page, "李一").locator("td[data-label='平台账号']")
    expect(account).to_contain_text("已关联")
    expect(account.get_by_role("button", name="发出认领邀请")).to_have_count(0)

    # when another teacher tries the same code, it is refused in plain Chinese
    page.context.clear_cookies()
    signed_in(page, live_server, "zhouer")
    claim_with_code(page, live_server, code)
    expect(page.locator("#claim .problems")).to_have_text("该邀请已被使用。")
    expect(page.get_by_role("button", name="确认认领")).to_have_count(0)
    expect(page.get_by_role("link", name="重新输入邀请码")).to_be_visible()
    screenshot(page, "claim-used-code")
    assert Member.objects.get(team=team, name="李一").user == li

    # and a code that was never issued is refused too
    claim_with_code(page, live_server, "not-a-real-code")
    expect(page.locator("#claim .problems")).to_have_text("邀请码无效，请核对后重试。")


def test_the_college_approves_a_change_of_captain_on_the_page(page, live_server):
    # given an active team led by 赵小明 whose core member 李一 is a professor with a national project
    college = CollegeFactory(name="智能制造学院")
    zhao = TeamMemberUserFactory(username="zhaoxm", college=college, real_name="赵小明", title="教授")
    team = build_valid_team(college=college, captain_user=zhao, status=Team.Status.ACTIVE)
    li = TeamMemberUserFactory(username="liyi", college=college, real_name="李一")
    Member.objects.filter(team=team, name="李一").update(
        user=li, title="教授", qualifying_project="国家自然科学基金面上项目", qualifying_level="national"
    )
    CollegeAdminFactory(username="college", college=college, real_name="孙主任")

    # when the captain asks for 李一 to take over and to stay on as a core member
    signed_in(page, live_server, "zhaoxm")
    page.goto(f"{live_server.url}/teams/{team.pk}/")
    history = page.locator("#captain-changes")
    expect(history).to_contain_text("暂无变更记录")
    history.get_by_role("link", name="申请变更队长").click()
    form = page.locator("#action-form")
    # (the list says who qualifies, and why the others do not, before anything is chosen)
    expect(form.get_by_label("拟任队长").locator("option", has_text="李一")).to_have_text(
        "李一（核心成员，教授）· 符合队长条件"
    )
    expect(form).to_contain_text("暂不符合的成员——周二：")
    # (a lecturer without a qualifying project is refused, saying why, beside the field)
    form.get_by_label("拟任队长").select_option(label="周二（核心成员，讲师）· 暂不符合")
    form.get_by_label("变更理由").fill("赵小明调任学院管理岗位")
    form.get_by_role("button", name="申请变更队长").click()
    expect(form).to_contain_text("“周二”不符合队长条件")
    screenshot(page, "captain-change-refused")
    form.get_by_label("拟任队长").select_option(label="李一（核心成员，教授）· 符合队长条件")
    form.get_by_label("原队长去向").select_option(label="转为核心成员")
    form.get_by_label("变更理由").fill("赵小明调任学院管理岗位")
    screenshot(page, "captain-change-request")
    form.get_by_role("button", name="申请变更队长").click()

    # then the request waits for the college, shown on the team page
    expect(page.locator(".messages")).to_contain_text("已提交队长变更申请，待学院审核")
    expect(history).to_contain_text("赵小明 → 李一")
    expect(history).to_contain_text("待学院审核")
    expect(history.get_by_role("link", name="申请变更队长")).to_have_count(0)

    # when the college's administrator approves it
    page.context.clear_cookies()
    signed_in(page, live_server, "college")
    page.goto(f"{live_server.url}/teams/{team.pk}/")
    history.get_by_role("link", name="审核").click()
    expect(page.locator("h1")).to_have_text("审核队长变更：赵小明 → 李一")
    expect(page.locator(".narrow")).to_contain_text("名称将改为：李一·迈得医疗科技小分队")
    page.get_by_label("批准", exact=True).check()
    page.get_by_label("审核意见").fill("同意")
    screenshot(page, "captain-change-decide")
    page.get_by_role("button", name="审核队长变更：赵小明 → 李一").click()

    # then the team carries its new captain's name, the roles are swapped and the change is kept
    expect(page.locator(".messages")).to_contain_text("队长变更（赵小明 → 李一）：已批准")
    expect(page.locator("h1")).to_have_text("李一·迈得医疗科技小分队")
    expect(member_row(page, "李一").locator("td[data-label='角色']")).to_have_text("队长")
    expect(member_row(page, "赵小明").locator("td[data-label='角色']")).to_have_text("核心成员")
    expect(history).to_contain_text("赵小明 → 李一")
    expect(history).to_contain_text("已批准")
    expect(history).to_contain_text("名称由“赵小明·迈得医疗科技小分队”改为“李一·迈得医疗科技小分队”")
    entry = page.locator("#history li").filter(has_text="变更队长")
    expect(entry).to_contain_text("队长由赵小明变更为李一：同意")
    screenshot(page, "captain-change-approved")
    team.refresh_from_db()
    assert team.name == "李一·迈得医疗科技小分队"
    assert team.members.get(role=MemberRole.CAPTAIN).user == li


def test_the_college_downloads_its_appendix_d_from_the_workspace(page, live_server):
    # given a call with two submitted teams and a draft of one college, and a team of another
    university = UniversityFactory(name="台州学院")
    college = CollegeFactory(university=university, name="智能制造学院")
    other = CollegeFactory(university=university, name="人文学院")
    call = Call.objects.create(
        university=university,
        year=2026,
        title="2026 年科技小分队申报",
        requirements="按工作指引组建",
        deadline=timezone.now() + timedelta(days=10),
    )
    teams = [
        build_valid_team(college=college, name_suffix="泵业", status="submitted"),
        build_valid_team(college=college, name_suffix="缝纫机", status="submitted"),
        build_valid_team(college=college, name_suffix="草稿", status="draft"),
        build_valid_team(college=other, name_suffix="文旅", status="submitted"),
    ]
    Team.objects.filter(pk__in=[t.pk for t in teams]).update(call=call)
    CollegeAdminFactory(username="college", college=college, real_name="孙主任")

    # when the college's administrator follows the workspace link
    signed_in(page, live_server, "college")
    page.get_by_role("link", name="附录D申报表").click()

    # then the call is listed with their college alone and its two submitted teams
    expect(page.locator("h1")).to_have_text("科技小分队申报表（附录D）")
    batch = page.locator(f"section[data-call='{call.pk}']")
    expect(batch.locator("h2")).to_contain_text("2026 年科技小分队申报（2026 年度")
    rows = batch.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(0)).to_have_text("智能制造学院")
    expect(rows.first.locator("td").nth(1)).to_have_text("2")
    expect(page.locator("body")).not_to_contain_text("人文学院")
    screenshot(page, "appendix-d-page")

    # and the PDF link downloads the filled form
    with page.expect_download() as info:
        rows.first.get_by_role("link", name="PDF").click()
    download = info.value
    assert download.suggested_filename == "2026_智能制造学院_科技小分队申报表.pdf"
    assert download.suggested_filename.endswith("科技小分队申报表.pdf")
    with open(download.path(), "rb") as body:
        assert body.read(5) == b"%PDF-"
    download.save_as(ARTIFACTS / "appendix-d.pdf")


def test_the_college_links_an_account_to_a_hand_entered_member(page, live_server):
    # given a team with 郑同学, a student entered by hand, and the student's account in the same college
    college = CollegeFactory(name="智能制造学院")
    captain = TeamMemberUserFactory(username="zhaoxm", college=college, real_name="赵小明", title="教授")
    team = build_valid_team(college=college, captain_user=captain, status=Team.Status.ACTIVE)
    TeamMemberUserFactory(username="zhengtx", college=college, real_name="郑同学", title="")
    CollegeAdminFactory(username="college", college=college, real_name="孙主任")

    # when the college's administrator links the account on the team page
    signed_in(page, live_server, "college")
    page.goto(f"{live_server.url}/teams/{team.pk}/")
    member_row(page, "郑同学").get_by_role("link", name="关联账号").click()
    page.get_by_label("平台账号").select_option(label="郑同学（zhengtx）")
    page.get_by_role("button", name="关联").click()

    # then the row names the linked account
    expect(member_row(page, "郑同学").locator("td[data-label='平台账号']")).to_contain_text(
        "已关联：郑同学（zhengtx）"
    )
    screenshot(page, "member-linked")
