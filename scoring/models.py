"""Scoring rules as data (Appendix C), per assessment year and versioned."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Category
from accounts.scope import Lookup, ScopedQuerySet, ScopePaths


class RuleSet(models.Model):
    """The scoring table used for one assessment year. Edits make a new version; a year's rules
    freeze once its assessment is published.

    A table without a university is the platform's (the guideline's Appendix C as shipped); an S&T
    office that revises a year's table gets a version of its own, so one university's edits never
    change another's scores. A university without its own version uses the platform's."""

    university = models.ForeignKey(
        "accounts.University",
        verbose_name=_("所属高校"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("留空为平台通用评分表"),
    )
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
            models.UniqueConstraint(
                fields=["year", "version"],
                condition=models.Q(university__isnull=True),
                name="ruleset_year_version_unique",
            ),
            models.UniqueConstraint(
                fields=["university", "year", "version"],
                condition=models.Q(university__isnull=False),
                name="ruleset_university_year_version_unique",
            ),
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


class AssessmentQuerySet(ScopedQuerySet):
    # A university's assessments: for its S&T office, its colleges and its teachers; platform administrators all.
    scope_paths = ScopePaths(
        university=Lookup("university", "home_university"),
        college=Lookup("university", "home_university"),
        member=Lookup("university", "home_university"),
    )


class Assessment(models.Model):
    """A university's annual assessment (年度考核): score → spot check → public notice → final."""

    class Status(models.TextChoices):
        OPEN = "open", _("材料审核中")
        SPOT_CHECK = "spot_check", _("抽查中")
        NOTICE = "notice", _("公示中")
        FINAL = "final", _("已公布")

    class GradeMode(models.TextChoices):
        THRESHOLD = "threshold", _("按分数线")
        QUOTA = "quota", _("按优秀比例")

    class LateApprovals(models.TextChoices):
        # What happens to a record of the year approved after the spot-check draw closed the year's
        # record set. The guideline fixes neither: it is the university's own setting (本校设置).
        NEXT_YEAR = "next_year", _("计入下一年度考核")
        REFUSE = "refuse", _("不再受理审核通过")

    university = models.ForeignKey(
        "accounts.University", verbose_name=_("高校"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("考核年度"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    spot_share = models.DecimalField(_("抽查比例"), max_digits=4, decimal_places=3, default=Decimal("0.2"))
    spot_seed = models.BigIntegerField(_("抽查随机种子"), null=True, blank=True)
    grade_mode = models.CharField(
        _("定档方式"), max_length=16, choices=GradeMode.choices, default=GradeMode.THRESHOLD
    )
    excellent_threshold = models.DecimalField(
        _("优秀分数线"), max_digits=8, decimal_places=2, default=Decimal("60")
    )
    pass_threshold = models.DecimalField(
        _("合格分数线"), max_digits=8, decimal_places=2, default=Decimal("20")
    )
    excellent_quota = models.DecimalField(
        _("优秀比例上限"), max_digits=4, decimal_places=3, default=Decimal("0.15")
    )
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    late_approvals = models.CharField(
        _("抽查名单确定后审核通过的记录"),
        max_length=16,
        choices=LateApprovals.choices,
        default=LateApprovals.NEXT_YEAR,
    )
    # A 不合格 team is put under rectification when the results are published, with this many days to
    # complete it (guideline 9: measures, a responsible person and a deadline; the days are 本校设置).
    rectification_days = models.PositiveSmallIntegerField(_("不合格整改期限（天）"), default=90)
    # A team that began serving fewer than this many days before the year's end is not assessed that year
    # (新组建): a team approved in December is not graded 不合格 on an empty year. 本校设置.
    new_team_days = models.PositiveSmallIntegerField(_("新组建小分队当年不参评（成立不足天数）"), default=90)
    # Set by the last strand's spot-check draw: from then on the year's record set is the FrozenRecord
    # rows (each strand's part closes at its own draw, StrandDraw).
    frozen_at = models.DateTimeField(_("记录名单确定时间"), null=True, blank=True)
    notice_start = models.DateTimeField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateTimeField(_("公示结束"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("评分规则"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["university", "year"], name="assessment_unique_year")]

    def __str__(self):
        return f"{self.university} {self.year} 年度考核"


class StrandDraw(models.Model):
    """One strand's spot-check draw (Appendix C's note: the 科技 and 人文科研 management departments check
    理工类 and 人文类 material separately). Each office draws its own strand, reproducibly from the seed;
    the draw closes that strand's part of the year's record set (FrozenRecord)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="draws")
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    seed = models.BigIntegerField(_("抽查随机种子"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽样人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("抽样时间"))

    class Meta:
        verbose_name = _("分类抽查")
        verbose_name_plural = _("分类抽查")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "category"], name="strand_draw_once_per_assessment")
        ]

    def __str__(self):
        return f"{self.assessment_id} {self.get_category_display()}"


class Correction(models.Model):
    """更正: a change to a published result, with its reason, recorded and republished. `before` and
    `after` hold each changed team's (score, grade, rank); `removed` and `added` the records taken out of
    or put into the year's record set."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="corrections")
    reason = models.TextField(_("更正理由"), max_length=2000)
    removed = models.JSONField(_("移出的记录"), default=list)
    added = models.JSONField(_("补入的记录"), default=list)
    before = models.JSONField(_("更正前"), default=dict)
    after = models.JSONField(_("更正后"), default=dict)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(_("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结果更正")
        verbose_name_plural = _("结果更正")
        ordering = ["made_at", "id"]

    def __str__(self):
        return f"{self.assessment} 更正 {self.made_at:%Y-%m-%d}"


class SharedItemChoice(models.Model):
    """The S&T office's decision on a visit or training two teams that share members both recorded: which
    team's record counts (Appendix C's note: never twice). Without one, the record written first counts."""

    kept = models.ForeignKey(
        "teams.ServiceRecord", verbose_name=_("计入的记录"), on_delete=models.CASCADE, related_name="+"
    )
    left_out = models.ForeignKey(
        "teams.ServiceRecord", verbose_name=_("不计入的记录"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("理由"), max_length=500)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), auto_now=True)

    class Meta:
        verbose_name = _("共享成员重复记录的归属")
        verbose_name_plural = _("共享成员重复记录的归属")
        constraints = [
            models.UniqueConstraint(fields=["kept", "left_out"], name="shared_choice_once_per_pair")
        ]

    def __str__(self):
        return f"{self.kept_id} ≻ {self.left_out_id}"


class FrozenRecord(models.Model):
    """A record in the year's closed record set: every college-approved record of the year (and those
    carried over from the year before) when the spot-check draw was made. Only these are scored, so a
    record approved later cannot change a sample it could never have been drawn into."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="frozen_records")
    record = models.ForeignKey(
        "teams.ServiceRecord", verbose_name=_("服务记录"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("类别"), max_length=16)

    class Meta:
        verbose_name = _("年度考核记录名单")
        verbose_name_plural = _("年度考核记录名单")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "record"], name="frozen_record_once_per_assessment")
        ]

    def __str__(self):
        return f"{self.assessment_id} ∋ {self.record_id}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class AssessmentResult(models.Model):
    """One team's result: the score as computed when the notice began, its breakdown, and its grade."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("小分队"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("得分"), max_digits=10, decimal_places=2)
    grade = models.CharField(_("档次"), max_length=16, choices=Grade.choices)
    rank = models.PositiveIntegerField(_("名次"))
    breakdown = models.JSONField(_("得分明细"), default=list)
    # The team's records of the year that do not count, each with why (spot check, shared with another
    # team, approved after the draw, removed by a 更正): a published score explains what it leaves out.
    left_out = models.JSONField(_("未计分记录"), default=list)
    highlights = models.TextField(_("工作亮点和特色"), blank=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["assessment", "rank"]
        constraints = [models.UniqueConstraint(fields=["assessment", "team"], name="result_unique_team")]

    def __str__(self):
        return f"{self.team} {self.score}"


class SpotCheckQuerySet(ScopedQuerySet):
    # The records drawn for a spot check and the objections (with their authors' contacts): for the S&T office
    # of the assessment's university only, not even platform administrators.
    scope_paths = ScopePaths(everything=None, university="assessment__university")


class SpotCheck(models.Model):
    """A record drawn for the S&T office's spot check, by category (理工类 / 人文类)."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待抽查")
        UPHELD = "upheld", _("通过")
        REJECTED = "rejected", _("不通过")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="spot_checks")
    record = models.ForeignKey("teams.ServiceRecord", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("类别"), max_length=16)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.PENDING)
    reason = models.TextField(_("不通过原因"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = SpotCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")
        ordering = ["assessment", "category", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "record"], name="spotcheck_unique_record")
        ]

    def __str__(self):
        return f"{self.record_id} {self.result}"


class Objection(models.Model):
    """A written objection lodged during the public notice; it must be answered before results are final."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="objections")
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("涉及小分队"), null=True, blank=True, on_delete=models.SET_NULL
    )
    author = models.CharField(_("署名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"), max_length=3000)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:30]


class Case(models.Model):
    """工作亮点和案例 (案例库): written by a team for a year; the S&T office marks the exemplary ones.
    The archive form's 工作亮点和特色 is built from these."""

    team = models.ForeignKey(
        "teams.Team", verbose_name=_("小分队"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"), max_length=5000)
    exemplary = models.BooleanField(_("典型案例"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("亮点与案例")
        verbose_name_plural = _("案例库")
        ordering = ["-exemplary", "-created_at"]

    def __str__(self):
        return self.title
