"""What the API shows of needs and the input it accepts. Serializers only parse types; every rule about
a need lives in demand.services (clean_need_fields and the lifecycle), as for the pages."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.serializers import CodeNameSerializer, RefSerializer, UploadSerializer  # noqa: F401 - shared shapes
from demand import selectors
from demand.models import Need, NeedAttachment, NeedEvent, ServiceType
from demand.services import DESCRIPTION_MAX, TITLE_MAX


class NeedSerializer(serializers.ModelSerializer):
    """A need as the asker may see it: the enterprise is named as it asked (`enterprise_display`); its
    identity (`enterprise`) only to the owner and to moderators."""

    industry = CodeNameSerializer()
    region = CodeNameSerializer()
    status_label = serializers.CharField(source="get_status_display")
    service_type_labels = serializers.ListField(child=serializers.CharField())
    enterprise_display = serializers.SerializerMethodField()
    enterprise = serializers.SerializerMethodField()
    is_mine = serializers.SerializerMethodField()

    class Meta:
        model = Need
        fields = [
            "id", "title", "description", "industry", "region", "service_types", "service_type_labels",
            "budget_min", "budget_max", "expected_start", "duration_months", "show_enterprise", "status",
            "status_label", "close_reason", "enterprise_display", "enterprise", "is_mine", "created_at",
            "published_at", "engaged_at", "resolved_at", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return request.user if request else None

    def _insider(self, need) -> bool:
        user = self._user()
        return user is not None and (selectors.is_owner(user, need) or selectors.is_moderator(user))

    def get_enterprise_display(self, need) -> str:
        display = getattr(need, "enterprise_display", None)
        return display if display is not None else selectors.enterprise_display_name(need)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_enterprise(self, need):
        if not self._insider(need):
            return None
        return {"id": need.enterprise_id, "name": need.enterprise.name}

    def get_is_mine(self, need) -> bool:
        user = self._user()
        return user is not None and selectors.is_owner(user, need)


class NeedInputSerializer(serializers.Serializer):
    """A need's fields, parsed; demand.services checks them (lengths, codes, budget order …)."""

    title = serializers.CharField(label=_("需求标题"), max_length=TITLE_MAX)
    description = serializers.CharField(label=_("需求描述"), max_length=DESCRIPTION_MAX)
    industry = serializers.CharField(label=_("所属行业代码"), max_length=8, required=False)
    region = serializers.CharField(label=_("所在地区代码"), max_length=6, required=False)
    # Values are checked by the service (the page's rule and message), so only their type is parsed here.
    service_types = serializers.ListField(
        child=serializers.CharField(max_length=32),
        label=_("需求类型"),
        help_text=_("服务类型代码，见 /api/v1/service-types/"),
        max_length=len(ServiceType.choices),
    )
    budget_min = serializers.DecimalField(
        label=_("预算下限（万元）"), max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    budget_max = serializers.DecimalField(
        label=_("预算上限（万元）"), max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    expected_start = serializers.DateField(label=_("期望开始日期"), required=False, allow_null=True)
    duration_months = serializers.IntegerField(
        label=_("预计周期（月）"), required=False, allow_null=True, min_value=1, max_value=120
    )
    show_enterprise = serializers.BooleanField(label=_("公开企业名称"), required=False)


class NeedCreateSerializer(NeedInputSerializer):
    submit = serializers.BooleanField(
        label=_("同时提交审核"), required=False, default=False, help_text=_("为真时保存后立即提交审核")
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("原因"), max_length=200)


class ModerateSerializer(serializers.Serializer):
    approve = serializers.BooleanField(label=_("审核结论"), help_text=_("真：发布；假：退回"))
    comment = serializers.CharField(label=_("审核意见"), max_length=500, required=False, allow_blank=True)


class NeedEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField()
    actor = serializers.CharField(source="actor.__str__", default=None, allow_null=True)

    class Meta:
        model = NeedEvent
        fields = ["action", "action_label", "from_status", "to_status", "actor", "changes", "comment", "at"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]
