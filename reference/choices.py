"""Fixed vocabularies shared by several apps (no table: they are part of the guideline, not data)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceType(models.TextChoices):
    """The guideline's service kinds and the 科创中国 categories."""

    DIAGNOSIS = "diagnosis", _("技术诊断")
    RETROFIT = "retrofit", _("技术改造")
    PROCESS = "process", _("工艺流程优化")
    PLATFORM = "platform", _("共建研发平台")
    TRAINING = "training", _("技术人员培训")
    QUALITY = "quality", _("质量管理体系")
    TESTING = "testing", _("检测认证")
    TRANSFER = "transfer", _("成果转化")
    IP = "ip", _("专利与知识产权")
    POLICY = "policy", _("政策咨询")
    DISSEMINATION = "dissemination", _("技术传播")
    CONSULTING = "consulting", _("产业咨询")
    RD = "rd", _("支撑技术研发")
    ENTREPRENEURSHIP = "entrepreneurship", _("创新创业服务")
    TALENT = "talent", _("人才培养")
    TRADE = "trade", _("技术转移与交易")
    STANDARD = "standard", _("标准制定")
    INTERNATIONAL = "international", _("国际交流")
