"""Enterprises' own profiles through the API, as the enterprise page shows them: an enterprise's users
see their own, platform administrators all (to review registrations, `?status=pending`, and approve or
reject them through accounts.services, as the admin site does); anyone else's is a 404
(accounts.permissions.enterprises_visible_to)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts import services
from accounts.filters import EnterpriseFilter
from accounts.models import Enterprise
from accounts.permissions import enterprises_visible_to
from accounts.serializers import CodeNameSerializer
from core.api_filters import ListFiltersOnly
from core.api_support import one_of


class EnterpriseSerializer(serializers.ModelSerializer):
    industry = CodeNameSerializer()
    region = CodeNameSerializer()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Enterprise
        fields = [
            "id", "name", "credit_code", "industry", "region", "address", "description", "status",
            "status_label", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class EnterpriseViewSet(
    ListFiltersOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = EnterpriseSerializer
    queryset = Enterprise.objects.none()  # the model, for the schema; get_queryset is the asker's
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = EnterpriseFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return enterprises_visible_to(self.request.user).order_by("-created_at", "-id")

    def get_object(self):
        return one_of(self.get_queryset(), self.kwargs["pk"])

    @extend_schema(summary="企业列表")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="企业信息")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def _review(self, step):
        enterprise = step(enterprise=self.get_object(), by=self.request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=enterprise.pk)).data)

    @extend_schema(request=None, responses={200: EnterpriseSerializer}, summary="通过企业注册")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The enterprise and its users become active (they can sign in and get a token)."""
        return self._review(services.enterprise_approve)

    @extend_schema(request=None, responses={200: EnterpriseSerializer}, summary="驳回企业注册")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """The enterprise's users stay, or become, inactive."""
        return self._review(services.enterprise_reject)
