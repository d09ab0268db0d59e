"""An enterprise registers through the API with the registration page's form and service: the account
waits, inactive, for a platform administrator, and gets no token until approved. Bad input is a 400 in
the one error shape, naming the input, and saves neither the enterprise nor the user."""

import pytest
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import Enterprise, Role, User
from accounts.services import enterprise_approve
from tests.api.conftest import assert_error
from tests.factories import EnterpriseFactory, IndustryFactory, RegionFactory, UserFactory, valid_credit_code

pytestmark = pytest.mark.django_db
URL = "/api/v1/registrations/"


@pytest.fixture
def body():
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


def test_a_registration_waits_for_approval_before_a_token(api, body):
    response = api().post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending" and "Taizhou" not in response.content.decode()
    user = User.objects.get(username="feiyue")
    assert not user.is_active and user.enterprise.status == Enterprise.Status.PENDING
    credentials = {"username": "feiyue", "password": "Taizhou-2026!"}
    assert_error(api().post("/api/v1/auth/token/", credentials, format="json"), 401)
    enterprise_approve(enterprise=user.enterprise, by=UserFactory(role=Role.PLATFORM_ADMIN))
    assert api().post("/api/v1/auth/token/", credentials, format="json").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "914403001922038217", "校验位不正确"),
        ("industry_code", "9999", "未知的行业代码"),
        ("region_code", "999999", "未知的行政区划代码"),
        ("phone", "12345", "11 位手机号"),
        ("password_confirm", "other-pass-1!", "两次输入的密码不一致"),
        ("username", "a b", "登录名为"),
        ("password", "123", "密码"),
    ],
)
def test_it_rejects_bad_input_naming_it_and_saves_nothing(api, body, field, value, message):
    body[field] = value
    if field == "password":
        body["password_confirm"] = value
    error = assert_error(api().post(URL, body, format="json"), 400, "validation_error", [field])
    assert any(message in m for m in error["fields"][field]), error
    assert not Enterprise.objects.filter(name=body["enterprise_name"]).exists()
    assert not User.objects.filter(username="feiyue").exists()


def test_a_duplicate_enterprise_is_refused_on_its_name_and_saves_no_user(api, body):
    EnterpriseFactory(name=body["enterprise_name"])
    error = assert_error(api().post(URL, body, format="json"), 400, "validation_error", ["enterprise_name"])
    assert "已存在" in error["fields"]["enterprise_name"][0]
    assert not User.objects.filter(username="feiyue").exists()


def test_a_taken_login_name_is_refused(api, body):
    User.objects.create_user(username="FeiYue", password="x")
    assert_error(api().post(URL, body, format="json"), 400, "validation_error", ["username"])
    assert not Enterprise.objects.filter(name=body["enterprise_name"]).exists()


def test_registrations_are_throttled_per_address(api, body, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "registrations", "2/hour")
    for _ in range(2):
        assert_error(api().post(URL, {**body, "phone": "1"}, format="json"), 400)
    assert_error(api().post(URL, body, format="json"), 429, "throttled")
    assert not User.objects.filter(username="feiyue").exists()
