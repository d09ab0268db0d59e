"""Infrastructure rows with no domain: background tasks that gave up, and deliveries counted; and the
abstract shape of an uploaded file (StoredFile), which each app's own file model takes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskFailure(models.Model):
    """A background task that gave up: what it was asked, why it failed, after how many attempts.

    Bad input fails at once (attempts 1); a transient error is recorded only once its bounded retries
    are spent. Staff read these in the admin; nothing retries them automatically.
    """

    task_name = models.CharField(_("任务"), max_length=200)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    args = models.JSONField(_("位置参数"), default=list)
    kwargs = models.JSONField(_("关键字参数"), default=dict)
    reason = models.CharField(_("原因"), max_length=500)
    exception = models.TextField(_("异常"))
    attempts = models.PositiveIntegerField(_("尝试次数"))
    failed_at = models.DateTimeField(_("失败时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务失败记录")
        verbose_name_plural = _("任务失败记录")
        ordering = ["-failed_at", "-id"]
        indexes = [models.Index(fields=["task_name", "-failed_at"])]

    def __str__(self):
        return f"{self.task_name}：{self.reason}"


class TaskDelivery(models.Model):
    """How many times one attempt of a task (its id and retry number) has been handed to a worker.

    With acks_late and reject_on_worker_lost, a task whose run kills its worker process (out of memory,
    a crash in native code) goes back to the queue each time; counting deliveries lets the next worker
    give up on it after a few (core.task_deliveries) instead of redelivering it forever. The row is
    written before the task runs and deleted when it finishes, however it finishes.
    """

    task_id = models.CharField(_("任务编号"), max_length=64)
    retries = models.PositiveIntegerField(_("重试序号"), default=0)
    task_name = models.CharField(_("任务"), max_length=200)
    deliveries = models.PositiveIntegerField(_("投递次数"), default=1)
    first_at = models.DateTimeField(_("首次投递时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("任务投递计数")
        verbose_name_plural = _("任务投递计数")
        constraints = [
            models.UniqueConstraint(fields=["task_id", "retries"], name="task_delivery_once_per_attempt")
        ]

    def __str__(self):
        return f"{self.task_name} {self.task_id}#{self.retries}：{self.deliveries}"


class StoredFile(models.Model):
    """An uploaded file kept privately and served through a permission-checked view: what it was called,
    its checked type and size, who uploaded it and when. Abstract: each app's file model (a need's
    attachment, a record's evidence) adds the row it belongs to and its own `file` field (each stores
    under its own folder). Rows are written by core.uploads.stored_file_create."""

    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name
