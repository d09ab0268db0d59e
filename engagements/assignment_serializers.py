"""What the API shows of assignments (指派) and of the talent rankings, and the input it accepts.
Serializers only parse types; the rules live in engagements.assignments and talent.services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import RefSerializer
from engagements.models import Assignment


class AssignmentSerializer(serializers.ModelSerializer):
    need = serializers.SerializerMethodField()
    team = RefSerializer()
    status_label = serializers.CharField(source="get_status_display")
    assigned_by = serializers.SerializerMethodField()
    responded_by = serializers.SerializerMethodField()
    engagement = serializers.IntegerField(source="engagement_id", allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id", "need", "team", "assigned_by", "message", "deadline", "status", "status_label", "reason",
            "created_at", "responded_at", "responded_by", "escalated_at", "engagement", "match_rank",
            "match_score", "overdue",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(RefSerializer)
    def get_need(self, assignment):
        return {"id": assignment.need_id, "name": assignment.need.title}

    def get_assigned_by(self, assignment) -> str | None:
        return str(assignment.assigned_by) if assignment.assigned_by_id else None

    def get_responded_by(self, assignment) -> str | None:
        return str(assignment.responded_by) if assignment.responded_by_id else None

    def get_overdue(self, assignment) -> bool:
        from django.utils import timezone

        return assignment.status == Assignment.Status.ESCALATED or (
            assignment.status == Assignment.Status.PENDING and assignment.deadline < timezone.now()
        )


class AssignmentInputSerializer(serializers.Serializer):
    need = serializers.IntegerField(label=_("需求"))
    team = serializers.IntegerField(label=_("小分队"))
    deadline = serializers.DateTimeField(label=_("响应期限"))
    message = serializers.CharField(label=_("指派说明"), max_length=2000, required=False, allow_blank=True)


class AssignmentScopeSerializer(serializers.Serializer):
    scope = serializers.CharField(label=_("对接内容与范围"), max_length=2000)


class AssignmentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("原因"), max_length=200)


class CandidateSerializer(serializers.Serializer):
    """A team the operator may assign the need to: the matcher's rank and reasons beside its load."""

    team = RefSerializer()
    rank = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())
    matched_keywords = serializers.ListField(child=serializers.CharField())
    open_engagements = serializers.IntegerField()
    pending_assignments = serializers.IntegerField()
    busy_on_need = serializers.CharField(help_text=_("不能指派的原因；可指派时为空"))


class AssignmentStatsSerializer(serializers.Serializer):
    team = RefSerializer()
    total = serializers.IntegerField()
    pending = serializers.IntegerField()
    accepted = serializers.IntegerField()
    declined = serializers.IntegerField()
    escalated = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    accept_rate = serializers.FloatField(allow_null=True)
    median_response_hours = serializers.FloatField(allow_null=True, help_text=_("从指派到接受或谢绝"))


class HandlerSerializer(serializers.Serializer):
    team = RefSerializer()
    handler = RefSerializer(allow_null=True, help_text=_("null：由队长响应"))


class HandlerInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(
        label=_("指派对接人"), allow_null=True, help_text=_("本队成员的 id；null 表示由队长响应")
    )
