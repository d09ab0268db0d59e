"""人岗匹配: students' profiles, the openings teams post and the applications to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teams.models import Member, ServiceRecord, Team


class StudentProfile(models.Model):
    """A student's short profile (动态成员): what they study, can do and like, and how much time they
    have. The talent matcher ranks it against the teams' openings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台用户"),
        on_delete=models.CASCADE,
        related_name="student_profile",
    )
    level = models.CharField(_("学生层次"), max_length=16, choices=Member.StudentLevel.choices)
    major = models.CharField(_("专业"), max_length=50)
    discipline = models.ForeignKey(
        "reference.Discipline",
        verbose_name=_("所属学科"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("入学年份"))
    skills = models.JSONField(_("技能"), default=list, blank=True)
    interests = models.TextField(_("兴趣与方向"), max_length=1000, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("每周可投入（小时）"))
    available_note = models.CharField(_("可参与时间说明"), max_length=200, blank=True)
    open_to_offers = models.BooleanField(_("接受团队推荐"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("学生档案")
        verbose_name_plural = _("学生档案")

    def __str__(self):
        return f"{self.user}（{self.major}）"


class Opening(models.Model):
    """A place a team offers a student: research assistant, an internship at an enterprise it serves,
    or a role in one of its projects."""

    class Kind(models.TextChoices):
        RESEARCH_ASSISTANT = "research_assistant", _("科研助理")
        INTERNSHIP = "internship", _("企业实习")
        PROJECT_ROLE = "project_role", _("项目岗位")

    class Status(models.TextChoices):
        OPEN = "open", _("招募中")
        FILLED = "filled", _("已满员")
        CLOSED = "closed", _("已关闭")

    team = models.ForeignKey(
        Team, verbose_name=_("小分队"), on_delete=models.CASCADE, related_name="openings"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("岗位名称"), max_length=100)
    description = models.TextField(_("岗位说明"), max_length=2000)
    skills = models.JSONField(_("所需技能"), default=list, blank=True)
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name=_("实习企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="openings",
    )
    slots = models.PositiveSmallIntegerField(_("名额"))
    hours_per_week = models.PositiveSmallIntegerField(_("每周投入（小时）"))
    deadline = models.DateField(_("报名截止"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("招募岗位")
        verbose_name_plural = _("招募岗位")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(slots__gte=1), name="opening_slots_positive"),
            # An internship is at an enterprise; other kinds may name none.
            models.CheckConstraint(
                condition=~models.Q(kind="internship") | models.Q(enterprise__isnull=False),
                name="opening_internship_has_enterprise",
            ),
        ]

    def __str__(self):
        return self.title


class Application(models.Model):
    """A student's application to an opening; the team accepts or declines it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待处理")
        ACCEPTED = "accepted", _("已录用")
        DECLINED = "declined", _("未录用")
        WITHDRAWN = "withdrawn", _("已撤回")

    opening = models.ForeignKey(
        Opening, verbose_name=_("岗位"), on_delete=models.CASCADE, related_name="applications"
    )
    student = models.ForeignKey(
        StudentProfile, verbose_name=_("学生"), on_delete=models.CASCADE, related_name="applications"
    )
    statement = models.TextField(_("申请说明"), max_length=1000, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.CharField(_("未录用原因"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    # The internship agreement (实习相关协议, Appendix C item 14) this placement is under: one record per
    # signed agreement, which may place several students (so several applications share it).
    record = models.ForeignKey(
        ServiceRecord,
        verbose_name=_("实习协议记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("岗位申请")
        verbose_name_plural = _("岗位申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "student"],
                condition=models.Q(status__in=["submitted", "accepted"]),
                name="application_one_live_per_opening",
            )
        ]

    def __str__(self):
        return f"{self.student} → {self.opening}"
