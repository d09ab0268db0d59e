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
