"""The API's sign-in (tokens), the asker's own profile and notifications.

A token is issued only to an active user (an enterprise waiting for approval, or rejected, is inactive),
with the same check Django's sign-in page makes (`authenticate`); a wrong password and an inactive
account get the same answer, so the endpoint does not tell which accounts exist.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import filters, login_limits, serializers
from accounts.forms import ContactForm
from accounts.notifications import (
    notifications_mark_read,
    notifications_of,
    unread_count,
)
from accounts.services import contact_update
from core.api_filters import ListFiltersOnly
from core.api_support import parsed_form


class TokenView(APIView):
    """POST: exchange a username and password for a token. DELETE: revoke the token in use."""

    permission_classes = [permissions.AllowAny]
    # Requests per client address, whatever the name (settings: DEFAULT_THROTTLE_RATES["auth_token"]).
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        request=serializers.TokenRequestSerializer,
        responses={200: serializers.TokenResponseSerializer},
        auth=[],
        summary="获取令牌",
    )
    def post(self, request):
        data = serializers.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, address = data.validated_data["username"], login_limits.client_address(request)
        # The sign-in pages' failure counts and lockout apply here too, so neither can be used to
        # guess around the other.
        try:
            login_limits.check(username, address)
        except login_limits.LoginLocked as exc:
            raise Throttled(wait=exc.seconds, detail=exc.message) from exc
        user = authenticate(request, username=username, password=data.validated_data["password"])
        if user is None or not user.is_active:
            login_limits.failed(username, address)
            raise AuthenticationFailed(_("用户名或密码错误，或账号尚未通过审核。"))
        login_limits.succeeded(username)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key, "user": serializers.MeSerializer(user).data})

    @extend_schema(request=None, responses={204: None}, summary="注销令牌")
    def delete(self, request):
        if not request.user.is_authenticated:
            raise AuthenticationFailed(_("请先登录或提供有效的令牌。"))
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses={200: serializers.MeSerializer}, summary="当前用户")
    def get(self, request):
        return Response(serializers.MeSerializer(request.user).data)

    @extend_schema(
        request=serializers.ContactInput, responses={200: serializers.MeSerializer}, summary="修改联系方式"
    )
    def patch(self, request):
        """One's own name and contact details, checked as on the page (accounts.forms.ContactForm)."""
        current = request.user
        merged = {
            "real_name": current.real_name,
            "phone": current.phone,
            "email": current.email,
            "title": current.title,
            **({k: v for k, v in request.data.items()} if hasattr(request.data, "items") else {}),
        }
        form = parsed_form(ContactForm, merged)
        user = contact_update(user=current, **form.cleaned_data)
        return Response(serializers.MeSerializer(user).data)


class NotificationViewSet(
    ListFiltersOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The asker's own notices, unread first. Another user's notice is a 404."""

    serializer_class = serializers.NotificationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.NotificationFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return notifications_of(self.request.user)

    @extend_schema(summary="通知列表")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=serializers.NotificationReadSerializer,
        responses={200: serializers.CountSerializer},
        summary="标为已读",
    )
    @action(detail=False, methods=["post"])
    def read(self, request):
        data = serializers.NotificationReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # No "ids": all of them. An empty list is a selection of none (a client's empty selection must
        # not mark everything read).
        count = notifications_mark_read(user=request.user, ids=data.validated_data.get("ids"))
        return Response({"count": count})

    @extend_schema(responses={200: serializers.UnreadSerializer}, summary="未读数")
    @action(detail=False, methods=["get"])
    def unread(self, request):
        return Response({"unread": unread_count(request.user)})
