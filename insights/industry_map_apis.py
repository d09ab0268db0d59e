"""产业图谱 in the API: the same selectors, scoping and numbers as the page (insights.industry_map)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from insights import industry_map as im


class MapQuerySerializer(serializers.Serializer):
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text="统计用区划代码（如 3310）；留空为可查看的最大范围：政府用户为本部门辖区，"
        "科技处为本校所在地区，平台管理员为全国。",
    )
    date_from = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="需求发布日期起（YYYY-MM-DD，含当天）"
    )
    date_to = serializers.CharField(
        required=False, allow_blank=True, max_length=10, help_text="需求发布日期止（YYYY-MM-DD，含当天）"
    )


class _NodeSerializer(serializers.Serializer):
    """One node's numbers; the definitions are those of insights/industry_map.py (and the page)."""

    code = serializers.CharField(help_text="GB/T 4754-2017 行业代码（合计行为空）")
    name = serializers.CharField()
    level = serializers.IntegerField(help_text="0 门类、1 大类、2 中类；合计为 -1")
    enterprises = serializers.IntegerField(help_text="已审核企业数")
    needs_posted = serializers.IntegerField(help_text="曾发布的需求数")
    needs_engaged = serializers.IntegerField(help_text="至少有一个对接达成的需求数")
    needs_resolved = serializers.IntegerField(help_text="已解决的需求数")
    needs_unanswered = serializers.IntegerField(help_text="发布需求 − 获得对接")
    teams_serving = serializers.IntegerField(help_text="有达成、服务中或已完成对接的不同小分队数")
    engagements_open = serializers.IntegerField(help_text="已达成或服务中的对接数")
    engagements_completed = serializers.IntegerField(help_text="已完成的对接数")
    coverage = serializers.FloatField(allow_null=True, help_text="获得对接 ÷ 发布需求（0–1）；无需求时为空")
    served = serializers.ChoiceField(
        choices=list(im.SERVED_LABELS),
        help_text="good 覆盖率≥60%、partial ≥30%、poor <30%、none 无需求",
    )
    served_label = serializers.CharField()


class GroupNodeSerializer(_NodeSerializer):
    pass


class DivisionNodeSerializer(_NodeSerializer):
    children = GroupNodeSerializer(many=True, help_text="中类")


class SectionNodeSerializer(_NodeSerializer):
    children = DivisionNodeSerializer(many=True, help_text="大类")


class MapRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField(help_text="0 省级、1 地级、2 县级")


class IndustryMapSerializer(serializers.Serializer):
    region = MapRegionSerializer(allow_null=True, help_text="所查看的地区；全国时为空")
    total = _NodeSerializer(help_text="该地区合计")
    sections = SectionNodeSerializer(many=True, help_text="门类 → 大类 → 中类，按代码排序")


class IndustryMapApi(APIView):
    """A region's enterprises by industry with their needs, serving teams and engagements."""

    @extend_schema(parameters=[MapQuerySerializer], responses=IndustryMapSerializer, summary="产业图谱")
    def get(self, request):
        query = MapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        region = im.map_region_resolve(request.user, query.validated_data.get("region"))
        period = im.map_period_parse(query.validated_data)
        the_map = im.industry_map(region=region, period=period)
        return Response(IndustryMapSerializer(the_map.as_dict()).data)
