"""Reports upward (问题库/项目库): the exports a university or agency asks for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scope import ScopedQuerySet, ScopePaths


class ReportExportQuerySet(ScopedQuerySet):
    # Exports: platform administrators all, the S&T office its university's.
    scope_paths = ScopePaths(university="university")


class ReportExport(models.Model):
    """A periodic export for the provincial platform (问题库 / 项目库): one kind, one period, one region,
    written as xlsx and/or JSON lines in the layout of insights/REPORT_LAYOUT.md. The last ones of each
    university (or of the platform, for its administrators) are kept; older ones are pruned."""

    class Kind(models.TextChoices):
        PROBLEMS = "problems", _("问题库")
        PROJECTS = "projects", _("项目库")

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    period_from = models.DateField(_("起始日期"))
    period_to = models.DateField(_("截止日期"))
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("留空为全国"),
    )
    university = models.ForeignKey(
        "accounts.University",
        verbose_name=_("所属高校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("科技处生成的导出属于本校；平台管理员生成的为空"),
    )
    formats = models.JSONField(_("格式"), default=list)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    # The task that moved it to 生成中: a redelivery of that same task (its worker died mid-build) may
    # build it again; any other run leaves it alone.
    claimed_by = models.CharField(_("生成任务"), max_length=64, blank=True, editable=False)
    xlsx_file = models.FileField(_("Excel 文件"), upload_to="reports/%Y/%m/", blank=True)
    jsonl_file = models.FileField(_("JSON Lines 文件"), upload_to="reports/%Y/%m/", blank=True)
    rows_count = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ReportExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("上报导出")
        verbose_name_plural = _("上报导出")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_from__lte=models.F("period_to")),
                name="report_export_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_from}—{self.period_to}"
