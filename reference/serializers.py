from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reference.models import Discipline, Industry, Region


class IndustrySerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, allow_null=True)
    level_label = serializers.CharField(source="get_level_display")

    class Meta:
        model = Industry
        fields = ["code", "name", "level", "level_label", "parent"]


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, allow_null=True)
    level_label = serializers.CharField(source="get_level_display")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_label", "parent", "longitude", "latitude"]


class DisciplineSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, allow_null=True)

    class Meta:
        model = Discipline
        fields = ["scheme", "code", "name", "level", "parent"]


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class LookupQuerySerializer(serializers.Serializer):
    """The lookups' query: children of `parent`, or names containing `q` (at most 50 characters)."""

    parent = serializers.CharField(required=False, allow_blank=True, max_length=12, label=_("上级代码"))
    q = serializers.CharField(required=False, allow_blank=True, max_length=50, label=_("名称关键词"))


class DisciplineQuerySerializer(LookupQuerySerializer):
    scheme = serializers.ChoiceField(
        choices=Discipline.Scheme.choices, required=False, default=Discipline.Scheme.CSL, label=_("体系")
    )
