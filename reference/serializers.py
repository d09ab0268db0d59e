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
