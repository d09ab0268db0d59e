"""科技小分队: teams formed by a college, their members, and what they serve.

The guideline (组织架构及职责 · 科技小分队): a captain of 副高级 or higher, 1-2 deputies (科研 / 产业对接),
at least 3 core teachers, students as dynamic members, and enterprise engineers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Category


class WorkMode(models.TextChoices):
    """工作内容 · 开展科技创新研究: the five ways a team is organised."""

    DISCIPLINE = "discipline", _("学科团队")
    PROJECT = "project", _("项目推进")
    TALENT = "talent", _("高层次人才研究团队")
    ENTERPRISE_CENTRE = "enterprise_centre", _("企业中心")
    LOCAL_INSTITUTE = "local_institute", _("地方研究院")


class Theme(models.TextChoices):
    """Appendix B's themes."""

    PARTY = "party", _("党建联建")
    BIOPHARMA = "biopharma", _("生物制药与大健康")
    SMART_MANUFACTURING = "smart_manufacturing", _("数据与智能制造")
    ECOLOGY = "ecology", _("生态与人居环境")
    HUMANITIES = "humanities", _("人文社会科学")
    OTHER = "other", _("其他")


class Team(models.Model):
    """A 科技小分队: named `队长姓名·行业（企业）名称科技小分队`, serving one enterprise or industry for years."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已申报")
        COLLEGE_APPROVED = "college_approved", _("学院已审核")
        RETURNED = "returned", _("已退回")
        ACTIVE = "active", _("运行中")
        RECTIFYING = "rectifying", _("整改中")
        DISSOLVED = "dissolved", _("已撤销")
        ARCHIVED = "archived", _("已归档")

    name = models.CharField(_("小分队名称"), max_length=100, unique=True)
    college = models.ForeignKey(
        "accounts.College", verbose_name=_("所属学院"), on_delete=models.PROTECT, related_name="teams"
    )
    work_mode = models.CharField(_("工作模式"), max_length=24, choices=WorkMode.choices)
    theme = models.CharField(_("主题"), max_length=24, choices=Theme.choices)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    industries = models.ManyToManyField("reference.Industry", verbose_name=_("服务行业"), blank=True)
    served_enterprises = models.ManyToManyField(
        "accounts.Enterprise", verbose_name=_("对接企业"), blank=True, related_name="serving_teams"
    )
    regions = models.ManyToManyField("reference.Region", verbose_name=_("服务地区"), blank=True)
    disciplines = models.ManyToManyField("reference.Discipline", verbose_name=_("学科"), blank=True)
    service_content = models.TextField(_("服务内容"), blank=True)
    service_foundation = models.TextField(_("现有服务基础和已开展服务项目"), blank=True)
    description = models.TextField(_("团队简介"), blank=True)
    keywords = models.JSONField(_("专长关键词"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("科技小分队")
        verbose_name_plural = _("科技小分队")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MemberRole(models.TextChoices):
    CAPTAIN = "captain", _("队长")
    DEPUTY = "deputy", _("副队长")
    CORE = "core", _("核心成员")
    DYNAMIC = "dynamic", _("动态成员")
    ENTERPRISE = "enterprise", _("企业成员")


class QualifyingLevel(models.TextChoices):
    """队长资格: 主持过省部级及以上科研项目（或百万以上横向项目）."""

    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省部级")
    HORIZONTAL = "horizontal", _("横向项目")


class Member(models.Model):
    """A person's place in one team. A person (user) may belong to several teams."""

    class DeputyFocus(models.TextChoices):
        RESEARCH = "research", _("科研")
        INDUSTRY = "industry", _("产业对接")

    class StudentLevel(models.TextChoices):
        GRADUATE = "graduate", _("研究生")
        UNDERGRADUATE = "undergraduate", _("本科生")

    team = models.ForeignKey(Team, verbose_name=_("小分队"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("角色"), max_length=16, choices=MemberRole.choices)
    title = models.CharField(_("职称"), max_length=30, blank=True)
    deputy_focus = models.CharField(_("副队长分工"), max_length=16, choices=DeputyFocus.choices, blank=True)
    student_level = models.CharField(_("学生层次"), max_length=16, choices=StudentLevel.choices, blank=True)
    enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name=_("所在企业"), null=True, blank=True, on_delete=models.PROTECT
    )
    research_direction = models.CharField(_("研究方向"), max_length=200, blank=True)
    qualifying_project = models.CharField(_("队长主持的代表性项目"), max_length=200, blank=True)
    qualifying_level = models.CharField(
        _("项目级别"), max_length=16, choices=QualifyingLevel.choices, blank=True
    )
    qualifying_amount_yuan = models.DecimalField(
        _("横向项目金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("小分队成员")
        verbose_name_plural = _("小分队成员")
        ordering = ["team", "role", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"
