"""An enterprise's registration through the API: the registration page's form (the same checks and
messages) and accounts.services.enterprise_register. The enterprise and its first user wait, inactive,
for a platform administrator's approval; only then can the user get a token."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import services
from accounts.forms import EnterpriseRegistrationForm
from core.api_support import parsed_form


class RegistrationInput(serializers.Serializer):
    """Documents the input; EnterpriseRegistrationForm parses it, as on the page."""

    enterprise_name = serializers.CharField(label=gettext_lazy("企业名称"), max_length=100)
    credit_code = serializers.CharField(label=gettext_lazy("统一社会信用代码"), min_length=18, max_length=18)
    industry_code = serializers.CharField(
        label=gettext_lazy("所属行业代码"),
        max_length=8,
        help_text=gettext_lazy("GB/T 4754-2017 行业代码，如 3533"),
    )
    region_code = serializers.CharField(
        label=gettext_lazy("所在地区代码"),
        max_length=6,
        help_text=gettext_lazy("6 位行政区划代码，如 331002"),
    )
    real_name = serializers.CharField(label=gettext_lazy("联系人姓名"), max_length=50)
    phone = serializers.RegexField(r"^1\d{10}$", label=gettext_lazy("手机号"))
    email = serializers.EmailField(label=gettext_lazy("电子邮箱"))
    username = serializers.RegexField(r"^[A-Za-z0-9_.-]{3,30}$", label=gettext_lazy("登录名"))
    password = serializers.CharField(label=gettext_lazy("密码"), write_only=True, trim_whitespace=False)
    password_confirm = serializers.CharField(
        label=gettext_lazy("确认密码"), write_only=True, trim_whitespace=False
    )


class RegistrationSerializer(serializers.Serializer):
    username = serializers.CharField()
    enterprise_name = serializers.CharField()
    status = serializers.CharField(help_text=gettext_lazy("pending：等待平台管理员审核"))
    message = serializers.CharField()


class RegistrationView(APIView):
    permission_classes = [permissions.AllowAny]
    # Anyone may register: a bound per client address (settings: DEFAULT_THROTTLE_RATES["registrations"]).
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "registrations"

    @extend_schema(
        request=RegistrationInput,
        responses={201: RegistrationSerializer},
        auth=[],
        summary="企业注册",
    )
    def post(self, request):
        form = parsed_form(EnterpriseRegistrationForm, request.data)
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_confirm"}
        user = services.enterprise_register(**data)
        body = {
            "username": user.username,
            "enterprise_name": user.enterprise.name,
            "status": user.enterprise.status,
            "message": _("注册申请已提交，平台管理员审核通过后即可登录。"),
        }
        return Response(RegistrationSerializer(body).data, status=status.HTTP_201_CREATED)
