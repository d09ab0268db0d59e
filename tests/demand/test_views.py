"""The need pages: who may do each step, hostile text escaped, hidden enterprise names never shown,
hall search and filters."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from demand.models import Need
from tests.factories import (
    EnterpriseUserFactory,
    IndustryFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UserFactory,
    published_need,
)

pytestmark = pytest.mark.django_db

FORM = {
    "title": "高速平缝机减振降噪",
    "description": "我司高速平缝机在4000针每分钟以上时机头振动偏大，噪声超过80分贝，希望联合高校减振优化。",
    "industry": "3533",
    "service_types": ["diagnosis", "rd"],
    "budget_min": "5",
    "budget_max": "20",
    "show_enterprise": "on",
}


@pytest.fixture
def owner():
    IndustryFactory()
    return EnterpriseUserFactory()


def test_an_enterprise_posts_submits_and_a_moderator_publishes(client, owner):
    client.force_login(owner)
    response = client.post(reverse("demand:create"), {**FORM, "submit": "1"})
    need = Need.objects.get()
    assert response.status_code == 302 and need.status == "submitted"
    assert need.region == owner.enterprise.region
    client.force_login(StoAdminFactory())
    client.post(reverse("demand:moderation"), {"need": need.pk, "approve": "1"})
    need.refresh_from_db()
    assert need.status == "published"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "该字段是必填项"),
        ("industry", "0000", "未知的行业代码"),
        ("budget_min", "50", "预算下限不能高于预算上限"),
        ("description", "短", "至少"),
    ],
)
def test_bad_input_is_shown_in_chinese_and_nothing_saved(client, owner, field, value, message):
    client.force_login(owner)
    response = client.post(reverse("demand:create"), {**FORM, field: value})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Need.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "other_enterprise", "team_member"])
def test_a_draft_is_a_404_for_everyone_but_the_owner(client, owner, who):
    client.force_login(owner)
    client.post(reverse("demand:create"), FORM)
    need = Need.objects.get()
    if who != "anonymous":
        client.force_login(EnterpriseUserFactory() if who == "other_enterprise" else TeamMemberUserFactory())
    else:
        client.logout()
    assert client.get(reverse("demand:detail", args=[need.pk])).status_code == 404
    assert client.get(reverse("demand:edit", args=[need.pk])).status_code in (302, 404)
    response = client.post(reverse("demand:close", args=[need.pk]), {"reason": "x"})
    need.refresh_from_db()
    assert need.status == "draft" and response.status_code in (302, 404)


def test_only_moderators_reach_the_queue(client, owner):
    client.force_login(owner)
    assert client.get(reverse("demand:moderation")).status_code == 403
    client.force_login(UserFactory(role=Role.PLATFORM_ADMIN))
    assert client.get(reverse("demand:moderation")).status_code == 200


def test_hostile_text_is_shown_as_text(client, owner):
    need = published_need(
        enterprise_user=owner,
        title="<script>alert(1)</script>模具",
        description="<img src=x onerror=alert(1)> '; DROP TABLE demand_need; -- 注塑模具冷却不均匀的问题需要解决",
    )
    for url in (reverse("demand:hall"), reverse("demand:detail", args=[need.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img src=x" not in html
    assert "demand_need" in connection.introspection.table_names()
    assert Need.objects.filter(pk=need.pk).exists()


def test_a_hidden_enterprise_name_never_appears(client, owner):
    need = published_need(enterprise_user=owner, show_enterprise=False)
    for url in (reverse("demand:hall"), reverse("demand:detail", args=[need.pk])):
        html = client.get(url).content.decode()
        assert owner.enterprise.name not in html and owner.enterprise.credit_code not in html
        assert "企业要求不公开名称" in html


def test_hall_search_and_filters(client, owner, reference_data):
    sewing = published_need(
        enterprise_user=owner, title="平缝机振动", industry="3533", service_types=["diagnosis"]
    )
    pump = published_need(
        enterprise_user=owner,
        title="水泵效率提升",
        industry="3441",
        region="331081",
        service_types=["rd"],
        description="离心泵效率比国外同类产品低三个百分点，希望优化叶轮水力设计。",
    )

    def titles(**params):
        return [n.title for n in client.get(reverse("demand:hall"), params).context["page"]]

    assert titles(q="平缝机 振动") == [sewing.title]
    assert titles(q="叶轮") == [pump.title]
    assert titles(industry="C") and set(titles(industry="C")) == {sewing.title, pump.title}
    assert titles(industry="344") == [pump.title]
    assert titles(region="331081") == [pump.title]
    assert titles(service_type="rd") == [pump.title]
    assert titles(date_from=(dt.date.today() + dt.timedelta(days=2)).isoformat()) == []


def test_attachments_are_checked_and_served_to_those_who_see_the_need(client, owner, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demand.models import NeedAttachment

    settings.MEDIA_ROOT = tmp_path
    client.force_login(owner)
    client.post(reverse("demand:create"), FORM)
    need = Need.objects.get()
    bad = client.post(
        reverse("demand:attachment_add", args=[need.pk]),
        {"file": SimpleUploadedFile("x.pdf", b"MZ\\x90 not a pdf")},
        follow=True,
    )
    assert "内容与扩展名不符" in bad.content.decode() and not NeedAttachment.objects.exists()
    client.post(
        reverse("demand:attachment_add", args=[need.pk]),
        {"file": SimpleUploadedFile("../../图纸.pdf", b"%PDF-1.4 drawing")},
    )
    attachment = NeedAttachment.objects.get()
    assert attachment.original_name == "图纸.pdf" and ".." not in attachment.file.name
    assert client.get(reverse("demand:attachment", args=[attachment.pk])).status_code == 200
    client.force_login(EnterpriseUserFactory())  # the need is a draft: others see nothing
    assert client.get(reverse("demand:attachment", args=[attachment.pk])).status_code == 404
