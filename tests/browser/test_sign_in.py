import pytest

from accounts.models import Role
from tests.browser.conftest import screenshot, sign_in
from tests.factories import TeamMemberUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_member_signs_in_and_sees_the_workspace(page, live_server):
    # given a team member of 智能制造学院
    TeamMemberUserFactory(username="liwei", real_name="李伟", college__name="智能制造学院")

    # when they sign in through the real login form
    sign_in(page, live_server.url, "liwei", "pass12345")

    # then the workspace shows their role and organisation
    page.wait_for_url("**/accounts/workspace/")
    assert page.get_by_test_id("role").inner_text() == Role.TEAM_MEMBER.label
    assert page.get_by_test_id("organisation").inner_text() == "智能制造学院"
    assert screenshot(page, "workspace-team-member").stat().st_size > 0


def test_a_wrong_password_is_refused_in_chinese(page, live_server):
    TeamMemberUserFactory(username="liwei")
    sign_in(page, live_server.url, "liwei", "wrong-password")
    assert "/accounts/login/" in page.url
    assert "请输入一个正确的" in page.content()
