"""The API for needs and the demand hall. Reads go through demand.selectors (what the asker may see:
anything else is a 404), writes through demand.services (which refuse with a DemandError, turned into
the API's one error shape by core.api_errors), exactly as the pages do."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.api_support import one_of
from core.uploads import safe_display_name
from demand import filters, selectors, serializers, services
from demand.errors import DemandError
from demand.models import Need, NeedAttachment

# `?ordering=-budget_max` and the like; the default is each selector's (newest first).
NEED_ORDERING = ["published_at", "created_at", "budget_max", "title", "id"]


def _parsed(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(summary="需求大厅")
class HallList(generics.ListAPIView):
    """The demand hall: published, engaged and resolved needs, public, newest first."""

    permission_classes = [permissions.AllowAny]
    serializer_class = serializers.NeedSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = filters.HallFilter
    ordering_fields = NEED_ORDERING

    def get_queryset(self):
        return selectors.hall_needs()


class NeedViewSet(viewsets.GenericViewSet):
    """Needs the asker may see. An enterprise sees its own in every state; moderators every need;
    everyone else what the hall shows."""

    serializer_class = serializers.NeedSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = filters.NeedFilter
    ordering_fields = NEED_ORDERING
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.needs_visible_to(self.request.user)

    def get_object(self):
        need = selectors.need_visible_to(self.request.user, self.kwargs["pk"])
        if need is None:
            raise NotFound
        return need

    def _out(self, need, code=status.HTTP_200_OK):
        need = selectors.need_visible_to(self.request.user, need.pk)
        return Response(self.get_serializer(need).data, status=code)

    @extend_schema(summary="需求列表")
    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(summary="一条需求")
    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=serializers.NeedCreateSerializer,
        responses={201: serializers.NeedSerializer},
        summary="新建需求",
    )
    def create(self, request):
        data = dict(_parsed(serializers.NeedCreateSerializer, request.data))
        submit = data.pop("submit", False)
        # "保存并提交审核" is one service (as the page): it succeeds or leaves nothing behind.
        need = services.need_create_and_submit(by=request.user, submit=submit, **data)
        return self._out(need, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.NeedInputSerializer,
        responses={200: serializers.NeedSerializer},
        summary="修改需求",
    )
    def partial_update(self, request, pk=None):
        need = self.get_object()
        data = _parsed(serializers.NeedInputSerializer, request.data, partial=True)
        if not data:
            raise DemandError(_("请至少提供一项要修改的内容。"))
        need = services.need_update(need=need, by=request.user, **data)
        return self._out(need)

    @extend_schema(request=None, responses={204: None}, summary="删除需求草稿")
    def destroy(self, request, pk=None):
        """Only a draft, by its enterprise; a need past draft is closed instead (close)."""
        services.need_draft_delete(need=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: serializers.NeedSerializer}, summary="提交审核")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._out(services.need_submit(need=self.get_object(), by=request.user))

    @extend_schema(
        request=serializers.ModerateSerializer,
        responses={200: serializers.NeedSerializer},
        summary="审核需求",
    )
    @action(detail=True, methods=["post"])
    def moderate(self, request, pk=None):
        data = _parsed(serializers.ModerateSerializer, request.data)
        need = services.need_moderate(need=self.get_object(), by=request.user, **data)
        return self._out(need)

    @extend_schema(
        request=serializers.ReasonSerializer, responses={200: serializers.NeedSerializer}, summary="关闭需求"
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = _parsed(serializers.ReasonSerializer, request.data)
        return self._out(services.need_close(need=self.get_object(), by=request.user, reason=data["reason"]))

    @extend_schema(request=None, responses={200: serializers.NeedSerializer}, summary="标记已解决")
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._out(services.need_resolve(need=self.get_object(), by=request.user))

    @extend_schema(responses={200: serializers.NeedEventSerializer(many=True)}, summary="变更记录")
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        events = selectors.need_events(request.user, self.get_object())
        return Response(serializers.NeedEventSerializer(events, many=True).data)

    @extend_schema(
        methods=["get"], responses={200: serializers.AttachmentSerializer(many=True)}, summary="附件列表"
    )
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": serializers.UploadSerializer},
        responses={201: serializers.AttachmentSerializer},
        summary="上传附件",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def attachments(self, request, pk=None):
        need = self.get_object()
        if request.method == "GET":
            return Response(serializers.AttachmentSerializer(need.attachments.all(), many=True).data)
        data = _parsed(serializers.UploadSerializer, request.data)
        attachment = services.need_attachment_add(need=need, by=request.user, upload=data["file"])
        return Response(serializers.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="待审核需求")
class ModerationQueue(generics.ListAPIView):
    """Submitted needs, oldest first, for moderators (platform administrators and the S&T office)."""

    serializer_class = serializers.NeedSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.ModerationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, asking for the model
            return Need.objects.none()
        if not selectors.is_moderator(self.request.user):
            raise DemandError(_("只有平台管理员和科技处可以审核需求。"), code="forbidden")
        return selectors.moderation_queue(self.request.user)


class AttachmentViewSet(viewsets.GenericViewSet):
    """A need's attachments are served only to those who may see the need; never from a public URL."""

    serializer_class = serializers.AttachmentSerializer
    filter_backends: list = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return NeedAttachment.objects.filter(need__in=selectors.needs_visible_to(self.request.user))

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary="下载附件",
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = one_of(self.get_queryset(), pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise NotFound from exc
        response = FileResponse(
            handle, as_attachment=True, filename=safe_display_name(attachment.original_name)
        )
        response["Cache-Control"] = "private, no-store"
        return response
