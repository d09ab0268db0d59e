"""What the API shows of recommendations (both ways) and engagements, and the input it documents.
Input is parsed by matching.forms (the pages' forms); engagements.services decides."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import CodeNameSerializer, RefSerializer
from engagements import selectors
from engagements.models import Engagement
from matching import selectors as recommendations


class FactorSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField()
    width = serializers.IntegerField()
    negative = serializers.BooleanField()


class ExplainedSerializer(serializers.Serializer):
    """Why this pair was recommended: the ranker's per-factor contributions and the shared keywords."""

    total = serializers.FloatField(allow_null=True)
    factors = FactorSerializer(many=True)
    matched_keywords = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())


class EngagementRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class RecommendedTeamSerializer(serializers.Serializer):
    """A need's recommended team, for the need's enterprise (or a moderator)."""

    rank = serializers.IntegerField()
    score = serializers.FloatField()
    team = RefSerializer()
    explained = ExplainedSerializer()
    industries = serializers.ListField(child=serializers.CharField())
    regions = serializers.ListField(child=serializers.CharField())
    keywords = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()
    engagement = EngagementRefSerializer(allow_null=True)


class FeedNeedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    industry = CodeNameSerializer()
    region = CodeNameSerializer()
    service_types = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    published_at = serializers.DateTimeField()


class RecommendedNeedSerializer(serializers.Serializer):
    """A need recommended to a team, with the enterprise named only as it asked."""

    rank = serializers.IntegerField()
    score = serializers.FloatField()
    need = FeedNeedSerializer()
    enterprise_display = serializers.CharField()
    explained = serializers.SerializerMethodField()
    engagement = serializers.SerializerMethodField()

    @extend_schema_field(ExplainedSerializer)
    def get_explained(self, rec):
        return ExplainedSerializer(recommendations.explanation_view(rec.explanation)).data

    @extend_schema_field(EngagementRefSerializer(allow_null=True))
    def get_engagement(self, rec):
        engagement = self.context.get("engagements", {}).get(rec.need_id)
        return {"id": engagement.pk, "status": engagement.status} if engagement else None


class ContactSerializer(serializers.Serializer):
    role = serializers.CharField(required=False)
    real_name = serializers.CharField()
    username = serializers.CharField(required=False)
    phone = serializers.CharField()
    email = serializers.CharField()


class ContactsSerializer(serializers.Serializer):
    enterprise = ContactSerializer(many=True)
    team = ContactSerializer(many=True)


class EngagementSerializer(serializers.ModelSerializer):
    """An engagement as the asker may see it: contacts only once agreed and only for the two parties."""

    need = serializers.SerializerMethodField()
    team = RefSerializer()
    origin_label = serializers.CharField(source="get_origin_display")
    status_label = serializers.CharField(source="get_status_display")
    enterprise_name = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    can_record = serializers.SerializerMethodField()

    class Meta:
        model = Engagement
        fields = [
            "id", "need", "team", "origin", "origin_label", "status", "status_label", "proposal", "scope",
            "rating", "rating_comment", "end_reason", "created_at", "agreed_at", "started_at", "completed_at",
            "ended_at", "enterprise_name", "contacts", "actions", "can_record",
        ]  # fmt: skip
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(RefSerializer)
    def get_need(self, engagement):
        return {"id": engagement.need_id, "name": engagement.need.title}

    def get_enterprise_name(self, engagement) -> str:
        return selectors.engagement_enterprise_name(self._user(), engagement)

    @extend_schema_field(ContactsSerializer(allow_null=True))
    def get_contacts(self, engagement):
        return selectors.engagement_contacts(self._user(), engagement)

    def get_actions(self, engagement) -> list[str]:
        return sorted(selectors.engagement_actions(self._user(), engagement))

    def get_can_record(self, engagement) -> bool:
        return selectors.engagement_can_record(self._user(), engagement)


class EngagementCreateInput(serializers.Serializer):
    """An invitation (the need's enterprise invites a serving team) or 揭榜 (a captain or deputy declares
    interest with a short proposal)."""

    origin = serializers.ChoiceField(
        label=_("发起方式"),
        choices=[(Engagement.Origin.INVITATION, _("企业邀请")), (Engagement.Origin.INTEREST, _("团队揭榜"))],
    )
    need = serializers.IntegerField(label=_("需求"), min_value=1, max_value=2**63 - 1)
    team = serializers.IntegerField(label=_("小分队"), min_value=1, max_value=2**63 - 1)
    message = serializers.CharField(
        label=_("邀请说明或揭榜方案"), required=False, allow_blank=True, max_length=2000
    )


class ScopeInput(serializers.Serializer):
    scope = serializers.CharField(label=_("对接内容与范围"), max_length=2000)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(label=_("原因"), max_length=200)


class CompleteInput(serializers.Serializer):
    rating = serializers.IntegerField(label=_("服务评分"), min_value=1, max_value=5)
    comment = serializers.CharField(label=_("评价"), required=False, allow_blank=True, max_length=1000)
