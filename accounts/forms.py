"""Forms for sign-in and enterprise registration. Validation lives in the services and models; the
form only collects and reports."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts import login_limits
from core.form_fields import picked

User = get_user_model()


class EnterpriseRegistrationForm(forms.Form):
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    industry_code = picked(
        forms.CharField(
            label=_("所属行业"),
            max_length=8,
            help_text=_("逐级选到最细一级，如 3553 缝制机械制造（国民经济行业分类 GB/T 4754-2017）"),
        ),
        "industry",
    )
    region_code = picked(
        forms.CharField(
            label=_("所在地区"),
            max_length=6,
            help_text=_("逐级选到企业所在的区县，如 331002（台州市椒江区）"),
        ),
        "region",
    )
    real_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    phone = forms.RegexField(
        label=_("手机号"), regex=r"^1\d{10}$", error_messages={"invalid": _("请输入 11 位手机号。")}
    )
    email = forms.EmailField(label=_("电子邮箱"))
    username = forms.RegexField(
        label=_("登录名"),
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        error_messages={"invalid": _("登录名为 3-30 位字母、数字或 _ . -。")},
    )
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)
    password_confirm = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该登录名已被使用。"))
        return username

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("两次输入的密码不一致。"))
        elif password:
            try:
                password_validation.validate_password(password)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class LoginRateLimitMixin:
    """Refuse sign-in while the login name or the client's address is locked out, and count failures.

    The lock is checked before the password, so a locked name cannot be probed further (a correct
    password is refused too until the lock ends)."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = login_limits.client_address(self.request)
        try:
            login_limits.check(username, address)
        except login_limits.LoginLocked as exc:
            raise forms.ValidationError(exc.message, code="locked") from exc
        try:
            cleaned = super().clean()
        except forms.ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_login":
                login_limits.failed(username, address)
            raise
        login_limits.succeeded(username)
        return cleaned


class RateLimitedAuthenticationForm(LoginRateLimitMixin, AuthenticationForm):
    pass


class RateLimitedAdminAuthenticationForm(LoginRateLimitMixin, AdminAuthenticationForm):
    pass


class ContactForm(forms.Form):
    """One's own name and contact details: what the other side sees once an engagement is agreed."""

    real_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.RegexField(
        label=_("手机号"),
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": _("请输入 11 位手机号。")},
    )
    email = forms.EmailField(
        label=_("电子邮箱"), required=False, error_messages={"invalid": _("请输入有效的电子邮箱。")}
    )
    title = forms.CharField(label=_("职称"), max_length=30, required=False)

    def clean_real_name(self):
        name = self.cleaned_data["real_name"].strip()
        if not any(ch.isalnum() for ch in name):
            raise forms.ValidationError(_("请填写真实姓名。"))
        return name
