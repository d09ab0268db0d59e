"""What the API shows of scores, annual assessments and archives (the dashboards are insights.api_urls)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.serializers import RefSerializer
from scoring.models import (
    Assessment,
    AssessmentResult,
    Case,
    Correction,
    Objection,
    SharedItemChoice,
    StrandDraw,
)
from teams.models import SCORED_TYPES, RecordType


class RecordPointsSerializer(serializers.Serializer):
    record_id = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.CharField()
    raw = serializers.DecimalField(max_digits=12, decimal_places=2)
    counted = serializers.DecimalField(max_digits=12, decimal_places=2)


class ItemScoreSerializer(serializers.Serializer):
    record_type = serializers.CharField()
    label = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    raw = serializers.DecimalField(max_digits=12, decimal_places=2)
    score = serializers.DecimalField(max_digits=12, decimal_places=2)
    cap = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    capped = serializers.BooleanField()
    records = RecordPointsSerializer(many=True)


class TeamScoreSerializer(serializers.Serializer):
    """A team's score for a year by Appendix C's table, item by item, caps applied."""

    team_id = serializers.IntegerField()
    year = serializers.IntegerField()
    rule_set_version = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    items = ItemScoreSerializer(many=True)


class ScoreQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(label=_("小分队"), min_value=1, max_value=2**63 - 1)
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class StrandDrawSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display")

    class Meta:
        model = StrandDraw
        fields = ["category", "category_label", "seed", "drawn_at"]
        read_only_fields = fields


class CorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["id", "reason", "removed", "added", "before", "after", "made_at"]
        read_only_fields = fields


class SpotBatchInput(serializers.Serializer):
    ids = serializers.ListField(
        label=_("抽查记录"),
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=5000,
    )
    upheld = serializers.BooleanField(label=_("通过"))
    reason = serializers.CharField(label=_("不通过原因"), max_length=2000, required=False, allow_blank=True)


class SharedChoiceInput(serializers.Serializer):
    kept_id = serializers.IntegerField(label=_("计入的记录"), min_value=1, max_value=2**63 - 1)
    left_out_id = serializers.IntegerField(label=_("不计入的记录"), min_value=1, max_value=2**63 - 1)
    reason = serializers.CharField(label=_("理由"), max_length=500)


class SharedChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = SharedItemChoice
        fields = ["id", "kept", "left_out", "reason", "decided_at"]
        read_only_fields = fields


class CorrectionInput(serializers.Serializer):
    reason = serializers.CharField(label=_("更正理由"), max_length=2000)
    remove = serializers.ListField(
        label=_("移出的服务记录"),
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=1000,
    )
    add = serializers.ListField(
        label=_("补入的服务记录"),
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=1000,
    )


class AssessmentSerializer(serializers.ModelSerializer):
    university = RefSerializer()
    status_label = serializers.CharField(source="get_status_display")
    draws = StrandDrawSerializer(many=True, read_only=True, help_text=_("各类别的抽查抽样（理工类、人文类）"))
    corrections = CorrectionSerializer(many=True, read_only=True, help_text=_("公布后的更正"))

    class Meta:
        model = Assessment
        fields = [
            "id", "university", "year", "status", "status_label", "grade_mode", "excellent_threshold",
            "pass_threshold", "excellent_quota", "spot_share", "spot_seed", "notice_days", "notice_start", "notice_end",
            "published_at", "late_approvals", "frozen_at", "rectification_days", "new_team_days", "draws",
            "corrections",
        ]  # fmt: skip
        read_only_fields = fields


class ResultSerializer(serializers.ModelSerializer):
    team = RefSerializer()
    college = serializers.CharField(source="team.college.name")
    grade_label = serializers.CharField(source="get_grade_display")

    class Meta:
        model = AssessmentResult
        fields = ["id", "rank", "team", "college", "score", "grade", "grade_label"]
        read_only_fields = fields


class ProvisionalSerializer(serializers.Serializer):
    """A row of the preview before the scores are fixed (scoring.assessment.RankedTeam)."""

    rank = serializers.IntegerField()
    team = RefSerializer()
    college = serializers.CharField(source="team.college.name")
    score = serializers.DecimalField(source="score.total", max_digits=12, decimal_places=2)
    grade = serializers.CharField()
    grade_label = serializers.CharField(source="get_grade_display")


class ResultDetailSerializer(ResultSerializer):
    """With the breakdown (the records behind the score): for the team, its college and its office."""

    class Meta(ResultSerializer.Meta):
        fields = [*ResultSerializer.Meta.fields, "breakdown", "highlights"]
        read_only_fields = fields


class ArchiveRowSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    detail = serializers.CharField()
    score = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class ArchiveSerializer(serializers.Serializer):
    """The archive form (归档表) of a team for a year; `missing` lists required entries still empty."""

    team = RefSerializer()
    year = serializers.IntegerField()
    members = serializers.CharField()
    highlights = serializers.CharField()
    photos = serializers.ListField(child=serializers.IntegerField())
    rows = ArchiveRowSerializer(many=True)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    missing = serializers.ListField(child=serializers.CharField())


class DownloadQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("文件格式"), choices=[("xlsx", "Excel"), ("pdf", "PDF")])


class SpotCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assessment = serializers.IntegerField(source="assessment_id")
    category = serializers.CharField()
    record = RefSerializer(source="record_ref")
    team = RefSerializer(source="team_ref")
    result = serializers.CharField()
    reason = serializers.CharField()
    checked_at = serializers.DateTimeField(allow_null=True)


def spot_check_rows(checks) -> list[dict]:
    return [
        {
            "id": c.pk,
            "assessment_id": c.assessment_id,
            "category": c.category,
            "record_ref": {"id": c.record_id, "name": c.record.title},
            "team_ref": {"id": c.record.team_id, "name": c.record.team.name},
            "result": c.result,
            "reason": c.reason,
            "checked_at": c.checked_at,
        }
        for c in checks
    ]


class SpotDrawInput(serializers.Serializer):
    seed = serializers.IntegerField(
        label=_("随机种子"),
        required=False,
        allow_null=True,
        min_value=0,
        max_value=2**63 - 1,
        help_text=_("非负整数；同一种子抽出同一批记录，便于复核。不填则随机生成"),
        error_messages={
            "invalid": _("随机种子应为非负整数。"),
            "min_value": _("随机种子应为非负整数。"),
            "max_value": _("随机种子过大。"),
        },
    )


class SpotDecisionInput(serializers.Serializer):
    upheld = serializers.BooleanField(label=_("结论"), help_text=_("真：通过；假：不通过（须填写原因）"))
    reason = serializers.CharField(label=_("不通过原因"), required=False, allow_blank=True, max_length=2000)


class ObjectionInput(serializers.Serializer):
    """公示异议: in writing and under one's real name (实名书面提出)."""

    author = serializers.CharField(label=_("署名"), max_length=50)
    contact = serializers.CharField(label=_("联系方式"), max_length=100)
    text = serializers.CharField(label=_("异议内容"), max_length=3000)
    team = serializers.IntegerField(
        label=_("涉及小分队"), min_value=1, max_value=2**63 - 1, required=False, allow_null=True
    )


class ObjectionSerializer(serializers.ModelSerializer):
    team = RefSerializer(allow_null=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "assessment",
            "team",
            "author",
            "contact",
            "text",
            "answer",
            "created_at",
            "answered_at",
        ]
        read_only_fields = fields


class ObjectionAnswerInput(serializers.Serializer):
    answer = serializers.CharField(label=_("答复"), max_length=3000)


class CaseSerializer(serializers.ModelSerializer):
    team = RefSerializer()

    class Meta:
        model = Case
        fields = ["id", "team", "year", "title", "text", "exemplary", "created_at"]
        read_only_fields = fields


class CaseInput(serializers.Serializer):
    """工作亮点和案例: a team member writes one for a year (the archive form's 工作亮点和特色)."""

    team = serializers.IntegerField(label=_("小分队"), min_value=1, max_value=2**63 - 1)
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = serializers.CharField(label=_("标题"), max_length=100)
    text = serializers.CharField(label=_("内容"), max_length=5000)


class ExemplaryInput(serializers.Serializer):
    exemplary = serializers.BooleanField(label=_("典型案例"))


class AssessmentOpenInput(serializers.Serializer):
    """A year's assessment and its settings (scoring.forms.AssessmentOpenForm parses them, as on the page)."""

    year = serializers.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    spot_share = serializers.DecimalField(
        label=_("抽查比例（0-1）"), max_digits=4, decimal_places=3, min_value=0, max_value=1
    )
    grade_mode = serializers.ChoiceField(label=_("定档方式"), choices=Assessment.GradeMode.choices)
    excellent_threshold = serializers.DecimalField(
        label=_("优秀分数线"), max_digits=8, decimal_places=2, min_value=0, max_value=100000
    )
    pass_threshold = serializers.DecimalField(
        label=_("合格分数线"), max_digits=8, decimal_places=2, min_value=0, max_value=100000
    )
    excellent_quota = serializers.DecimalField(
        label=_("优秀比例上限（0-1）"), max_digits=4, decimal_places=3, min_value=0, max_value=1
    )
    notice_days = serializers.IntegerField(label=_("公示天数"), min_value=1, max_value=30)
    rectification_days = serializers.IntegerField(
        label=_("不合格整改期限（天，本校设置）"), min_value=7, max_value=365, required=False
    )
    new_team_days = serializers.IntegerField(
        label=_("新组建小分队当年不参评：成立不足天数（本校设置）"),
        min_value=0,
        max_value=365,
        required=False,
    )
    late_approvals = serializers.ChoiceField(
        label=_("抽查名单确定后审核通过的记录（本校设置）"),
        choices=Assessment.LateApprovals.choices,
        required=False,
    )


class RuleItemSerializer(serializers.Serializer):
    record_type = serializers.CharField()
    label = serializers.CharField()
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    unit = serializers.CharField()
    cap = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)


class RuleSetSerializer(serializers.Serializer):
    """A year's scoring table (Appendix C), the version in force."""

    year = serializers.IntegerField()
    version = serializers.IntegerField()
    own = serializers.BooleanField(help_text="true：本校修订的评分表；false：平台通用评分表（附录C）")
    frozen = serializers.BooleanField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    items = RuleItemSerializer(many=True)


# Appendix C's items only: 人才培养 and 党建 are recorded and archived but never scored.
SCORED_CHOICES = [(value, label) for value, label in RecordType.choices if value in SCORED_TYPES]


class RuleChangeInput(serializers.Serializer):
    record_type = serializers.ChoiceField(label=_("评分项"), choices=SCORED_CHOICES)
    points = serializers.DecimalField(
        label=_("分值"), max_digits=8, decimal_places=2, min_value=0, max_value=1000, required=False
    )
    cap = serializers.DecimalField(
        label=_("上限"), max_digits=8, decimal_places=2, min_value=0, max_value=1000, required=False,
        allow_null=True, help_text=_("null 表示不设上限"),
    )  # fmt: skip


class RuleRevisionInput(serializers.Serializer):
    """The changed items; the others are carried into the new version as they are."""

    items = RuleChangeInput(many=True, label=_("修改的评分项"), min_length=1, max_length=len(SCORED_CHOICES))
    note = serializers.CharField(label=_("修订说明"), max_length=200, required=False, allow_blank=True)

    def validate_items(self, items):
        kinds = [item["record_type"] for item in items]
        if len(set(kinds)) != len(kinds):
            raise serializers.ValidationError(_("同一评分项只能出现一次。"))
        return items
