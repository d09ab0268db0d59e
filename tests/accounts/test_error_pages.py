"""Error pages speak Chinese and keep the site's frame: Django's defaults are English ("403 Forbidden")."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import EnterpriseUserFactory, TeamMemberUserFactory

pytestmark = pytest.mark.django_db


def test_a_page_the_user_may_not_open_says_so_in_chinese(client):
    client.force_login(TeamMemberUserFactory())
    response = client.get(reverse("teams:review_office"))
    page = response.content.decode()
    assert response.status_code == 403 and "无权访问" in page and "Forbidden" not in page
    assert 'lang="zh-Hans"' in page and "我的工作台" in page  # the site's own frame


def test_an_unknown_page_says_so_in_chinese_and_the_api_keeps_its_shape(client):
    client.force_login(EnterpriseUserFactory())
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
    api = client.get("/api/v1/no-such-thing/")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_a_form_posted_without_its_csrf_token_says_the_page_expired():
    client = Client(enforce_csrf_checks=True)
    client.force_login(EnterpriseUserFactory())
    response = client.post(reverse("demand:create"), {"title": "x"})
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


def test_a_server_error_page_is_chinese_and_stands_alone(settings):
    from django.template import loader

    html = loader.get_template("500.html").render()  # as Django renders it: no request, no context
    assert "服务器出错" in html and "{%" not in html
