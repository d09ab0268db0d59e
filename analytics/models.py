"""Scoring rules as data (Appendix C), per assessment year and versioned."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    """The scoring table used for one assessment year. Edits make a new version; a year's rules
    freeze once its assessment is published."""

    year = models.PositiveSmallIntegerField(_("考核年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    frozen = models.BooleanField(_("已冻结"), default=False)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修订人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分规则")
        verbose_name_plural = _("评分规则")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="ruleset_year_version_unique")
        ]

    def __str__(self):
        return f"{self.year} 年度评分规则 v{self.version}"


class RuleItem(models.Model):
    """One row of the table: points per unit of one record type, and the item's cap if it has one."""

    class Unit(models.TextChoices):
        EACH = "each", _("每项/次")
        PER_WAN = "per_wan", _("每万元")

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("评分规则"), on_delete=models.CASCADE, related_name="items"
    )
    record_type = models.CharField(_("项目"), max_length=32)
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("计分单位"), max_length=8, choices=Unit.choices, default=Unit.EACH)
    cap = models.DecimalField(_("上限"), max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["rule_set", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "record_type"], name="ruleitem_unique_type")
        ]

    def __str__(self):
        return f"{self.record_type}: {self.points}"


# Appendix C as written. (record type, points, unit, cap)
DEFAULT_RULES = [
    ("service_visit", Decimal("1.5"), "each", Decimal("15")),
    ("training", Decimal("2"), "each", None),
    ("tech_transfer", Decimal("2"), "per_wan", None),
    ("horizontal_project", Decimal("1"), "per_wan", None),
    ("vertical_project", Decimal("15"), "each", None),
    ("paper", Decimal("5"), "each", Decimal("20")),
    ("patent", Decimal("3"), "each", None),
    ("standard", Decimal("10"), "each", None),
    ("consulting_report", Decimal("6"), "each", None),
    ("award", Decimal("20"), "each", None),
    ("platform", Decimal("10"), "each", None),
    ("agreement_comprehensive", Decimal("10"), "each", None),
    ("agreement_internship", Decimal("2"), "each", None),
    ("plan_report", Decimal("5"), "each", None),
    ("appraisal", Decimal("5"), "each", None),
]
