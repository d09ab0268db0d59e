"""Reference lookups for forms and clients: industries (GB/T 4754), regions, disciplines, service types.

Public and read-only. Without `q`, a list is one level of the tree (the top, or the children of `parent`,
as the pages' cascading pickers show it); with `q`, the rows whose name contains it, broadest first.
"""

import re

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from reference import filters, selectors, serializers
from reference.choices import ServiceType
from reference.models import Discipline, Industry, Region

INDUSTRY_TEXT = re.compile(r"[A-Za-z0-9]{1,8}")
REGION_TEXT = re.compile(r"[0-9]{1,12}")


class _Lookup(generics.ListAPIView):
    permission_classes = [permissions.AllowAny]
    filter_backends = [DjangoFilterBackend]


@extend_schema(summary="行业（GB/T 4754-2017）")
class IndustryList(_Lookup):
    serializer_class = serializers.IndustrySerializer
    filterset_class = filters.IndustryLookupFilter

    def get_queryset(self):
        return Industry.objects.select_related("parent")


@extend_schema(summary="行政区划")
class RegionList(_Lookup):
    serializer_class = serializers.RegionSerializer
    filterset_class = filters.RegionLookupFilter

    def get_queryset(self):
        return Region.objects.select_related("parent")


@extend_schema(summary="学科")
class DisciplineList(_Lookup):
    serializer_class = serializers.DisciplineSerializer
    filterset_class = filters.DisciplineLookupFilter

    def get_queryset(self):
        return Discipline.objects.select_related("parent")


class IndustryDetail(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: serializers.IndustrySerializer}, summary="一个行业")
    def get(self, request, code: str):
        industry = selectors.industry_get(code) if INDUSTRY_TEXT.fullmatch(code) else None
        if industry is None:
            raise Http404
        return Response(serializers.IndustrySerializer(industry).data)


class RegionDetail(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: serializers.RegionSerializer}, summary="一个行政区划")
    def get(self, request, code: str):
        region = selectors.region_get(code) if REGION_TEXT.fullmatch(code) else None
        if region is None:
            raise Http404
        return Response(serializers.RegionSerializer(region).data)


class ServiceTypeList(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: serializers.ChoiceSerializer(many=True)}, summary="服务类型")
    def get(self, request):
        return Response([{"value": v, "label": str(label)} for v, label in ServiceType.choices])
