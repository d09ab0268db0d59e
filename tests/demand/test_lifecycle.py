"""A need's lifecycle and who may do each step: owner enterprise, another enterprise, a team, reviewers."""

from decimal import Decimal
from pathlib import Path

import pytest

from accounts.models import Role
from demand.errors import DemandError
from demand.models import Need
from demand.services import need_close, need_create, need_moderate, need_submit, need_update
from demand.signals import need_published
from tests.factories import (
    EnterpriseUserFactory,
    IndustryFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DESCRIPTION = "我司高速平缝机在4000针/分钟以上时机头振动偏大，噪声超过80分贝，希望联合高校进行减振优化。"


@pytest.fixture
def owner():
    IndustryFactory(code="3553", name="缝制机械制造")
    return EnterpriseUserFactory()


def draft(owner, **overrides):
    fields = {
        "title": "高速平缝机减振降噪",
        "description": DESCRIPTION,
        "industry": "3553",
        "service_types": ["diagnosis"],
    }
    return need_create(by=owner, **{**fields, **overrides})


def test_draft_submit_publish_with_audit_and_announcement(owner, django_capture_on_commit_callbacks):
    announced = []
    need_published.connect(
        lambda sender, need_id, **kw: announced.append(need_id), weak=False, dispatch_uid="t"
    )
    try:
        need = draft(owner)
        assert need.region == owner.enterprise.region  # defaults to the enterprise's
        need_submit(need=need, by=owner)
        with django_capture_on_commit_callbacks(execute=True):
            need = need_moderate(need=need, by=UserFactory(role=Role.PLATFORM_ADMIN), approve=True)
    finally:
        need_published.disconnect(dispatch_uid="t")
    assert need.status == Need.Status.PUBLISHED and need.published_at and need.submitted_at
    assert announced == [need.pk]
    assert list(need.events.values_list("action", flat=True)) == ["create", "submit", "publish"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "   "}, "请填写需求标题"),
        ({"description": ""}, "请填写需求描述"),
        ({"description": "太短"}, "至少"),
        # emoji and symbols are not words: such a need could never be matched
        ({"title": "😀😀😀😀😀"}, "表情和符号不算"),
        ({"description": "🔧🔧🔧🔧🔧🔧🔧🔧🔧🔧🔧🔧！！！"}, "表情和符号不算"),
        ({"description": "长" * 5001}, "不能超过 5000 个字"),
        ({"industry": "0000"}, "未知的行业代码"),
        ({"region": "999999"}, "未知的行政区划代码"),
        ({"service_types": ["magic"]}, "未知的需求类型"),
        ({"service_types": []}, "请至少选择一种需求类型"),
        ({"budget_min": "50", "budget_max": "10"}, "预算下限不能高于预算上限"),
        ({"budget_min": "-1"}, "0 到 100000 万元"),
        ({"budget_min": "NaN"}, "0 到 100000 万元"),
        ({"duration_months": 0}, "1 到 120 个月"),
        ({"expected_start": "2026-13-01"}, "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_saves_nothing(owner, overrides, message):
    with pytest.raises(DemandError) as exc:
        draft(owner, **overrides)
    assert message in exc.value.message
    assert Need.objects.count() == 0


def test_budget_is_exact_decimal(owner):
    need = draft(owner, budget_min="10.005", budget_max="20")
    assert need.budget_min == Decimal("10.01") or need.budget_min == Decimal("10.00")
    assert isinstance(need.budget_max, Decimal)


@pytest.mark.parametrize("who", ["other_enterprise", "team_member"])
def test_only_the_owner_enterprise_edits_and_submits(owner, who):
    need = draft(owner)
    stranger = EnterpriseUserFactory() if who == "other_enterprise" else TeamMemberUserFactory()
    with pytest.raises(DemandError) as exc:
        need_update(need=need, by=stranger, title="被他人修改的标题")
    assert exc.value.code == "forbidden"
    with pytest.raises(DemandError):
        need_submit(need=need, by=stranger)
    need.refresh_from_db()
    assert need.title == "高速平缝机减振降噪" and need.status == "draft"


def test_only_moderators_publish(owner):
    need = need_submit(need=draft(owner), by=owner)
    for user in (owner, EnterpriseUserFactory(), TeamMemberUserFactory()):
        with pytest.raises(DemandError):
            need_moderate(need=need, by=user, approve=True)
    need = need_moderate(need=need, by=StoAdminFactory(), approve=True)
    assert need.status == "published"


def test_a_rejection_needs_a_reason_and_returns_to_draft(owner):
    need = need_submit(need=draft(owner), by=owner)
    admin = UserFactory(role=Role.PLATFORM_ADMIN)
    with pytest.raises(DemandError):
        need_moderate(need=need, by=admin, approve=False)
    need = need_moderate(need=need, by=admin, approve=False, comment="请补充设备型号")
    assert need.status == "draft"


def test_a_published_need_keeps_what_engagements_rely_on(owner):
    need = need_submit(need=draft(owner), by=owner)
    need = need_moderate(need=need, by=UserFactory(role=Role.PLATFORM_ADMIN), approve=True)
    with pytest.raises(DemandError) as exc:
        need_update(need=need, by=owner, title="完全不同的需求")
    assert "不能修改标题" in exc.value.message
    need = need_update(
        need=need, by=owner, description=DESCRIPTION + "补充：设备型号 GC6-1。", budget_max="30"
    )
    edit = need.events.get(action="edit")
    assert set(edit.changes) == {"description", "budget_max"}


def test_closing_needs_a_reason_and_is_final(owner):
    need = draft(owner)
    with pytest.raises(DemandError):
        need_close(need=need, by=owner, reason=" ")
    need = need_close(need=need, by=owner, reason="问题已自行解决")
    assert need.status == "closed" and need.close_reason == "问题已自行解决"
    with pytest.raises(DemandError) as exc:
        need_submit(need=need, by=owner)
    assert exc.value.code == "wrong_state"


def test_a_pending_enterprise_cannot_post(owner):
    pending = EnterpriseUserFactory(enterprise__status="pending")
    with pytest.raises(DemandError):
        draft(pending)


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_a_draft_of_an_enterprise_not_approved_is_neither_submitted_nor_published(owner, status):
    """A draft kept from before (or seeded) must not reach the need hall through the later steps: the
    enterprise's approval is checked at every step, not only when drafting."""
    need = draft(owner)
    enterprise = owner.enterprise
    enterprise.status = status
    enterprise.save()
    with pytest.raises(DemandError, match="企业注册尚未通过审核"):
        need_submit(need=need, by=owner)
    need.refresh_from_db()
    assert need.status == Need.Status.DRAFT and list(need.events.values_list("action", flat=True)) == [
        "create"
    ]

    # Submitted while approved, the approval later withdrawn: the reviewers cannot publish it.
    enterprise.status = "approved"
    enterprise.save()
    need_submit(need=need, by=owner)
    enterprise.status = status
    enterprise.save()
    with pytest.raises(DemandError, match="注册尚未通过审核，不能发布其需求"):
        need_moderate(need=need, by=StoAdminFactory(), approve=True)
    need.refresh_from_db()
    assert need.status == Need.Status.SUBMITTED and need.published_at is None
    # Someone who may not publish at all is told just that, not about the enterprise.
    with pytest.raises(DemandError) as refused:
        need_moderate(need=need, by=EnterpriseUserFactory(), approve=True)
    assert refused.value.code == "forbidden" and enterprise.name not in refused.value.message
    # Returning it to the enterprise still works.
    need_moderate(need=need, by=StoAdminFactory(), approve=False, comment="企业资质待核实")
    assert Need.objects.get(pk=need.pk).status == Need.Status.DRAFT


def test_moderation_results_are_notified_to_the_enterprise(owner):
    from accounts.models import Notification

    need = need_submit(need=draft(owner), by=owner)
    need_moderate(need=need, by=UserFactory(role=Role.PLATFORM_ADMIN), approve=False, comment="请补充型号")
    assert Notification.objects.filter(user=owner, kind="moderation", body="请补充型号").exists()


def test_an_old_unanswered_need_expires(owner):
    import datetime as dt

    from demand.services import needs_expire

    need = need_submit(need=draft(owner, expected_start="2025-01-01", duration_months=3), by=owner)
    need = need_moderate(need=need, by=UserFactory(role=Role.PLATFORM_ADMIN), approve=True)
    fresh = need_moderate(
        need=need_submit(need=draft(owner, title="新需求标题"), by=owner),
        by=UserFactory(role=Role.PLATFORM_ADMIN),
        approve=True,
    )
    assert needs_expire(today=dt.date(2026, 11, 1)) == 1
    need.refresh_from_db()
    fresh.refresh_from_db()
    assert (need.status, fresh.status) == ("expired", "published")


def test_a_draft_is_deleted_with_its_attachments_and_nothing_else_is(
    owner, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demand.services import need_attachment_add, need_draft_delete

    settings.MEDIA_ROOT = tmp_path
    need = draft(owner)
    attachment = need_attachment_add(
        need=need, by=owner, upload=SimpleUploadedFile("图纸.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    )
    path = attachment.file.path
    client.force_login(owner)
    assert "删除草稿" in client.get(f"/needs/{need.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes when the deletion commits
        response = client.post(f"/needs/{need.pk}/delete/", follow=True)
    assert "需求草稿已删除" in response.content.decode()
    assert not Need.objects.filter(pk=need.pk).exists()
    assert not Path(path).exists()
    # A submitted need is closed, not deleted.
    other = draft(owner)
    need_submit(need=other, by=owner)
    with pytest.raises(DemandError, match="只有草稿可以删除"):
        need_draft_delete(need=other, by=owner)
    assert Need.objects.filter(pk=other.pk).exists()
