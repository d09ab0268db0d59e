"""Input and output of the saved-search (订阅) API (matching.saved_search_apis)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from matching.models import SavedSearch
from reference.choices import ServiceType

ID_MAX = 2**63 - 1
SERVICE_TYPES = [("", _("不限")), *ServiceType.choices]


class SavedSearchSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True, label=_("小分队名称"))

    class Meta:
        model = SavedSearch
        fields = [
            "id",
            "team",
            "team_name",
            "name",
            "query",
            "industry_prefix",
            "region_prefix",
            "service_type",
            "min_score",
            "frequency",
            "active",
            "last_sent_at",
            "created_at",
        ]
        read_only_fields = fields


class _Fields(serializers.Serializer):
    """The subscription's own fields; matching.saved_searches checks them (codes exist, words, length)."""

    name = serializers.CharField(label=_("订阅名称"), max_length=50)
    query = serializers.CharField(label=_("关键词"), max_length=100, required=False, allow_blank=True)
    industry_prefix = serializers.CharField(
        label=_("行业代码"),
        max_length=8,
        required=False,
        allow_blank=True,
        help_text=_("门类字母或数字代码，如 C、35、3533"),
    )
    region_prefix = serializers.CharField(
        label=_("地区代码"), max_length=6, required=False, allow_blank=True, help_text=_("如 33、3310")
    )
    service_type = serializers.ChoiceField(label=_("需求类型"), choices=SERVICE_TYPES, required=False)
    min_score = serializers.FloatField(label=_("最低匹配分"), min_value=0, max_value=1, required=False)
    frequency = serializers.ChoiceField(
        label=_("通知频率"), choices=SavedSearch.Frequency.choices, default=SavedSearch.Frequency.DAILY
    )


class SavedSearchInput(_Fields):
    team = serializers.IntegerField(label=_("小分队"), min_value=1, max_value=ID_MAX)


class SavedSearchUpdateInput(_Fields):
    """A partial change: only the fields sent are changed; `active` pauses or resumes the subscription."""

    active = serializers.BooleanField(label=_("启用"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)
