"""What the API shows of teams, members, portraits, service records and evidence, and the input it
documents. Input is parsed by the pages' own forms (teams.forms, through core.api_support), which
resolve codes and names with the pages' messages; the rules are teams.services' and teams.records'."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import CodeNameSerializer, RefSerializer, UploadSerializer  # noqa: F401 - shared shapes
from reference.choices import ServiceType
from teams import permissions, selectors
from teams.models import (
    AMOUNT_ERRORS,
    MAX_AMOUNT_WAN,
    CaptainChange,
    Evidence,
    Member,
    MemberKind,
    MemberRole,
    QualifyingLevel,
    RecordType,
    ServiceRecord,
    Team,
    Theme,
    WorkMode,
)
from teams.records import EDITABLE, RECORD_STEPS
from teams.services import EDITABLE_STATES, TRANSITIONS, team_violations


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    comment_required = serializers.BooleanField()
    special = serializers.BooleanField()


class HistorySerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    comment = serializers.CharField()
    at = serializers.DateTimeField()


def history_rows(rows) -> list[dict]:
    return [
        {
            "action": r["t"].action,
            "label": str(r["label"]),
            "from_status": r["t"].from_status,
            "to_status": r["t"].to_status,
            "actor": str(r["t"].actor) if r["t"].actor else None,
            "comment": r["t"].comment,
            "at": r["t"].at,
        }
        for r in rows
    ]


def _user(serializer):
    request = serializer.context.get("request")
    return request.user if request else None


class TeamSerializer(serializers.ModelSerializer):
    """A team as its members, its college, its university's S&T office and platform administrators see it."""

    college = RefSerializer()
    work_mode_label = serializers.CharField(source="get_work_mode_display")
    theme_label = serializers.CharField(source="get_theme_display")
    category_label = serializers.CharField(source="get_category_display")
    status_label = serializers.CharField(source="get_status_display")
    industries = CodeNameSerializer(many=True)
    regions = CodeNameSerializer(many=True)
    disciplines = serializers.SerializerMethodField()
    served_enterprises = RefSerializer(many=True)
    my_role = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = [
            "id", "name", "college", "work_mode", "work_mode_label", "theme", "theme_label", "category",
            "category_label", "status", "status_label", "industries", "regions", "disciplines",
            "served_enterprises", "service_types", "service_content", "service_foundation", "description",
            "keywords", "extracted_keywords", "call", "filled_on", "created_at", "updated_at", "my_role",
            "actions", "problems",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(CodeNameSerializer(many=True))
    def get_disciplines(self, team):
        return [{"code": d.code, "name": d.name} for d in team.disciplines.all()]

    def get_my_role(self, team) -> str:
        user = _user(self)
        member = selectors.member_of(user, team) if user and user.is_authenticated else None
        return member.role if member else ""

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, team):
        user = _user(self)
        if user is None:
            return []
        return [{**a, "label": str(a["label"])} for a in selectors.available_actions(user, team)]

    def get_problems(self, team) -> list[str]:
        """What the draft still breaks (submission is refused until this is empty)."""
        return [str(p) for p in team_violations(team)] if team.status in EDITABLE_STATES else []


class TeamCreateInput(serializers.Serializer):
    """A new draft; the asker (a teacher) becomes its captain. Checked by teams.forms.TeamCreateForm."""

    name = serializers.CharField(label=_("小分队名称"), max_length=100)
    work_mode = serializers.ChoiceField(label=_("工作模式"), choices=WorkMode.choices)
    theme = serializers.ChoiceField(label=_("主题"), choices=Theme.choices)
    call = serializers.IntegerField(label=_("申报批次"), required=False, allow_null=True)
    service_content = serializers.CharField(label=_("服务内容"), required=False, allow_blank=True)
    captain_title = serializers.CharField(label=_("队长职称"), max_length=30)
    qualifying_project = serializers.CharField(label=_("队长主持的代表性项目"), max_length=200)
    qualifying_level = serializers.ChoiceField(label=_("项目级别"), choices=QualifyingLevel.choices)
    qualifying_amount_yuan = serializers.DecimalField(
        label=_("横向项目金额（元）"), max_digits=14, decimal_places=2, required=False, allow_null=True
    )


class TeamUpdateInput(serializers.Serializer):
    """Only what changes; the rest stays. Checked by teams.forms.TeamEditForm, then teams.services."""

    name = serializers.CharField(label=_("小分队名称"), max_length=100, required=False)
    work_mode = serializers.ChoiceField(label=_("工作模式"), choices=WorkMode.choices, required=False)
    theme = serializers.ChoiceField(label=_("主题"), choices=Theme.choices, required=False)
    industries = serializers.ListField(child=serializers.CharField(), label=_("服务行业代码"), required=False)
    regions = serializers.ListField(
        child=serializers.CharField(), label=_("服务地区代码（省 2 位、市 4 位、区县 6 位）"), required=False
    )
    disciplines = serializers.ListField(
        child=serializers.IntegerField(), label=_("学科（CSL 一级学科编号）"), required=False
    )
    served_enterprises = serializers.ListField(
        child=serializers.CharField(), label=_("对接企业全称"), required=False
    )
    service_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceType.choices), label=_("服务类型"), required=False
    )
    service_content = serializers.CharField(label=_("服务内容"), required=False)
    service_foundation = serializers.CharField(label=_("服务基础"), required=False, allow_blank=True)
    description = serializers.CharField(label=_("团队简介"), required=False, allow_blank=True)
    keywords = serializers.ListField(child=serializers.CharField(), label=_("专长关键词"), required=False)


class TransitionInput(serializers.Serializer):
    action = serializers.ChoiceField(
        label=_("操作"),
        choices=[(k, str(t.label)) for k, t in TRANSITIONS.items() if k not in selectors.SPECIAL_ACTIONS],
    )
    comment = serializers.CharField(label=_("意见"), required=False, allow_blank=True, max_length=2000)


class ReviewInput(serializers.Serializer):
    approve = serializers.BooleanField(label=_("审核结论"), help_text=_("真：通过；假：退回（须填写意见）"))
    comment = serializers.CharField(label=_("意见"), required=False, allow_blank=True, max_length=2000)


class RectificationInput(serializers.Serializer):
    reason = serializers.CharField(label=_("整改原因"))
    measure = serializers.CharField(label=_("整改措施"))
    responsible = serializers.CharField(label=_("责任人"), max_length=50)
    deadline = serializers.DateField(label=_("完成时限"))


class MemberSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display")
    kind = serializers.ChoiceField(choices=MemberKind.choices, allow_blank=True, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display")
    # Optional choices are "" when unset; declared so the schema allows it (DRF drops allow_blank from
    # read-only model fields; found by tests/api/test_schemathesis.py).
    deputy_focus = serializers.ChoiceField(
        choices=Member.DeputyFocus.choices, allow_blank=True, read_only=True
    )
    student_level = serializers.ChoiceField(
        choices=Member.StudentLevel.choices, allow_blank=True, read_only=True
    )
    qualifying_level = serializers.ChoiceField(
        choices=QualifyingLevel.choices, allow_blank=True, read_only=True
    )
    enterprise = RefSerializer(allow_null=True)
    has_account = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id", "team", "name", "role", "role_label", "kind", "kind_label", "background", "title",
            "deputy_focus", "student_level", "enterprise", "research_direction", "qualifying_project",
            "qualifying_level", "qualifying_amount_yuan", "has_account",
        ]  # fmt: skip
        read_only_fields = fields

    def get_has_account(self, member) -> bool:
        return member.user_id is not None


class MemberInput(serializers.Serializer):
    """Checked by teams.forms.MemberAddForm (a new member) or MemberEditForm (a correction)."""

    team = serializers.IntegerField(label=_("小分队"), help_text=_("仅新增时填写"), required=False)
    name = serializers.CharField(label=_("姓名"), max_length=50)
    role = serializers.ChoiceField(label=_("角色"), choices=MemberRole.choices, required=False)
    kind = serializers.ChoiceField(
        label=_("人员类别"),
        choices=MemberKind.choices,
        required=False,
        allow_blank=True,
        help_text=_("不填按角色：队长、副队长、核心成员为教师，动态成员为学生，企业成员为企业人员"),
    )
    background = serializers.CharField(
        label=_("专业背景"), max_length=100, required=False, allow_blank=True, help_text=_("核心成员必填")
    )
    title = serializers.CharField(label=_("职称"), max_length=30, required=False, allow_blank=True)
    deputy_focus = serializers.ChoiceField(
        label=_("副队长分工"), choices=Member.DeputyFocus.choices, required=False, allow_blank=True
    )
    student_level = serializers.ChoiceField(
        label=_("学生层次"), choices=Member.StudentLevel.choices, required=False, allow_blank=True
    )
    enterprise = serializers.IntegerField(label=_("所在企业"), required=False, allow_null=True)
    research_direction = serializers.CharField(
        label=_("研究方向"), max_length=200, required=False, allow_blank=True
    )
    username = serializers.CharField(label=_("平台登录名"), max_length=150, required=False, allow_blank=True)


class PortraitSerializer(serializers.Serializer):
    """The public portrait (画像): expertise and track record, never contact details."""

    team_id = serializers.IntegerField()
    name = serializers.CharField()
    college = serializers.CharField()
    category = serializers.CharField()
    theme = serializers.CharField()
    work_mode = serializers.CharField()
    industry_codes = serializers.ListField(child=serializers.CharField())
    industry_names = serializers.ListField(child=serializers.CharField())
    region_codes = serializers.ListField(child=serializers.CharField())
    region_names = serializers.ListField(child=serializers.CharField())
    disciplines = serializers.ListField(child=serializers.CharField())
    service_types = serializers.ListField(child=serializers.CharField())
    keywords = serializers.ListField(child=serializers.CharField())
    extracted_keywords = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    service_content = serializers.CharField()
    service_foundation = serializers.CharField()
    research_directions = serializers.ListField(child=serializers.CharField())
    served_enterprises = serializers.ListField(child=serializers.CharField())
    member_counts = serializers.DictField(child=serializers.IntegerField())
    works = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "record", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class RecordSerializer(serializers.ModelSerializer):
    team = RefSerializer()
    record_type_label = serializers.CharField(source="get_record_type_display")
    status_label = serializers.CharField(source="get_status_display")
    served_enterprise = RefSerializer(allow_null=True)
    participants = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRecord
        fields = [
            "id", "team", "record_type", "record_type_label", "date", "title", "served_organisation",
            "served_enterprise", "participants", "description", "amount_wan", "achievement_key", "status",
            "status_label", "review_comment", "created_at", "updated_at", "evidence", "actions",
        ]  # fmt: skip
        read_only_fields = fields

    def get_actions(self, record) -> list[str]:
        """What the asker may do now: edit, submit, approve, return (teams.records checks again)."""
        user = _user(self)
        if user is None:
            return []
        actions = []
        if permissions.team_member_of(user, record.team) and record.status in EDITABLE:
            actions.append("edit")
        for name, (sources, _target, allowed, _comment) in RECORD_STEPS.items():
            if record.status in sources and allowed(user, record.team):
                actions.append(name)
        return actions


class RecordInput(serializers.Serializer):
    """Checked by teams.forms.RecordForm, then teams.records (amounts, achievement keys, no double claim)."""

    team = serializers.IntegerField(label=_("小分队"), help_text=_("仅新增时填写"), required=False)
    record_type = serializers.ChoiceField(label=_("类型"), choices=RecordType.choices)
    date = serializers.DateField(label=_("日期"))
    title = serializers.CharField(label=_("标题"), max_length=200)
    served_organisation = serializers.CharField(label=_("服务对象"), max_length=100)
    participants = serializers.ListField(
        child=serializers.IntegerField(), label=_("参与成员"), required=False
    )
    description = serializers.CharField(label=_("服务情况"), max_length=5000)
    amount_wan = serializers.DecimalField(
        label=_("金额（万元）"),
        max_digits=12,
        decimal_places=2,
        max_value=MAX_AMOUNT_WAN,
        required=False,
        allow_null=True,
        error_messages=AMOUNT_ERRORS,
    )
    achievement_key = serializers.CharField(
        label=_("成果标识"), max_length=200, required=False, allow_blank=True
    )


class CallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    title = serializers.CharField()
    requirements = serializers.CharField()
    deadline = serializers.DateTimeField()
    open = serializers.SerializerMethodField()

    def get_open(self, call) -> bool:
        from django.utils import timezone

        return call.deadline > timezone.now()


class CallInput(serializers.Serializer):
    """Checked by teams.forms.CallForm, then teams.services.call_create."""

    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = serializers.CharField(label=_("批次名称"), max_length=100)
    requirements = serializers.CharField(label=_("申报要求和条件"))
    deadline = serializers.CharField(label=_("截止时间"), help_text=_("如 2026-12-31 17:00"))


class RectificationCloseInput(serializers.Serializer):
    outcome = serializers.CharField(label=_("整改结果"))


class MemberClaimIssuedSerializer(serializers.Serializer):
    """A new invitation: its code is shown this once and never stored (only its hash is)."""

    member = serializers.IntegerField(source="claim.member_id", label=_("成员"))
    code = serializers.CharField(label=_("邀请码"))
    link = serializers.CharField(label=_("认领链接"))
    expires_at = serializers.DateTimeField(source="claim.expires_at", label=_("有效期至"))


class ClaimRedeemInput(serializers.Serializer):
    token = serializers.CharField(label=_("认领邀请码"), max_length=100)


class MemberLinkInput(serializers.Serializer):
    user = serializers.IntegerField(label=_("平台账号"), help_text=_("本学院教师或学生账号的编号"))


class CaptainChangeSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    outgoing_label = serializers.CharField(source="get_outgoing_display")
    requested_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = CaptainChange
        fields = [
            "id", "team", "old_captain", "new_captain", "old_captain_name", "new_captain_name", "outgoing",
            "outgoing_label", "reason", "status", "status_label", "requested_by", "requested_at", "decided_by",
            "decided_at", "decision_comment", "old_team_name", "new_team_name",
        ]  # fmt: skip
        read_only_fields = fields


class CaptainChangeInput(serializers.Serializer):
    """Checked by teams.forms.CaptainChangeForm, then teams.captaincy."""

    new_captain = serializers.IntegerField(
        label=_("拟任队长"), help_text=_("本小分队副队长或核心成员的成员编号")
    )
    outgoing = serializers.ChoiceField(label=_("原队长去向"), choices=CaptainChange.Outgoing.choices)
    reason = serializers.CharField(label=_("变更理由"), max_length=2000)


class CaptainChangeDecisionInput(serializers.Serializer):
    approve = serializers.BooleanField(label=_("审核结论"), help_text=_("真：批准；假：不批准（须填写理由）"))
    comment = serializers.CharField(label=_("审核意见"), required=False, allow_blank=True, max_length=2000)
