"""Taxonomies as data: GB/T 4754-2017 industries, administrative regions, disciplines.

Loaded from fixtures shipped in reference/fixtures/ (copied from shared/data, provenance kept there).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.Model):
    """国民经济行业分类 (GB/T 4754-2017): 门类 → 大类 → 中类 → 小类."""

    class Level(models.IntegerChoices):
        SECTION = 0, _("门类")
        DIVISION = 1, _("大类")
        GROUP = 2, _("中类")
        CLASS = 3, _("小类")

    code = models.CharField(_("代码"), max_length=8, unique=True)
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Region(models.Model):
    """统计用区划代码: province (2-digit code), city (4), county (6), with the seat's coordinates."""

    class Level(models.IntegerChoices):
        PROVINCE = 0, _("省级")
        CITY = 1, _("地级")
        COUNTY = 2, _("县级")

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=60, db_index=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    longitude = models.DecimalField(_("驻地经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("驻地纬度"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Discipline(models.Model):
    """A discipline: the 67 一级学科 names of the CSL benchmark, or a node of the NSFC code tree."""

    class Scheme(models.TextChoices):
        CSL = "csl", _("一级学科（CSL 67）")
        NSFC = "nsfc", _("国家自然科学基金申请代码")

    scheme = models.CharField(_("体系"), max_length=8, choices=Scheme.choices)
    code = models.CharField(_("代码"), max_length=16)
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    name_en = models.CharField(_("英文名"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("层级"), default=0)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("学科")
        verbose_name_plural = _("学科")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="discipline_scheme_code_unique")
        ]

    def __str__(self):
        return self.name
