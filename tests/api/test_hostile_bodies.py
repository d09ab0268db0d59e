"""Hostile request bodies get a clear refusal in the API's error shape, never a 500, and change nothing:
oversized bodies (413), deeply nested JSON, bodies that are not UTF-8, strings the database cannot
store; SQL and script fragments in text fields are kept exactly as sent; the token endpoint is
throttled per client address."""

import io
import json

import pytest
from django.urls import reverse
from rest_framework.exceptions import ParseError
from rest_framework.throttling import ScopedRateThrottle

from core.api_parsers import MAX_DEPTH, JSONParser, RequestTooLarge
from demand.models import Need, NeedAttachment
from tests.accounts.test_uploads import PDF, image_bytes, xlsx_bytes
from tests.api.conftest import assert_error
from tests.api.test_needs import NEW
from tests.factories import EnterpriseUserFactory, IndustryFactory, RegionFactory
from tests.hostile_text import SCRIPT, SQL, assert_escaped
from tests.teams.test_evidence_access import raw_multipart

pytestmark = pytest.mark.django_db
URL = "/api/v1/needs/"


@pytest.fixture
def owner():
    IndustryFactory(), RegionFactory()
    return EnterpriseUserFactory()


def post_raw(client, body: bytes, content_type="application/json"):
    return client.post(URL, body, content_type=content_type)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# ------------------------------------------------------------------------------------------- size


def test_an_oversized_json_body_is_a_413_and_saves_nothing(api, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    body = json.dumps({**NEW, "description": "振动" * 4000}).encode()
    error = assert_error(post_raw(api(owner), body), 413, "request_too_large")
    assert "4 KB" in error["message"]
    assert not Need.objects.exists()


def test_the_default_limit_holds_too(api, owner, settings):
    body = json.dumps({**NEW, "description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}).encode()
    assert_error(post_raw(api(owner), body), 413, "request_too_large")
    assert not Need.objects.exists()


def test_an_oversized_form_body_is_a_413(api, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    body = ("title=" + "a" * 5000).encode()
    response = post_raw(api(owner), body, "application/x-www-form-urlencoded")
    assert_error(response, 413, "request_too_large")


def test_an_oversized_multipart_field_is_a_413(api, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = api(owner).post(URL, {"title": "a" * 5000, "description": "x"}, format="multipart")
    assert_error(response, 413, "request_too_large")


def test_an_oversized_form_is_a_413_for_a_session_too(client, owner, settings):
    """Signed in by session, the CSRF check reads the form before any parser: still a 413, not a 500."""
    client.force_login(owner)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = client.post(URL, {"title": "a" * 5000}, HTTP_ACCEPT="application/json")
    assert_error(response, 413, "request_too_large")


def test_a_body_longer_than_it_says_stops_at_the_limit(settings):
    """A stream without an honest length is read only one byte past the limit."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    stream = io.BytesIO(b'{"a": "' + b"x" * 10_000 + b'"}')
    with pytest.raises(RequestTooLarge):
        JSONParser().parse(stream, "application/json", {})
    assert stream.tell() == 101


# --------------------------------------------------------------------------------- shape and text


@pytest.mark.parametrize("depth", [10_000, 1_000, MAX_DEPTH + 1])
def test_deeply_nested_json_is_a_400_not_a_recursion_error(api, owner, depth):
    error = assert_error(post_raw(api(owner), nested(depth).encode()), 400, "parse_error")
    assert "嵌套" in error["message"]
    assert not Need.objects.exists()


def test_nesting_within_the_limit_reaches_validation(api, owner):
    body = json.dumps({**NEW, "service_types": json.loads(nested(MAX_DEPTH - 1))}).encode()
    error = assert_error(post_raw(api(owner), body), 400, "validation_error")
    assert [f for f in error["fields"] if f.startswith("service_types")]


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "\xff\xfe\xfd"}',  # not UTF-8 at all
        '{"title": "需求"}'.encode("gbk"),  # Chinese in another encoding
        b'{"title": "\xe9\x9c"}',  # a UTF-8 sequence cut short
    ],
)
def test_a_body_that_is_not_utf8_is_a_400(api, owner, body):
    error = assert_error(post_raw(api(owner), body), 400, "parse_error")
    assert "UTF-8" in error["message"]
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"title": "a\\u0000b"}', "空字符"),  # PostgreSQL cannot store NUL in text
        ('{"title": "\\ud800"}', "Unicode"),  # a lone surrogate cannot be encoded to UTF-8
        ('{"\\u0000": 1}', "空字符"),
        ('{"budget_min": NaN}', "JSON"),
        ('{"budget_min": Infinity}', "JSON"),
    ],
)
def test_strings_and_numbers_the_database_cannot_take_are_a_400(api, owner, text, words):
    error = assert_error(post_raw(api(owner), text.encode()), 400, "parse_error")
    assert words in error["message"]
    assert not Need.objects.exists()


def test_sql_and_script_fragments_round_trip_unchanged_and_pages_escape_them(api, owner, client):
    response = api(owner).post(URL, {**NEW, "title": SQL, "description": SCRIPT * 3}, format="json")
    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("application/json")
    need = Need.objects.get()
    assert (need.title, need.description) == (SQL, SCRIPT * 3)
    body = api(owner).get(f"{URL}{need.pk}/").json()
    assert (body["title"], body["description"]) == (SQL, SCRIPT * 3)
    # the search filter treats them as text, and the tables are all still there
    assert api(owner).get(URL, {"search": "'; DROP TABLE"}).status_code == 200
    assert Need.objects.filter(pk=need.pk).exists()
    client.force_login(owner)
    assert_escaped(client.get(reverse("demand:mine")).content.decode(), SQL)


# ------------------------------------------------------------------------------------- throttling


def test_the_token_endpoint_is_throttled_per_address(api, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth_token", "3/min")
    client = api()
    for n in range(3):
        response = client.post(
            "/api/v1/auth/token/",
            {"username": f"guess{n}", "password": "x"},
            format="json",
            REMOTE_ADDR="10.7.7.7",
        )
        assert response.status_code == 401
    response = client.post(
        "/api/v1/auth/token/", {"username": "guess9", "password": "x"}, format="json", REMOTE_ADDR="10.7.7.7"
    )
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    other = client.post(
        "/api/v1/auth/token/", {"username": "guess9", "password": "x"}, format="json", REMOTE_ADDR="10.7.7.8"
    )
    assert other.status_code == 401


def test_a_forged_forwarded_for_does_not_escape_the_throttle(api, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "auth_token", "2/min")
    client = api()
    codes = [
        client.post(
            "/api/v1/auth/token/",
            {"username": "x", "password": "x"},
            format="json",
            REMOTE_ADDR="10.7.7.9",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(3)
    ]
    assert codes == [401, 401, 429]


def test_the_parser_refuses_deep_nesting_on_its_own():
    with pytest.raises(ParseError):
        JSONParser().parse(io.BytesIO(nested(MAX_DEPTH + 1).encode()), "application/json", {})
    assert JSONParser().parse(io.BytesIO(nested(MAX_DEPTH).encode()), "application/json", {}) == json.loads(
        nested(MAX_DEPTH)
    )


# ---------------------------------------------------------------------------------------- uploads


def upload_raw(client, need_pk: int, filename: str, content: bytes):
    boundary = "----kjxfd-api"
    return client.post(
        f"{URL}{need_pk}/attachments/",
        raw_multipart(filename, content, boundary),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.mark.parametrize("filename", ["../../etc/passwd.pdf", "C:\\Windows\\passwd.pdf", "pass\x00wd.pdf"])
def test_an_api_upload_keeps_only_the_base_name(api, owner, settings, tmp_path, filename):
    settings.MEDIA_ROOT = tmp_path
    client = api(owner)
    need = client.post(URL, NEW, format="json").json()
    response = upload_raw(client, need["id"], filename, PDF)
    assert response.status_code == 201, response.content
    attachment = NeedAttachment.objects.get()
    assert attachment.original_name == "passwd.pdf"
    assert (tmp_path / attachment.file.name).resolve().is_relative_to(tmp_path.resolve())


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("图纸.pdf", image_bytes("PNG")),
        ("照片.jpg", b"MZ\x90\x00" + b"\x00" * 60),
        ("方案.docx", xlsx_bytes()),
    ],
)
def test_an_api_upload_whose_body_does_not_match_is_a_400(api, owner, settings, tmp_path, filename, content):
    settings.MEDIA_ROOT = tmp_path
    client = api(owner)
    need = client.post(URL, NEW, format="json").json()
    error = assert_error(upload_raw(client, need["id"], filename, content), 400, "file_content")
    assert "内容与扩展名不符" in error["message"]
    assert not NeedAttachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
