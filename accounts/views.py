"""Pages for signing in, registering and the role workspace. Thin: they call services and selectors."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import ContactForm, EnterpriseRegistrationForm, RateLimitedAuthenticationForm
from accounts.models import Enterprise, Role
from accounts.permissions import enterprises_visible_to
from accounts.scope import is_platform_admin, is_team_member


def home(request):
    return render(request, "home.html")


class LoginView(auth_views.LoginView):
    """Sign-in with failures counted per login name and per address (accounts.login_limits)."""

    template_name = "accounts/login.html"
    authentication_form = RateLimitedAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", code="locked"):
            response.status_code = 429  # Too Many Requests: the page still shows the form and why
        return response


def enterprise_register(request):
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_confirm"}
        try:
            services.enterprise_register(**data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


def _add_service_errors(form, exc: ValidationError) -> None:
    """Put the service's validation errors on the form fields they name (services.enterprise_register
    names the inputs), or on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def register_done(request):
    return render(request, "accounts/register_done.html")


# What each role will find in its workspace; the links fill in as the platform grows.
ROLE_WORKSPACE_HINTS = {
    Role.ENTERPRISE: _("发布技术需求，查看为您推荐的科技小分队，邀请团队对接。"),
    Role.TEAM_MEMBER: _("浏览推荐给本队的需求，揭榜对接，记录服务工作与佐证材料。"),
    Role.COLLEGE_ADMIN: _("审核本学院科技小分队的申报、服务记录与佐证材料。"),
    Role.STO_ADMIN: _("发布申报批次，复核申报，组织年度考核、抽查与公示。"),
    Role.HUM_ADMIN: _("抽查人文类小分队的服务记录与佐证材料，查看年度考核。"),
    Role.GOV_VIEWER: _("查看本地区的产业需求热力图与供需缺口。"),
    Role.PLATFORM_ADMIN: _("审核企业注册，审核需求发布，维护平台数据。"),
}


@login_required
def workspace(request):
    user = request.user
    context = {
        "organisation": user.organisation,
        "role_hint": ROLE_WORKSPACE_HINTS.get(user.role, ""),
        "memberships": user.memberships.select_related("team") if is_team_member(user) else [],
        "pending_enterprises": (
            Enterprise.objects.filter(status=Enterprise.Status.PENDING).count()
            if is_platform_admin(user)
            else None
        ),
    }
    return render(request, "accounts/workspace.html", context)


@login_required
def enterprise_detail(request, pk: int):
    # Another organisation's page is a 404, never a hint that it exists.
    enterprise = get_object_or_404(enterprises_visible_to(request.user), pk=pk)
    return render(request, "accounts/enterprise_detail.html", {"enterprise": enterprise})


@login_required
def contact(request):
    """个人资料与联系方式: what the other side of an agreed engagement sees."""
    user = request.user
    initial = {"real_name": user.real_name, "phone": user.phone, "email": user.email, "title": user.title}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.contact_update(user=user, **form.cleaned_data)
        messages.success(request, _("联系方式已保存。"))
        return redirect("accounts:workspace")
    return render(request, "accounts/contact.html", {"form": form})
