"""对接 and 指派: the one place where a need and a team are bound."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scope import ScopedQuerySet, ScopePaths


class EngagementQuerySet(ScopedQuerySet):
    # An enterprise sees its needs' engagements; a team member their teams'; a college or the S&T office
    # those of its teams; platform administrators all.
    scope_paths = ScopePaths(
        university="team__college__university",
        college="team__college",
        enterprise="need__enterprise",
        member="team__members__user",
    )


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

    objects = EngagementQuerySet.as_manager()

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


ENGAGEMENT_ACTION_LABELS = {
    "invitation": _("企业邀请"), "interest": _("团队揭榜"), "assignment": _("平台指派"), "accept": _("确认对接"),
    "decline": _("谢绝"), "start": _("开始服务"), "complete": _("确认完成并评价"), "cancel": _("取消"),
    "team_stopped": _("小分队停止服务，对接关闭"),
    "need_withdrawn": _("需求已解决或关闭，未达成的对接关闭"),
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
        """“待确认 → 已达成”; an opening step, which changes no state, names the state it opened in."""
        labels = dict(Engagement.Status.choices)
        if self.from_status == self.to_status:
            return str(labels.get(self.to_status, self.to_status))
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


class AssignmentQuerySet(ScopedQuerySet):
    # Platform administrators see all; the S&T office its university's teams'; a college its teams'; a team
    # member their teams'.
    scope_paths = ScopePaths(
        university="team__college__university", college="team__college", member="team__members__user"
    )


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

    objects = AssignmentQuerySet.as_manager()

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
