"""技术需求: what an enterprise needs solved, in its own words, and where it is in its lifecycle."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StoredFile
from reference.choices import ServiceType  # noqa: F401 - the need form and the hall use it from here


class Need(models.Model):
    """A technical need (技术需求) posted by an enterprise."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("已发布")
        ENGAGED = "engaged", _("对接中")
        RESOLVED = "resolved", _("已解决")
        CLOSED = "closed", _("已关闭")
        EXPIRED = "expired", _("已过期")

    enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name=_("发布企业"), on_delete=models.PROTECT, related_name="needs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    title = models.CharField(_("需求标题"), max_length=100)
    description = models.TextField(_("需求描述"), max_length=5000)
    industry = models.ForeignKey("reference.Industry", verbose_name=_("所属行业"), on_delete=models.PROTECT)
    region = models.ForeignKey("reference.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT)
    service_types = models.JSONField(_("需求类型"), default=list)
    budget_min = models.DecimalField(
        _("预算下限（万元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        _("预算上限（万元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    expected_start = models.DateField(_("期望开始日期"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("预计周期（月）"), null=True, blank=True)
    show_enterprise = models.BooleanField(_("公开企业名称"), default=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    close_reason = models.CharField(_("关闭原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    engaged_at = models.DateTimeField(_("开始对接时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    # Stamped by matching the first time it stores recommendations for the need, and never cleared:
    # the recommendations themselves are dropped once a need is resolved or closed.
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("技术需求")
        verbose_name_plural = _("技术需求")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["region", "status"]),
            models.Index(fields=["industry", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="need_budget_range_ordered",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def service_type_labels(self):
        labels = dict(ServiceType.choices)
        return [labels.get(code, code) for code in self.service_types]


NEED_ACTION_LABELS = {
    "create": _("创建"), "edit": _("修改"), "submit": _("提交审核"), "publish": _("审核发布"), "reject": _("退回"),
    "close": _("关闭"), "engage": _("开始对接"), "resolve": _("已解决"), "expire": _("过期"), "attach": _("上传附件"),
}  # fmt: skip


class NeedEvent(models.Model):
    """The audit trail of a need: every state change and every edit, with who and what changed."""

    need = models.ForeignKey(Need, verbose_name=_("需求"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16, choices=Need.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Need.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changes = models.JSONField(_("修改内容"), default=dict, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("需求变更记录")
        verbose_name_plural = _("需求变更记录")
        ordering = ["need", "at", "id"]

    def __str__(self):
        return f"{self.need_id} {self.action}"

    @property
    def action_label(self):
        return NEED_ACTION_LABELS.get(self.action, self.action)


class NeedAttachment(StoredFile):
    """A file an enterprise attaches to its need (drawings, test reports), served through a checked view."""

    need = models.ForeignKey(
        Need, verbose_name=_("需求"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("需求附件")
        verbose_name_plural = _("需求附件")
