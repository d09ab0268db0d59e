"""The API for saved searches (订阅): a team's standing queries over newly published needs.

Any member of the team manages them, as on the feed page; a subscription of a team the asker is not a
member of is a 404. Writes go through matching.saved_searches (the same checks and messages as the page).
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.api_filters import ListFiltersOnly
from core.api_support import one_of, parsed
from matching import filters, selectors
from matching import saved_search_serializers as serializers
from matching import saved_searches as services
from matching.models import SavedSearch


class SavedSearchViewSet(ListFiltersOnly, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.SavedSearchSerializer
    queryset = SavedSearch.objects.none()  # the model, for the schema; get_queryset is the asker's
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.SavedSearchFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.saved_searches_for(self.request.user).order_by("team_id", "-active", "-created_at")

    def get_object(self):
        return one_of(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(summary="我的订阅")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="一条订阅")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=serializers.SavedSearchInput,
        responses={201: serializers.SavedSearchSerializer},
        summary="新建订阅",
    )
    def create(self, request):
        data = dict(parsed(serializers.SavedSearchInput, request.data))
        team = one_of(selectors.teams_of_member(request.user), data.pop("team"))
        search = services.saved_search_create(team=team, by=request.user, **data)
        return Response(self.get_serializer(search).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.SavedSearchUpdateInput,
        responses={200: serializers.SavedSearchSerializer},
        summary="修改、暂停或恢复订阅",
    )
    def partial_update(self, request, pk=None):
        search = self.get_object()
        data = parsed(serializers.SavedSearchUpdateInput, request.data)
        search = services.saved_search_update(search=search, by=request.user, **data)
        return Response(self.get_serializer(search).data)

    @extend_schema(summary="删除订阅")
    def destroy(self, request, pk=None):
        services.saved_search_delete(search=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
