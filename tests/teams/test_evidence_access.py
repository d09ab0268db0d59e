"""佐证材料 through the pages: uploads checked and stored under generated names, downloads only for those
who may see the team's records (everyone else a 404, anonymous visitors sent to sign in)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import MAX_UPLOAD_BYTES as MAX_EVIDENCE_BYTES
from teams.models import Evidence, ServiceRecord, Team
from tests.teams.test_records import PDF, make_record
from tests.teams.test_views import as_user, build_world, set_status

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
GENERATED_NAME = re.compile(r"^evidence/\d{4}/\d{2}/[0-9a-f]{32}\.pdf$")


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    set_status(world.team, Team.Status.ACTIVE)
    world.record = make_record(world.team, world.owner, title="走访迈得医疗")
    return world


def upload(client, record, name, content):
    return client.post(
        reverse("teams:evidence_upload", args=[record.pk]), {"file": SimpleUploadedFile(name, content)}
    )


@pytest.fixture
def evidence(client, world):
    """A real small PDF uploaded by a member through the page."""
    response = upload(as_user(client, world.member), world.record, "走访照片及签到表.pdf", PDF)
    assert response.status_code == 302
    client.logout()
    return Evidence.objects.get(record=world.record)


def test_a_member_uploads_a_pdf_stored_under_a_generated_name(client, world, evidence, settings):
    assert evidence.original_name == "走访照片及签到表.pdf"
    assert evidence.content_type == "application/pdf" and evidence.size == len(PDF)
    assert GENERATED_NAME.match(evidence.file.name), evidence.file.name
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == PDF
    html = as_user(client, world.member).get(reverse("teams:record_detail", args=[world.record.pk])).content
    assert "走访照片及签到表.pdf" in html.decode()


@pytest.mark.parametrize("who", ["owner", "member", "college_admin", "office"])
def test_the_team_its_college_and_its_office_download_the_evidence(client, world, evidence, who):
    response = as_user(client, getattr(world, who)).get(
        reverse("teams:evidence_download", args=[evidence.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Chinese name, encoded


@pytest.mark.parametrize("who", ["outsider", "other_college_admin", "other_office", "other_captain"])
def test_everyone_else_gets_a_404(client, world, evidence, who):
    response = as_user(client, getattr(world, who)).get(
        reverse("teams:evidence_download", args=[evidence.pk])
    )
    assert response.status_code == 404
    assert not hasattr(response, "streaming_content")


def test_anonymous_visitors_are_sent_to_sign_in(client, evidence):
    response = client.get(reverse("teams:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_media_folder_is_not_served_directly(client, world, evidence):
    assert client.get("/media/" + evidence.file.name).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "不支持的文件类型“.exe”"),
        ("report.pdf.sh", b"#!/bin/sh\n", "不支持的文件类型“.sh”"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "内容与扩展名不符"),
        ("photo.pdf", PNG, "内容与扩展名不符"),
        ("photo.png", PDF, "内容与扩展名不符"),
    ],
)
def test_an_upload_with_a_wrong_type_is_refused(client, world, name, content, message):
    response = upload(as_user(client, world.member), world.record, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_oversized_upload_is_refused(client, world):
    response = upload(
        as_user(client, world.member), world.record, "big.pdf", b"%PDF-" + b"0" * MAX_EVIDENCE_BYTES
    )
    assert response.status_code == 200
    assert "超过 20 MB 上限" in response.content.decode()
    assert not Evidence.objects.exists()


def raw_multipart(filename: str, content: bytes, boundary: str = "----kjxfd-boundary") -> bytes:
    """A hand-made multipart body, since the test client would strip the directories itself."""
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    return head.encode() + content + f"\r\n--{boundary}--\r\n".encode()


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.pdf",
        "/etc/passwd.pdf",
        "..\\..\\etc\\passwd.pdf",
        "C:\\Windows\\passwd.pdf",
        "....//....//passwd.pdf",
        "pass\x00wd.pdf",
        "%2e%2e%2fpasswd.pdf",
    ],
)
def test_a_path_traversal_name_is_stored_under_a_generated_name_and_shown_sanitised(
    client, world, settings, filename
):
    boundary = "----kjxfd-boundary"
    body = raw_multipart(filename, PDF, boundary)
    client = as_user(client, world.member)

    # when it is uploaded through the page
    response = client.post(
        reverse("teams:evidence_upload", args=[world.record.pk]),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    # then the file sits under a generated name inside the media folder, and only the base name is shown
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert GENERATED_NAME.match(evidence.file.name) and "passwd" not in evidence.file.name
    assert (settings.MEDIA_ROOT / evidence.file.name).resolve().is_relative_to(settings.MEDIA_ROOT.resolve())
    assert evidence.original_name.endswith("passwd.pdf")
    assert "/" not in evidence.original_name and "\\" not in evidence.original_name
    assert "\x00" not in evidence.original_name
    html = client.get(reverse("teams:record_detail", args=[world.record.pk])).content.decode()
    assert "passwd.pdf" in html and "../" not in html and "etc/passwd" not in html
    download = client.get(reverse("teams:evidence_download", args=[evidence.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{evidence.original_name}"'


def test_an_upload_by_someone_outside_the_team_is_refused(client, world):
    assert upload(as_user(client, world.college_admin), world.record, "a.pdf", PDF).status_code == 403
    assert upload(as_user(client, world.outsider), world.record, "a.pdf", PDF).status_code == 404
    assert not Evidence.objects.exists()


def test_no_upload_once_the_record_is_submitted(client, world):
    ServiceRecord.objects.filter(pk=world.record.pk).update(status=ServiceRecord.Status.SUBMITTED)
    response = upload(as_user(client, world.member), world.record, "late.pdf", PDF)
    assert "服务记录已提交，不能再上传材料。" in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_upload_needs_a_post(client, world):
    response = as_user(client, world.member).get(reverse("teams:evidence_upload", args=[world.record.pk]))
    assert response.status_code == 405
