"""Stored vectors and recommendations.

Vectors are cached by the hash of the exact text that was embedded, with the model's name and version
beside each, so an unchanged text is never embedded twice and a model change is detectable.
"""

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _


class TextEmbedding(models.Model):
    """One embedded text: the vector a given model version produced for it."""

    model_name = models.CharField(_("模型"), max_length=200)
    model_version = models.CharField(_("模型版本"), max_length=80)
    text_hash = models.CharField(_("文本哈希"), max_length=64)
    dim = models.PositiveSmallIntegerField(_("维度"))
    vector = models.BinaryField(_("向量"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文本向量")
        verbose_name_plural = _("文本向量")
        constraints = [
            models.UniqueConstraint(fields=["model_version", "text_hash"], name="embedding_unique_per_model")
        ]

    def __str__(self):
        return f"{self.model_name}:{self.text_hash[:12]}"

    def as_array(self) -> np.ndarray:
        return np.frombuffer(bytes(self.vector), dtype=np.float32)


class Recommendation(models.Model):
    """A team ranked for a need, with the matcher's per-factor explanation."""

    need = models.ForeignKey(
        "demand.Need", verbose_name=_("需求"), on_delete=models.CASCADE, related_name="recommendations"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("小分队"), on_delete=models.CASCADE, related_name="recommendations"
    )
    rank = models.PositiveSmallIntegerField(_("排名"))
    score = models.FloatField(_("匹配分"))
    explanation = models.JSONField(_("推荐理由"), default=dict)
    model_version = models.CharField(_("模型版本"), max_length=80)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        ordering = ["need", "rank"]
        constraints = [models.UniqueConstraint(fields=["need", "team"], name="recommendation_unique_pair")]
        indexes = [models.Index(fields=["team", "-score"])]

    def __str__(self):
        return f"{self.need_id} → {self.team_id} #{self.rank}"


class Engagement(models.Model):
    """对接: a need and a team working together. Starts as an invitation (from the enterprise), an
    interest (揭榜, from the team) or an assignment (指派, from an operator); accepted, it is agreed."""

    class Origin(models.TextChoices):
        INVITATION = "invitation", _("企业邀请")
        INTEREST = "interest", _("团队揭榜")
        ASSIGNMENT = "assignment", _("平台指派")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        AGREED = "agreed", _("已达成")
        IN_SERVICE = "in_service", _("服务中")
        COMPLETED = "completed", _("已完成")
        CANCELLED = "cancelled", _("已取消")
        DECLINED = "declined", _("已谢绝")

    need = models.ForeignKey(
        "demand.Need", verbose_name=_("需求"), on_delete=models.PROTECT, related_name="engagements"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("小分队"), on_delete=models.PROTECT, related_name="engagements"
    )
    origin = models.CharField(_("来源"), max_length=16, choices=Origin.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposal = models.TextField(_("方案或邀请说明"), max_length=2000, blank=True)
    scope = models.TextField(_("对接内容与范围"), max_length=2000, blank=True)
    rating = models.PositiveSmallIntegerField(_("企业评分"), null=True, blank=True)
    rating_comment = models.TextField(_("企业评价"), max_length=1000, blank=True)
    end_reason = models.CharField(_("取消或谢绝原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("发起人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    agreed_at = models.DateTimeField(_("达成时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始服务时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("取消或谢绝时间"), null=True, blank=True)
    # The matcher's signals for this pair when the engagement opened: with the outcome, a training row
    # for the learned ranker (empty when the team was not among the recommendations).
    match_signals = models.JSONField(_("发起时的匹配信号"), default=dict, blank=True)

    class Meta:
        verbose_name = _("对接")
        verbose_name_plural = _("对接")
        ordering = ["-created_at"]
        constraints = [
            # A team cannot have two open engagements on one need.
            models.UniqueConstraint(
                fields=["need", "team"],
                condition=models.Q(status__in=["proposed", "agreed", "in_service"]),
                name="engagement_one_open_per_team_and_need",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="engagement_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.need} ↔ {self.team}"

    @property
    def contacts_visible(self) -> bool:
        return self.status in {self.Status.AGREED, self.Status.IN_SERVICE, self.Status.COMPLETED}


class RankerWeights(models.Model):
    """Fusion weights learned from engagement outcomes, with how they compared with the weights in use
    on held-out outcomes. The newest active row is what the ranker uses; every training is kept."""

    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    weights = models.JSONField(_("权重"), default=dict)
    outcomes = models.PositiveIntegerField(_("训练结果数"))
    auc_learned = models.FloatField(_("学习权重 AUC"))
    auc_current = models.FloatField(_("现用权重 AUC"))
    active = models.BooleanField(_("已启用"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("排序权重")
        verbose_name_plural = _("排序权重")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {'启用' if self.active else '未启用'}"


ENGAGEMENT_ACTION_LABELS = {
    "invitation": _("企业邀请"), "interest": _("团队揭榜"), "assignment": _("平台指派"), "accept": _("确认对接"),
    "decline": _("谢绝"), "start": _("开始服务"), "complete": _("确认完成并评价"), "cancel": _("取消"),
}  # fmt: skip


class EngagementEvent(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16)
    to_status = models.CharField(_("新状态"), max_length=16)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("对接记录")
        verbose_name_plural = _("对接记录")
        ordering = ["engagement", "at", "id"]

    def __str__(self):
        return f"{self.engagement_id} {self.action}"

    @property
    def action_label(self):
        return ENGAGEMENT_ACTION_LABELS.get(self.action, self.action)

    @property
    def transition_label(self):
        labels = dict(Engagement.Status.choices)
        return (
            f"{labels.get(self.from_status, self.from_status)} → {labels.get(self.to_status, self.to_status)}"
        )


class EngagementRecord(models.Model):
    """A service record written against an engagement (the link lives here: teams never imports us)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="record_links")
    record = models.OneToOneField(
        "teams.ServiceRecord", on_delete=models.CASCADE, related_name="engagement_link"
    )

    class Meta:
        verbose_name = _("对接服务记录")
        verbose_name_plural = _("对接服务记录")

    def __str__(self):
        return f"{self.engagement_id} → {self.record_id}"


class SavedSearch(models.Model):
    """A team's subscription: new published needs that match it are sent as notifications."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("即时")
        DAILY = "daily", _("每日汇总")
        WEEKLY = "weekly", _("每周汇总")

    team = models.ForeignKey(
        "teams.Team", verbose_name=_("小分队"), on_delete=models.CASCADE, related_name="saved_searches"
    )
    owner = models.ForeignKey(
        "accounts.User", verbose_name=_("订阅人"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=50)
    query = models.CharField(_("关键词"), max_length=100, blank=True)
    industry_prefix = models.CharField(_("行业代码"), max_length=8, blank=True)
    region_prefix = models.CharField(_("地区代码"), max_length=6, blank=True)
    service_type = models.CharField(_("需求类型"), max_length=20, blank=True)
    min_score = models.FloatField(_("最低匹配分"), default=0.0)
    frequency = models.CharField(_("频率"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    active = models.BooleanField(_("启用"), default=True)
    last_sent_at = models.DateTimeField(_("上次发送"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class SavedSearchHit(models.Model):
    """A need already sent for a subscription: each need is notified once per subscription."""

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="hits")
    need = models.ForeignKey("demand.Need", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["search", "need"], name="saved_search_hit_once")]

    def __str__(self):
        return f"{self.search_id} → {self.need_id}"


class Assignment(models.Model):
    """指派: an S&T office or the platform assigns a published need to a team, with a deadline to respond.
    Accepted, it opens an engagement; unanswered by the deadline, it escalates back to the operator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待响应")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已谢绝")
        ESCALATED = "escalated", _("超期退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    need = models.ForeignKey(
        "demand.Need", verbose_name=_("需求"), on_delete=models.PROTECT, related_name="assignments"
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("小分队"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        "accounts.User", verbose_name=_("指派人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("指派说明"), max_length=2000, blank=True)
    deadline = models.DateTimeField(_("响应期限"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("谢绝或撤回原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("响应人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    engagement = models.OneToOneField(
        Engagement,
        verbose_name=_("对接"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignment",
    )
    # The matcher's rank and score for the pair when assigned (null: the team was not recommended).
    match_rank = models.PositiveSmallIntegerField(_("指派时排名"), null=True, blank=True)
    match_score = models.FloatField(_("指派时匹配分"), null=True, blank=True)

    class Meta:
        verbose_name = _("指派")
        verbose_name_plural = _("指派")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One waiting assignment per team and need: a second one would ask the same question twice.
            models.UniqueConstraint(
                fields=["need", "team"],
                condition=models.Q(status="pending"),
                name="assignment_one_pending_per_team_and_need",
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.need} → {self.team}"

    @property
    def response_seconds(self) -> float | None:
        if self.responded_at is None:
            return None
        return (self.responded_at - self.created_at).total_seconds()


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
    give up on it after a few (matching.task_deliveries) instead of redelivering it forever. The row is
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
