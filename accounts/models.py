"""Users and the organisations they act for: universities and their colleges, enterprises, government
agencies. A user has one role; the role says which workspace they use and what they may see."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_credit_code


class Category(models.TextChoices):
    """理工类 / 人文类: the guideline's two strands, spot-checked separately (Appendix C note)."""

    SCIENCE = "science", _("理工类")
    HUMANITIES = "humanities", _("人文类")


class University(models.Model):
    """A local university (地方高校) that builds 科技小分队."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("所在地区"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("高校")
        verbose_name_plural = _("高校")
        ordering = ["name"]

    def __str__(self):
        return self.name


class College(models.Model):
    """二级学院: forms teams and reviews their applications and records first."""

    university = models.ForeignKey(
        University, verbose_name=_("所属高校"), on_delete=models.PROTECT, related_name="colleges"
    )
    name = models.CharField(_("名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.SCIENCE)

    class Meta:
        verbose_name = _("二级学院")
        verbose_name_plural = _("二级学院")
        ordering = ["university", "name"]
        constraints = [
            models.UniqueConstraint(fields=["university", "name"], name="college_unique_in_university")
        ]

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    """An enterprise that posts technical needs. Registrations become active once a platform
    administrator approves them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    name = models.CharField(_("企业名称"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    industry = models.ForeignKey("reference.Industry", verbose_name=_("所属行业"), on_delete=models.PROTECT)
    region = models.ForeignKey("reference.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    description = models.TextField(_("企业简介"), blank=True)
    status = models.CharField(_("审核状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_approved(self) -> bool:
        """Its registration passed review: only then may it post needs (demand.services)."""
        return self.status == self.Status.APPROVED

    def clean(self):
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()


class GovernmentAgency(models.Model):
    """A government body (科技局, 教育厅 …) that views demand for its region and everything below it."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    region = models.ForeignKey("reference.Region", verbose_name=_("管辖地区"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("政府部门")
        verbose_name_plural = _("政府部门")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业用户")
    TEAM_MEMBER = "team_member", _("小分队成员")
    COLLEGE_ADMIN = "college_admin", _("学院管理员")
    STO_ADMIN = "sto_admin", _("科技处管理员")
    # The university's humanities research office (人文社科处): spot-checks the 人文类 strand.
    HUM_ADMIN = "hum_admin", _("人文社科处管理员")
    GOV_VIEWER = "gov_viewer", _("政府用户")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")


# Which organisation field each role must (and may only) have.
ROLE_ORGANISATION_FIELD = {
    Role.ENTERPRISE: "enterprise",
    Role.TEAM_MEMBER: "college",
    Role.COLLEGE_ADMIN: "college",
    Role.STO_ADMIN: "university",
    Role.HUM_ADMIN: "university",
    Role.GOV_VIEWER: "agency",
    Role.PLATFORM_ADMIN: None,
}
ORGANISATION_FIELDS = ("enterprise", "college", "university", "agency")


class User(AbstractUser):
    """A person using the platform, acting for one organisation in one role."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.TEAM_MEMBER)
    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    title = models.CharField(_("职称"), max_length=30, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("所属企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    college = models.ForeignKey(
        College,
        verbose_name=_("所属学院"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    university = models.ForeignKey(
        University,
        verbose_name=_("所属高校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    agency = models.ForeignKey(
        GovernmentAgency,
        verbose_name=_("所属政府部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.real_name or self.username

    def clean(self):
        super().clean()
        needed = ROLE_ORGANISATION_FIELD.get(self.role)
        errors = {}
        for field in ORGANISATION_FIELDS:
            value = getattr(self, f"{field}_id")
            if field == needed and value is None:
                errors[field] = _("角色“%(role)s”必须关联所属组织。") % {"role": self.get_role_display()}
            elif field != needed and value is not None:
                errors[field] = _("角色“%(role)s”不应关联此类组织。") % {"role": self.get_role_display()}
        if errors:
            raise ValidationError(errors)

    @property
    def organisation(self):
        field = ROLE_ORGANISATION_FIELD.get(self.role)
        return getattr(self, field) if field else None

    @property
    def home_university(self):
        """The university a team member, college or S&T office administrator belongs to."""
        if self.university_id:
            return self.university
        if self.college_id:
            return self.college.university
        return None


class Notification(models.Model):
    """An in-app notice to one user (also mailed): a recommendation, an invitation, a state change."""

    user = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=32)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title
