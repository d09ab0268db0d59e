import pytest
from django.urls import reverse

from accounts.models import Enterprise, Role, User
from accounts.services import enterprise_approve
from tests.factories import EnterpriseFactory, IndustryFactory, RegionFactory, UserFactory, valid_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_data():
    IndustryFactory(code="3553", name="缝制机械制造")
    RegionFactory(code="331002", name="椒江区")
    return {
        "enterprise_name": "台州市飞跃缝制设备有限公司",
        "credit_code": valid_credit_code(77),
        "industry_code": "3553",
        "region_code": "331002",
        "real_name": "陈经理",
        "phone": "13800000000",
        "email": "chen@example.com",
        "username": "feiyue",
        "password": "Taizhou-2026!",
        "password_confirm": "Taizhou-2026!",
    }


def test_a_registration_waits_for_approval_then_signs_in(client, form_data):
    response = client.post(reverse("accounts:register"), form_data)
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(name="台州市飞跃缝制设备有限公司")
    user = User.objects.get(username="feiyue")
    assert enterprise.status == Enterprise.Status.PENDING
    assert not user.is_active
    assert not client.login(username="feiyue", password="Taizhou-2026!")

    enterprise_approve(enterprise=enterprise, by=UserFactory(role=Role.PLATFORM_ADMIN))

    assert client.login(username="feiyue", password="Taizhou-2026!")
    assert client.get(reverse("accounts:workspace")).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "914403001922038217", "校验位不正确"),
        ("industry_code", "9999", "未知的行业代码"),
        ("region_code", "999999", "未知的行政区划代码"),
        ("phone", "12345", "11 位手机号"),
        ("password_confirm", "other-pass-1!", "两次输入的密码不一致"),
    ],
)
def test_it_rejects_bad_input_with_a_chinese_message_and_saves_nothing(
    client, form_data, field, value, message
):
    form_data[field] = value
    response = client.post(reverse("accounts:register"), form_data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Enterprise.objects.filter(name=form_data["enterprise_name"]).exists()
    assert not User.objects.filter(username="feiyue").exists()


def test_it_rejects_a_duplicate_enterprise_and_saves_no_user(client, form_data):
    EnterpriseFactory(name=form_data["enterprise_name"])
    response = client.post(reverse("accounts:register"), form_data)
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert not User.objects.filter(username="feiyue").exists()
    assert Enterprise.objects.filter(name=form_data["enterprise_name"]).count() == 1


def test_the_admin_sites_approve_action_activates_the_registration(client, form_data):
    client.post(reverse("accounts:register"), form_data)
    enterprise = Enterprise.objects.get(name=form_data["enterprise_name"])
    client.force_login(User.objects.create_superuser(username="root", password="x", email="r@example.com"))
    response = client.post(
        reverse("admin:accounts_enterprise_changelist"),
        {"action": "approve", "_selected_action": [enterprise.pk]},
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.APPROVED
    assert User.objects.get(username="feiyue").is_active


def test_a_staff_user_without_the_permission_cannot_approve_through_the_service(form_data):
    from core.errors import DomainError

    enterprise = EnterpriseFactory(status=Enterprise.Status.PENDING)
    staff = UserFactory(is_staff=True, role=Role.STO_ADMIN)  # staff, but not allowed to change enterprises
    with pytest.raises(DomainError) as exc:
        enterprise_approve(enterprise=enterprise, by=staff)
    assert exc.value.code == "forbidden"
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.PENDING
