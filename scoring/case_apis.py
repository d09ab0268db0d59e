"""The API for the case library (案例库): the highlights and cases teams write for a year, which the
archive form's 工作亮点和特色 is built from. Reads through scoring.selectors.cases_visible_to (a case of
a team the asker may not see is a 404), writes through scoring.assessment, as on the pages."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api_filters import ListFiltersOnly
from core.api_support import one_of, parsed
from scoring import assessment as services
from scoring import filters, selectors, serializers
from scoring.models import Case
from teams.selectors import teams_visible_to


class CaseViewSet(ListFiltersOnly, viewsets.GenericViewSet):
    serializer_class = serializers.CaseSerializer
    queryset = Case.objects.none()  # the model, for the schema; get_queryset is what the asker may see
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.CaseFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.cases_visible_to(self.request.user).order_by("-exemplary", "-created_at", "-id")

    @extend_schema(summary="案例库")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="一条亮点与案例")
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(one_of(self.get_queryset(), pk)).data)

    @extend_schema(
        request=serializers.CaseInput, responses={201: serializers.CaseSerializer}, summary="添加亮点与案例"
    )
    def create(self, request):
        data = dict(parsed(serializers.CaseInput, request.data))
        team = one_of(teams_visible_to(request.user), data.pop("team"))
        case = services.case_create(team=team, by=request.user, **data)
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ExemplaryInput,
        responses={200: serializers.CaseSerializer},
        summary="标记典型案例",
    )
    @action(detail=True, methods=["post"])
    def exemplary(self, request, pk=None):
        """The S&T office marks (or unmarks) a case as exemplary."""
        case = one_of(self.get_queryset(), pk)
        data = parsed(serializers.ExemplaryInput, request.data)
        case = services.case_mark_exemplary(case=case, by=request.user, exemplary=data["exemplary"])
        return Response(self.get_serializer(case).data)
