"""The need pages: the lifecycle through the pages, and who may do each step (the owner enterprise,
another enterprise, a team member, a moderator, an anonymous visitor)."""

import pytest
from django.urls import reverse

from accounts.models import Enterprise, Role
from demand.models import Need, NeedEvent
from tests.factories import (
    EnterpriseUserFactory,
    IndustryFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UserFactory,
    published_need,
    submitted_need,
)

pytestmark = pytest.mark.django_db

FORM = {
    "title": "高速平缝机减振降噪",
    "description": "我司高速平缝机在4000针每分钟以上时机头振动偏大，噪声超过80分贝，希望联合高校减振优化。",
    "industry": "3553",
    "service_types": ["diagnosis", "rd"],
    "budget_min": "5",
    "budget_max": "20",
    "show_enterprise": "on",
}


@pytest.fixture
def owner():
    IndustryFactory()
    return EnterpriseUserFactory()


def _draft(client, owner) -> Need:
    client.force_login(owner)
    response = client.post(reverse("demand:create"), FORM)
    assert response.status_code == 302
    return Need.objects.get(title=FORM["title"], enterprise=owner.enterprise)


def _moderate(client, need, *, approve: bool, comment: str = ""):
    prefix = f"n{need.pk}-"
    return client.post(
        reverse("demand:moderate", args=[need.pk]),
        {f"{prefix}approve": "1" if approve else "0", f"{prefix}comment": comment},
    )


def test_an_enterprise_posts_and_submits_and_a_moderator_publishes(client, owner):
    # given an enterprise user on the form
    client.force_login(owner)
    page = client.get(reverse("demand:create")).content.decode()
    assert owner.enterprise.region.code in page  # the region defaults to the enterprise's

    # when it posts and submits in one step
    response = client.post(reverse("demand:create"), {**FORM, "submit": "1"})

    # then the need waits for moderation, in the enterprise's region
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("demand:detail", args=[need.pk])
    assert need.status == Need.Status.SUBMITTED and need.region == owner.enterprise.region
    assert need.service_types == ["diagnosis", "rd"] and str(need.budget_max) == "20.00"

    # and an S&T office administrator publishes it from the queue
    client.force_login(StoAdminFactory())
    assert need.title in client.get(reverse("demand:moderation")).content.decode()
    response = _moderate(client, need, approve=True)
    need.refresh_from_db()
    assert response.status_code == 302 and need.status == Need.Status.PUBLISHED
    client.logout()
    assert need.title in client.get(reverse("demand:hall")).content.decode()


def test_a_draft_is_saved_then_submitted_from_its_page(client, owner):
    need = _draft(client, owner)
    assert need.status == Need.Status.DRAFT
    page = client.get(reverse("demand:detail", args=[need.pk])).content.decode()
    assert "提交审核" in page and "变更记录" in page
    client.post(reverse("demand:submit", args=[need.pk]))
    need.refresh_from_db()
    assert need.status == Need.Status.SUBMITTED
    assert list(need.events.values_list("action", flat=True)) == ["create", "submit"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "该字段是必填项"),
        ("industry", "0000", "未知的行业代码"),
        ("region", "999999", "未知的行政区划代码"),
        ("budget_min", "50", "预算下限不能高于预算上限"),
        ("description", "太短", "至少"),
        ("duration_months", "500", "1 到 120"),
        ("service_types", [], "该字段是必填项"),
    ],
)
def test_bad_input_is_shown_in_chinese_on_the_form_and_nothing_is_saved(client, owner, field, value, message):
    client.force_login(owner)
    response = client.post(reverse("demand:create"), {**FORM, field: value, "submit": "1"})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Need.objects.exists() and not NeedEvent.objects.exists()


def test_an_enterprise_not_yet_approved_is_told_on_the_form(client):
    IndustryFactory()
    user = EnterpriseUserFactory(enterprise__status=Enterprise.Status.PENDING)
    client.force_login(user)
    response = client.post(reverse("demand:create"), FORM)
    assert response.status_code == 200 and "企业注册尚未通过审核" in response.content.decode()
    assert not Need.objects.exists()


def test_an_enterprise_not_yet_approved_sees_why_before_filling_the_form_and_cannot_submit_a_draft(client):
    from demand.services import need_create

    IndustryFactory()
    user = EnterpriseUserFactory()
    need = need_create(
        by=user, title=FORM["title"], description=FORM["description"], industry="3553", service_types=["rd"]
    )
    user.enterprise.status = Enterprise.Status.PENDING
    user.enterprise.save()
    client.force_login(user)
    page = client.get(reverse("demand:create")).content.decode()
    assert 'data-testid="enterprise-pending"' in page and 'id="need-form"' not in page
    detail = client.get(reverse("demand:detail", args=[need.pk])).content.decode()
    assert (
        "企业注册尚未通过审核，暂不能提交需求" in detail
        and reverse("demand:submit", args=[need.pk]) not in detail
    )
    edit = client.get(reverse("demand:edit", args=[need.pk])).content.decode()
    assert 'id="need-form"' in edit and 'name="submit"' not in edit  # the draft can still be edited
    response = client.post(reverse("demand:submit", args=[need.pk]), follow=True)
    assert "企业注册尚未通过审核" in response.content.decode()
    assert Need.objects.get(pk=need.pk).status == Need.Status.DRAFT


def test_the_review_queue_marks_a_need_whose_enterprise_is_not_approved(client):
    IndustryFactory()
    need = submitted_need()
    need.enterprise.status = Enterprise.Status.PENDING
    need.enterprise.save()
    client.force_login(StoAdminFactory())
    page = client.get(reverse("demand:moderation")).content.decode()
    assert 'data-testid="enterprise-unapproved"' in page
    response = client.post(reverse("demand:moderate", args=[need.pk]), {"approve": "1"}, follow=True)
    assert "不能发布其需求" in response.content.decode()
    assert Need.objects.get(pk=need.pk).status == Need.Status.SUBMITTED


@pytest.mark.parametrize("who", ["team_member", "sto_admin", "platform_admin"])
def test_only_enterprise_users_reach_the_need_form(client, who):
    user = {
        "team_member": TeamMemberUserFactory,
        "sto_admin": StoAdminFactory,
        "platform_admin": lambda: UserFactory(role=Role.PLATFORM_ADMIN),
    }[who]()
    client.force_login(user)
    assert client.get(reverse("demand:create")).status_code == 403
    assert client.get(reverse("demand:mine")).status_code == 403


def _as(client, who, owner):
    if who == "anonymous":
        client.logout()
        return None
    user = {
        "owner": lambda: owner,
        "colleague": lambda: EnterpriseUserFactory(enterprise=owner.enterprise),
        "other_enterprise": EnterpriseUserFactory,
        "team_member": TeamMemberUserFactory,
        "moderator": StoAdminFactory,
    }[who]()
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("owner", True),
        ("colleague", True),
        ("moderator", True),
        ("other_enterprise", False),
        ("team_member", False),
        ("anonymous", False),
    ],
)
def test_a_draft_is_seen_only_by_its_enterprise_and_moderators(client, owner, who, sees):
    need = _draft(client, owner)
    _as(client, who, owner)
    assert client.get(reverse("demand:detail", args=[need.pk])).status_code == (200 if sees else 404)


@pytest.mark.parametrize("who", ["other_enterprise", "team_member", "moderator", "anonymous"])
def test_only_the_owner_edits_or_submits_a_draft(client, owner, who):
    need = _draft(client, owner)
    _as(client, who, owner)
    expected = 302 if who == "anonymous" else 404  # the login page, or nothing to see
    assert client.get(reverse("demand:edit", args=[need.pk])).status_code == expected
    assert (
        client.post(reverse("demand:edit", args=[need.pk]), {**FORM, "title": "改掉标题"}).status_code
        == expected
    )
    assert client.post(reverse("demand:submit", args=[need.pk])).status_code == expected
    need.refresh_from_db()
    assert need.status == Need.Status.DRAFT and need.title == FORM["title"]


@pytest.mark.parametrize(
    ("who", "status"), [("other_enterprise", 404), ("team_member", 404), ("anonymous", 302)]
)
def test_strangers_cannot_close_a_draft(client, owner, who, status):
    need = _draft(client, owner)
    _as(client, who, owner)
    assert client.post(reverse("demand:close", args=[need.pk]), {"reason": "不要了"}).status_code == status
    need.refresh_from_db()
    assert need.status == Need.Status.DRAFT


def test_a_published_need_is_public_but_only_its_owner_acts_on_it(client, owner):
    need = published_need(enterprise_user=owner)
    detail = reverse("demand:detail", args=[need.pk])

    client.logout()
    page = client.get(detail).content.decode()
    assert need.title in page and "关闭需求" not in page and "变更记录" not in page

    member = TeamMemberUserFactory()
    client.force_login(member)
    page = client.get(detail).content.decode()
    assert "修改" not in page and "关闭需求" not in page and "揭榜" in page
    assert client.post(reverse("demand:close", args=[need.pk]), {"reason": "捣乱"}).status_code == 403
    assert client.get(reverse("demand:edit", args=[need.pk])).status_code == 404
    need.refresh_from_db()
    assert need.status == Need.Status.PUBLISHED

    client.force_login(owner)
    page = client.get(detail).content.decode()
    assert "查看推荐团队" in page and "关闭需求" in page and "变更记录" in page


def test_published_fields_that_define_the_need_stay_fixed(client, owner):
    need = published_need(enterprise_user=owner)
    client.force_login(owner)
    response = client.post(
        reverse("demand:edit", args=[need.pk]),
        {**FORM, "title": "换一个标题", "description": FORM["description"] + "补充：已有振动测试数据。"},
    )
    need.refresh_from_db()
    assert response.status_code == 302
    assert need.title == "高速平缝机减振降噪"  # disabled on the form: the posted title is ignored
    assert need.description.endswith("补充：已有振动测试数据。")
    assert need.events.filter(action="edit").exists()


def test_returning_a_need_requires_a_comment_shown_on_the_form(client, owner):
    client.force_login(owner)
    client.post(reverse("demand:create"), {**FORM, "submit": "1"})
    need = Need.objects.get()
    client.force_login(UserFactory(role=Role.PLATFORM_ADMIN))

    response = _moderate(client, need, approve=False)
    need.refresh_from_db()
    assert response.status_code == 400 and "退回需求需要填写原因" in response.content.decode()
    assert need.status == Need.Status.SUBMITTED

    _moderate(client, need, approve=False, comment="请补充设备型号和振动测试数据")
    need.refresh_from_db()
    assert need.status == Need.Status.DRAFT
    client.force_login(owner)
    assert (
        "请补充设备型号和振动测试数据"
        in client.get(reverse("demand:detail", args=[need.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 403), ("team_member", 403), ("other_enterprise", 403), ("anonymous", 302)],
)
def test_only_moderators_reach_the_queue_or_decide(client, owner, who, status):
    client.force_login(owner)
    client.post(reverse("demand:create"), {**FORM, "submit": "1"})
    need = Need.objects.get()
    _as(client, who, owner)
    assert client.get(reverse("demand:moderation")).status_code == status
    assert _moderate(client, need, approve=True).status_code == status
    need.refresh_from_db()
    assert need.status == Need.Status.SUBMITTED


def test_platform_admins_and_the_sto_moderate(client):
    for moderator in (UserFactory(role=Role.PLATFORM_ADMIN), StoAdminFactory()):
        client.force_login(moderator)
        assert client.get(reverse("demand:moderation")).status_code == 200


def test_closing_needs_a_reason_shown_on_the_form(client, owner):
    need = published_need(enterprise_user=owner)
    client.force_login(owner)
    response = client.post(reverse("demand:close", args=[need.pk]), {"reason": "  "})
    need.refresh_from_db()
    assert response.status_code == 400 and need.status == Need.Status.PUBLISHED
    assert "errorlist" in response.content.decode()

    client.post(reverse("demand:close", args=[need.pk]), {"reason": "问题已自行解决"})
    need.refresh_from_db()
    assert need.status == Need.Status.CLOSED and need.close_reason == "问题已自行解决"
    assert client.get(reverse("demand:detail", args=[need.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("demand:detail", args=[need.pk])).status_code == 404
    assert need.title not in client.get(reverse("demand:hall")).content.decode()


def test_state_changes_are_post_only(client, owner):
    need = _draft(client, owner)
    for name in ("submit", "close", "moderate"):
        assert client.get(reverse(f"demand:{name}", args=[need.pk])).status_code == 405
    need.refresh_from_db()
    assert need.status == Need.Status.DRAFT


def test_my_needs_lists_every_state_of_my_enterprise_only(client, owner):
    draft = _draft(client, owner)
    mine = published_need(enterprise_user=owner, title="注塑模具冷却不均")
    theirs = published_need(title="别家企业的需求标题")
    client.force_login(owner)
    page = client.get(reverse("demand:mine")).content.decode()
    assert draft.title in page and mine.title in page and theirs.title not in page
    page = client.get(reverse("demand:mine"), {"status": "draft"}).content.decode()
    assert draft.title in page and mine.title not in page


def test_attachments_are_checked_and_served_to_those_who_see_the_need(client, owner, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demand.models import NeedAttachment

    settings.MEDIA_ROOT = tmp_path
    need = _draft(client, owner)
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
    assert (
        client.post(
            reverse("demand:attachment_add", args=[need.pk]),
            {"file": SimpleUploadedFile("y.pdf", b"%PDF-1.4")},
        ).status_code
        == 404
    )
    assert NeedAttachment.objects.count() == 1


# ------------------------------------------------------------------------------------- moderation filters


def _submitted(owner, title, **fields):
    return submitted_need(
        enterprise_user=owner, title=title, description=f"{title}：希望联合高校开展技术攻关。", **fields
    )


def test_the_moderation_queue_takes_the_halls_filters_and_decisions_return_to_it(client, owner):
    noise = _submitted(owner, "平缝机噪声偏大")
    training = _submitted(owner, "缝纫工技能培训", service_types=["training"])
    client.force_login(StoAdminFactory())
    url = reverse("demand:moderation")

    page = client.get(url, {"q": "噪声"}).content.decode()
    assert noise.title in page and training.title not in page
    assert "符合条件 1 条 / 共 2 条" in page
    page = client.get(url, {"service_type": "training"}).content.decode()
    assert training.title in page and noise.title not in page
    # The hall's state and publication-date filters do not apply to a queue of unpublished needs.
    assert 'name="status"' not in page and 'name="date_from"' not in page

    # A filter that does not parse is named; the others still apply.
    page = client.get(url, {"q": "噪声", "industry": "ZZ"}).content.decode()
    assert "行业代码" in page and noise.title in page and training.title not in page

    # Publishing from the filtered queue comes back to it.
    response = client.post(
        reverse("demand:moderate", args=[noise.pk]) + "?q=%E5%99%AA%E5%A3%B0",
        {f"n{noise.pk}-approve": "1", f"n{noise.pk}-comment": ""},
    )
    assert response.status_code == 302 and response["Location"] == url + "?q=%E5%99%AA%E5%A3%B0"
    noise.refresh_from_db()
    assert noise.status == Need.Status.PUBLISHED
    page = client.get(url, {"q": "噪声"}).content.decode()
    assert "没有符合条件的待审核需求。" in page
