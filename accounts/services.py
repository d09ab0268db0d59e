"""Writes for users and organisations. Views and the admin call these; no rule lives elsewhere."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Enterprise, Role
from accounts.permissions import is_platform_admin
from core.errors import DomainError
from reference.models import Industry, Region

User = get_user_model()


def _industry_by_code(code: str) -> Industry:
    industry = Industry.objects.filter(code=(code or "").strip().upper()).first()
    if industry is None:
        raise ValidationError({"industry_code": _("未知的行业代码：%(code)s。") % {"code": code}})
    return industry


def _region_by_code(code: str) -> Region:
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        raise ValidationError({"region_code": _("未知的行政区划代码：%(code)s。") % {"code": code}})
    return region


# The registration's inputs by the enterprise's field they fill, so a refusal names what was typed.
REGISTRATION_INPUTS = {"name": "enterprise_name", "industry": "industry_code", "region": "region_code"}


def _as_inputs(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({REGISTRATION_INPUTS.get(f, f): e for f, e in exc.error_dict.items()})


@transaction.atomic
def enterprise_register(
    *,
    username: str,
    password: str,
    real_name: str,
    phone: str,
    email: str,
    enterprise_name: str,
    credit_code: str,
    industry_code: str,
    region_code: str,
) -> User:
    """An enterprise signs up: the enterprise and its first user wait for a platform administrator."""
    enterprise = Enterprise(
        name=enterprise_name.strip(),
        credit_code=credit_code.strip().upper(),
        industry=_industry_by_code(industry_code),
        region=_region_by_code(region_code),
        status=Enterprise.Status.PENDING,
    )
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        raise _as_inputs(exc) from exc
    enterprise.save()
    user = User(
        username=username.strip(),
        real_name=real_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        role=Role.ENTERPRISE,
        enterprise=enterprise,
        is_active=False,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def _registration_reviewer(by) -> None:
    """Registrations are reviewed by platform administrators (the API), or by staff allowed to change
    enterprises in the admin site."""
    staff = by.is_authenticated and by.is_staff and by.has_perm("accounts.change_enterprise")
    if not (is_platform_admin(by) or staff):
        raise DomainError(_("只有平台管理员可以审核企业注册。"), code="forbidden")


@transaction.atomic
def enterprise_approve(*, enterprise: Enterprise, by) -> Enterprise:
    """A platform administrator approves a registration: the enterprise and its users become active."""
    _registration_reviewer(by)
    enterprise.status = Enterprise.Status.APPROVED
    enterprise.save(update_fields=["status"])
    enterprise.users.update(is_active=True)
    return enterprise


@transaction.atomic
def enterprise_reject(*, enterprise: Enterprise, by) -> Enterprise:
    """A platform administrator turns a registration down: the enterprise's users stay (or become)
    inactive."""
    _registration_reviewer(by)
    enterprise.status = Enterprise.Status.REJECTED
    enterprise.save(update_fields=["status"])
    enterprise.users.update(is_active=False)
    return enterprise


@transaction.atomic
def contact_update(*, user, real_name: str, phone: str = "", email: str = "", title: str = "") -> User:
    """A person keeps their own name and contact details (checked by accounts.forms.ContactForm, page and
    API alike); both sides of an agreed engagement see them."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.real_name, user.phone, user.email, user.title = real_name, phone or "", email or "", title or ""
    user.save(update_fields=["real_name", "phone", "email", "title"])
    return user
