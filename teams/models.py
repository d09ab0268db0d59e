"""科技小分队: teams formed by a college, their members, and what they serve.

The guideline (组织架构及职责 · 科技小分队): a captain of 副高级 or higher, 1-2 deputies (科研 / 产业对接),
at least 3 core teachers, students as dynamic members, and enterprise engineers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Category
from accounts.scope import Lookup, ScopedQuerySet, ScopePaths
from core.models import StoredFile


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


# Whose internals (drafts, records) a user may see: the S&T office its university's teams, a college its
# own, anyone else signed in the teams they are a member of.
MEMBERS_TEAMS = Lookup("members__user", "user")


class TeamQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(
        university="college__university",
        college="college",
        member=MEMBERS_TEAMS,
        enterprise=MEMBERS_TEAMS,
        agency=MEMBERS_TEAMS,
    )


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
    # What kinds of help the team offers (reference.choices.ServiceType values): a structured signal.
    service_types = models.JSONField(_("服务类型"), default=list, blank=True)
    service_foundation = models.TextField(_("现有服务基础和已开展服务项目"), blank=True)
    description = models.TextField(_("团队简介"), blank=True)
    keywords = models.JSONField(_("专长关键词"), default=list, blank=True)
    # Written by matching from the portrait's texts (jieba keywords); shown beside the entered ones.
    extracted_keywords = models.JSONField(_("提取关键词"), default=list, blank=True, editable=False)
    call = models.ForeignKey(
        "Call",
        verbose_name=_("申报批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    # Appendix D's 填报日期: the day the college filled in the application form (kept from an import).
    filled_on = models.DateField(_("填报日期"), null=True, blank=True)
    assignment_handler = models.ForeignKey(
        "Member",
        verbose_name=_("指派对接人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TeamQuerySet.as_manager()

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


class MemberKind(models.TextChoices):
    """Who the person is (5.1): teachers lead and form the core, students are dynamic members, enterprise
    staff are enterprise members."""

    TEACHER = "teacher", _("教师")
    STUDENT = "student", _("学生")
    ENTERPRISE = "enterprise", _("企业人员")


# The kind each role asks for (5.1): 队长、副队长、核心成员 are teachers; 动态成员 students; 企业成员
# enterprise staff. A member's kind defaults to its role's.
ROLE_KINDS = {
    MemberRole.CAPTAIN: MemberKind.TEACHER,
    MemberRole.DEPUTY: MemberKind.TEACHER,
    MemberRole.CORE: MemberKind.TEACHER,
    MemberRole.DYNAMIC: MemberKind.STUDENT,
    MemberRole.ENTERPRISE: MemberKind.ENTERPRISE,
}


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
    kind = models.CharField(_("人员类别"), max_length=16, choices=MemberKind.choices)
    # 5.1: 核心成员 are teachers "具有相关专业背景"; stated here, judged relevant by the college's review.
    background = models.CharField(
        _("专业背景"), max_length=100, blank=True, help_text=_("所学专业或从事的专业领域，如：机械工程")
    )
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


class MemberClaim(models.Model):
    """An invitation to claim a membership entered without an account (by hand or by import): a one-time
    code, stored only as its SHA-256 hash, valid until it expires or is used. The person it is handed
    to signs in and claims the place, so the membership gets their account."""

    member = models.ForeignKey(
        Member, verbose_name=_("成员"), on_delete=models.CASCADE, related_name="claims"
    )
    token_hash = models.CharField(_("邀请码摘要"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("有效期至"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("发出时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认领账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A newer invitation for the same member, or a direct link by the college, closes this one.
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("成员认领邀请")
        verbose_name_plural = _("成员认领邀请")
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return f"{self.member} · {self.expires_at:%Y-%m-%d}"


class CaptainChange(models.Model):
    """变更队长: the captain proposes a successor among the team's teachers, the college approves or
    rejects it with a reason. Every request is kept with its decision: the team's captain history."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待学院审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Outgoing(models.TextChoices):
        CORE = "core", _("转为核心成员")
        LEAVE = "leave", _("退出小分队")

    team = models.ForeignKey(
        Team, verbose_name=_("小分队"), on_delete=models.CASCADE, related_name="captain_changes"
    )
    old_captain = models.ForeignKey(
        Member, verbose_name=_("原队长"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_captain = models.ForeignKey(
        Member, verbose_name=_("拟任队长"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The names as they were, so the history reads the same after a member leaves.
    old_captain_name = models.CharField(_("原队长姓名"), max_length=50)
    new_captain_name = models.CharField(_("拟任队长姓名"), max_length=50)
    outgoing = models.CharField(_("原队长去向"), max_length=8, choices=Outgoing.choices)
    reason = models.TextField(_("变更理由"), max_length=2000)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审核意见"), blank=True)
    old_team_name = models.CharField(_("原小分队名称"), max_length=100)
    new_team_name = models.CharField(_("变更后名称"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("队长变更")
        verbose_name_plural = _("队长变更")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per team at a time.
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(status="pending"), name="captain_change_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.old_captain_name} → {self.new_captain_name}（{self.get_status_display()}）"


class CallQuerySet(ScopedQuerySet):
    # A university's calls: for everyone of the university (its S&T office, colleges, teachers). Platform
    # administrators see every team and every call (ScopePaths' default).
    scope_paths = ScopePaths(
        university=Lookup("university", "home_university"),
        college=Lookup("university", "home_university"),
        member=Lookup("university", "home_university"),
    )


class Call(models.Model):
    """申报批次: the S&T office publishes the requirements and a deadline; teachers apply within it."""

    university = models.ForeignKey(
        "accounts.University", verbose_name=_("高校"), on_delete=models.PROTECT, related_name="calls"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("批次名称"), max_length=100)
    requirements = models.TextField(_("申报要求和条件"))
    deadline = models.DateTimeField(_("截止时间"))
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["-year", "-deadline"]

    def __str__(self):
        return self.title


class TeamTransition(models.Model):
    """One step of a team through Appendix E's flow: who, when, from, to, and why."""

    team = models.ForeignKey(
        Team, verbose_name=_("小分队"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=20, choices=Team.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Team.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("小分队流转记录")
        verbose_name_plural = _("小分队流转记录")
        ordering = ["team", "at", "id"]

    def __str__(self):
        return f"{self.team_id}: {self.from_status} → {self.to_status}"


class Rectification(models.Model):
    """整改: a measure, a responsible person and a deadline, tracked to closure."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        CLOSED = "closed", _("已完成")

    team = models.ForeignKey(
        Team, verbose_name=_("小分队"), on_delete=models.CASCADE, related_name="rectifications"
    )
    reason = models.TextField(_("整改原因"))
    measure = models.TextField(_("整改措施"))
    responsible = models.CharField(_("责任人"), max_length=50)
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("整改结果"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # The daily reminder's marks, so each is sent once: before the deadline to the team, after it to
    # the college (teams.feedback).
    reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("逾期上报时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.team} · {self.measure[:20]}"


class RecordType(models.TextChoices):
    """Appendix C's items, in its order (the scoring rules, in scoring, are keyed by these values), then
    the work 6.1 asks of every team that Appendix C does not score (UNSCORED_TYPES): 人才培养 and 党建.

    人才培养 has one kind per dimension the guideline names (6.1.2: 专业、课程建设; 双创实践; 社会实践)
    rather than one kind with a sub-kind: each is filtered, counted and archived on its own, and a record
    is one kind, as every other record is. 学科建设 is Appendix C's 联合创建学科平台或团队 (scored).
    党建 (6.1.3: 党建联建, 党建品牌, 思政育人) is one kind: the guideline asks for the work, not a split."""

    SERVICE_VISIT = "service_visit", _("赴政府机关、企事业单位或行业开展服务")
    TRAINING = "training", _("开展培训、讲座")
    TECH_TRANSFER = "tech_transfer", _("科技成果转化项目")
    HORIZONTAL_PROJECT = "horizontal_project", _("横向科研项目")
    VERTICAL_PROJECT = "vertical_project", _("联合立项纵向科研项目")
    PAPER = "paper", _("联合发表学术论文")
    PATENT = "patent", _("联合授权专利")
    STANDARD = "standard", _("联合起草标准")
    CONSULTING_REPORT = "consulting_report", _("咨询报告和政策建议")
    AWARD = "award", _("联合获评科技成果奖")
    PLATFORM = "platform", _("联合创建学科平台或团队")
    AGREEMENT_COMPREHENSIVE = "agreement_comprehensive", _("全面合作协议或科研平台合作协议")
    AGREEMENT_INTERNSHIP = "agreement_internship", _("实习相关协议")
    PLAN_REPORT = "plan_report", _("规划、调研报告、设计方案")
    APPRAISAL = "appraisal", _("联合技术成果鉴定或登记")
    TALENT_CURRICULUM = "talent_curriculum", _("人才培养：专业与课程建设")
    TALENT_INNOVATION = "talent_innovation", _("人才培养：双创实践")
    TALENT_PRACTICE = "talent_practice", _("人才培养：社会实践")
    PARTY_BUILDING = "party_building", _("党建与思想教育活动")


# 6.1's work that Appendix C gives no points: recorded, reviewed and archived, never scored.
UNSCORED_TYPES = {
    RecordType.TALENT_CURRICULUM,
    RecordType.TALENT_INNOVATION,
    RecordType.TALENT_PRACTICE,
    RecordType.PARTY_BUILDING,
}
# Appendix C's items: the kinds a scoring rule may name.
SCORED_TYPES = set(RecordType) - UNSCORED_TYPES


# Types whose quantity is an amount in 万元 rather than a count.
AMOUNT_TYPES = {RecordType.TECH_TRANSFER, RecordType.HORIZONTAL_PROJECT}
# The largest contract a record may state, in 万元 (100 亿元): far above any 横向 project or transfer,
# low enough to catch an amount typed in 元 instead of 万元.
MAX_AMOUNT_WAN = 1_000_000
AMOUNT_TOO_LARGE = _("金额不能超过 1000000 万元（100 亿元），请确认单位是万元。")
# The amount field's messages, for the page's form and the API's serializer alike (Django and DRF name
# these errors the same).
AMOUNT_ERRORS = {
    "max_value": AMOUNT_TOO_LARGE,
    "max_digits": AMOUNT_TOO_LARGE,
    "max_whole_digits": AMOUNT_TOO_LARGE,
    "max_decimal_places": _("金额最多保留两位小数（万元）。"),
}
# Types that are one achievement with an identity (DOI or title, patent number, contract number):
# the same achievement may be claimed by one team only (Appendix C: 不得重复计分).
# 实习相关协议's identity is the agreement (its 协议编号): one signed agreement, however many students it
# places, is one record. The unscored kinds are activities, not achievements with an identity.
ACHIEVEMENT_TYPES = SCORED_TYPES - {RecordType.SERVICE_VISIT, RecordType.TRAINING}


class ServiceRecord(models.Model):
    """A piece of the team's work, of one Appendix C type, with its evidence (佐证材料)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待学院审核")
        APPROVED = "approved", _("学院已审核")
        RETURNED = "returned", _("已退回")
        SPOT_UPHELD = "spot_upheld", _("抽查通过")
        SPOT_REJECTED = "spot_rejected", _("抽查不通过")

    team = models.ForeignKey(Team, verbose_name=_("小分队"), on_delete=models.PROTECT, related_name="records")
    record_type = models.CharField(_("类型"), max_length=32, choices=RecordType.choices)
    date = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=200)
    served_organisation = models.CharField(_("服务对象"), max_length=100)
    served_enterprise = models.ForeignKey(
        "accounts.Enterprise", verbose_name=_("服务企业"), null=True, blank=True, on_delete=models.SET_NULL
    )
    participants = models.ManyToManyField(Member, verbose_name=_("参与成员"), blank=True)
    description = models.TextField(_("服务情况"), max_length=5000)
    amount_wan = models.DecimalField(
        _("金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    achievement_key = models.CharField(
        _("成果标识"), max_length=200, blank=True, help_text=_("论文 DOI 或题名、专利号、合同编号等")
    )
    normalised_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("审核意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-date", "-id"]
        constraints = [
            # The no-double-counting rule, held by the database too: one claim per achievement.
            models.UniqueConstraint(
                fields=["record_type", "normalised_key"],
                condition=~models.Q(normalised_key=""),
                name="record_achievement_claimed_once",
            )
        ]

    def __str__(self):
        return self.title


class RecordTransition(models.Model):
    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("服务记录"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16, choices=ServiceRecord.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ServiceRecord.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务记录流转")
        verbose_name_plural = _("服务记录流转")
        ordering = ["record", "at", "id"]

    def __str__(self):
        return f"{self.record_id}: {self.from_status} → {self.to_status}"


class Evidence(StoredFile):
    """佐证材料: stored outside the public media path and served only to those allowed."""

    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("服务记录"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to="evidence/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
