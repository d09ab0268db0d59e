"""Every error the API gives has one shape, a Chinese message and a machine code."""

import pytest

from core.api_errors import ERROR_CODES, exception_handler
from demand.errors import DemandError
from matching.errors import MatchingError
from teams.errors import TeamsError
from tests.api.conftest import assert_error
from tests.factories import EnterpriseUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_answers_401_to_an_anonymous_request(api):
    error = assert_error(api().get("/api/v1/needs/"), 401, "not_authenticated")
    assert error["message"] == str(ERROR_CODES["not_authenticated"][1])


def test_it_answers_401_to_a_bad_token(api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get("/api/v1/needs/"), 401, "authentication_failed")


def test_it_answers_404_for_an_unknown_address_under_the_api(api):
    assert_error(api().get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(api(UserFactory()).get("/api/v1/needs/abc/"), 404, "not_found")


def test_it_answers_404_for_a_need_that_does_not_exist(api):
    assert_error(api(UserFactory()).get("/api/v1/needs/999999999/"), 404, "not_found")


def test_it_answers_405_for_a_method_the_endpoint_lacks(api):
    assert_error(api(UserFactory()).delete("/api/v1/needs/"), 405, "method_not_allowed")


def test_it_answers_415_for_an_unsupported_body(api):
    response = api(EnterpriseUserFactory()).post("/api/v1/needs/", "<xml/>", content_type="application/xml")
    assert_error(response, 415, "unsupported_media_type")


def test_it_answers_400_for_malformed_json(api):
    response = api(EnterpriseUserFactory()).post("/api/v1/needs/", "{bad", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_it_answers_400_with_the_fields_for_invalid_input(api):
    response = api(EnterpriseUserFactory()).post("/api/v1/needs/", {"title": ""}, format="json")
    assert_error(response, 400, "validation_error", fields=["title", "description", "service_types"])


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (DemandError("只有发布企业可以修改该需求。", code="forbidden"), 403, "permission_denied"),
        (TeamsError("小分队当前为“草稿”，不能执行。", code="wrong_state"), 409, "wrong_state"),
        (MatchingError("该小分队与此需求已有进行中的对接。", code="duplicate"), 409, "duplicate"),
        (TeamsError("该成果已由他队申报。", code="double_claim"), 409, "double_claim"),
        (DemandError("关闭需求需要填写原因。", code="comment_required"), 400, "comment_required"),
    ],
)
def test_a_domain_refusal_keeps_its_message_and_code(error, status, code):
    response = exception_handler(error, {"view": None})
    assert response.status_code == status
    assert response.data == {"error": {"code": code, "message": error.message}}


def test_a_domain_refusal_about_one_input_names_it():
    response = exception_handler(DemandError("未知的行业代码：X。", field="industry"), {"view": None})
    assert response.data["error"]["fields"] == {"industry": ["未知的行业代码：X。"]}


def test_an_unexpected_error_is_a_500_in_the_same_shape_without_its_text():
    response = exception_handler(RuntimeError("secret internals"), {"view": None})
    assert response.status_code == 500
    assert response.data["error"]["code"] == "server_error"
    assert "secret" not in str(response.data)


def test_every_code_has_a_chinese_message_and_an_error_status():
    for code, (status, message) in ERROR_CODES.items():
        assert 400 <= status <= 599, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(message)), code


def test_messages_stay_chinese_when_the_client_asks_for_english(api):
    response = api(EnterpriseUserFactory()).post(
        "/api/v1/needs/", {"title": ""}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    error = assert_error(response, 400, "validation_error", fields=["title"])
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for m in error["fields"]["description"])
