"""Need attachments under hostile names and bodies: stored under generated names inside the media
folder, shown by their base name only, and refused when the body is not what the extension says."""

import re

import pytest
from django.urls import reverse

from demand.models import NeedAttachment
from tests.accounts.test_uploads import PDF, image_bytes, xlsx_bytes, zip_bytes
from tests.demand.test_views import _draft
from tests.factories import EnterpriseUserFactory, IndustryFactory
from tests.teams.test_evidence_access import raw_multipart

pytestmark = pytest.mark.django_db
GENERATED = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|docx|jpg)$")


@pytest.fixture
def owner():
    IndustryFactory()
    return EnterpriseUserFactory()


def post_raw(client, need, filename, content):
    boundary = "----kjxfd-need"
    return client.post(
        reverse("demand:attachment_add", args=[need.pk]),
        data=raw_multipart(filename, content, boundary),
        content_type=f"multipart/form-data; boundary={boundary}",
        follow=True,
    )


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.pdf",
        "/etc/passwd.pdf",
        "..\\..\\etc\\passwd.pdf",
        "C:\\tmp\\passwd.pdf",
        "pass\x00wd.pdf",
    ],
)
def test_a_traversal_name_is_stored_under_a_generated_name(client, owner, settings, tmp_path, filename):
    settings.MEDIA_ROOT = tmp_path
    need = _draft(client, owner)
    response = post_raw(client, need, filename, PDF)
    assert response.status_code == 200 and "附件已上传" in response.content.decode()
    attachment = NeedAttachment.objects.get()
    assert GENERATED.match(attachment.file.name), attachment.file.name
    assert (tmp_path / attachment.file.name).resolve().is_relative_to(tmp_path.resolve())
    assert attachment.original_name == "passwd.pdf"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [attachment.file.name.split("/")[-1]]
    download = client.get(reverse("demand:attachment", args=[attachment.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="passwd.pdf"'


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("图纸.pdf", image_bytes("PNG")),
        ("照片.jpg", b"MZ\x90\x00\x03" + b"\x00" * 60),
        ("方案.docx", zip_bytes({"evil.exe": b"MZ"})),
        ("方案.docx", xlsx_bytes()),
    ],
)
def test_a_body_that_does_not_match_its_extension_is_refused(
    client, owner, settings, tmp_path, filename, content
):
    settings.MEDIA_ROOT = tmp_path
    need = _draft(client, owner)
    response = post_raw(client, need, filename, content)
    assert "内容与扩展名不符" in response.content.decode()
    assert not NeedAttachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
