"""One's own contact details (个人资料与联系方式): kept on a page and through the API with the same checks;
the other side of an agreed engagement sees them."""

import pytest

from tests.factories import EnterpriseUserFactory, TeamMemberUserFactory

pytestmark = pytest.mark.django_db


def test_the_page_keeps_ones_contact_details_and_refuses_bad_ones(client):
    user = TeamMemberUserFactory(real_name="赵小明", phone="", email="")
    client.force_login(user)
    workspace = client.get("/accounts/workspace/").content.decode()
    assert "编辑个人资料与联系方式" in workspace and "尚未填写手机号或邮箱" in workspace
    bad = client.post("/accounts/contact/", {"real_name": "赵小明", "phone": "12345", "email": "not-mail"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "请输入 11 位手机号。" in html and "请输入有效的电子邮箱。" in html
    user.refresh_from_db()
    assert (user.phone, user.email) == ("", "")
    done = client.post(
        "/accounts/contact/", {"real_name": "赵小明", "phone": "13900001111", "email": "zhao@example.edu.cn"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert (user.phone, user.email) == ("13900001111", "zhao@example.edu.cn")


def test_the_api_changes_only_what_it_is_given_with_the_same_checks(client):
    user = EnterpriseUserFactory(real_name="钱经理", phone="13800000000", email="qian@example.com")
    client.force_login(user)
    refused = client.patch("/api/v1/me/", {"phone": "abc"}, content_type="application/json")
    assert refused.status_code == 400 and "phone" in refused.json()["error"]["fields"]
    body = client.patch("/api/v1/me/", {"email": "new@example.com"}, content_type="application/json").json()
    assert (body["phone"], body["email"], body["real_name"]) == ("13800000000", "new@example.com", "钱经理")
