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


class NeedMatchFacts(models.Model):
    """What matching derived about a need, in matching's own table (ARCHITECTURE.md rule 1): when it
    first stored recommendations for it, the funnel's 获得推荐 step. It outlives the recommendation
    rows, which go when the need leaves the open states; a later ranking keeps the first time."""

    need = models.OneToOneField(
        "demand.Need", primary_key=True, on_delete=models.CASCADE, related_name="match_facts"
    )
    first_recommended_at = models.DateTimeField(_("首次获得推荐时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("需求匹配事实")
        verbose_name_plural = _("需求匹配事实")

    def __str__(self):
        return f"{self.need_id}：{self.first_recommended_at}"
