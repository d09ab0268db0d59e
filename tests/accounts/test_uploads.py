"""The shared upload check (evidence and need attachments): hostile names lose their directories and
control characters, and a body that is not what its extension says is refused with a Chinese reason,
whatever its first bytes."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from core.uploads import MAX_IMAGE_PIXELS, UploadError, check_upload, safe_display_name

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def image_bytes(fmt: str, size=(8, 6)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    """The smallest package Word's folder layout gives: content types, relationships, the document."""
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas (a decompression bomb's first step)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def check(name: str, content: bytes):
    return check_upload(SimpleUploadedFile(name, content))


# --------------------------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Windows\\System32\\evil.pdf", "evil.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        ("\u202egpj.pdf", "gpj.pdf"),  # a right-to-left override that would show the name reversed
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("  ..  ", "file"),
        ("..", "file"),
        ("", "file"),
        ("图纸 第1版.pdf", "图纸 第1版.pdf"),
    ],
)
def test_a_display_name_keeps_no_directories_or_control_characters(raw, shown):
    assert safe_display_name(raw) == shown


def test_a_nul_byte_cannot_hide_the_real_extension():
    # The classic truncation trick: "passwd.pdf\0.exe" must not be taken for a PDF.
    with pytest.raises(UploadError) as exc:
        check_upload(_raw_named("passwd.pdf\x00.exe", PDF))
    assert exc.value.code == "file_type" and "“.exe”" in exc.value.message


def _raw_named(name: str, content: bytes) -> SimpleUploadedFile:
    """An upload whose name is set after construction, as a parser that kept it raw would leave it
    (Django's own UploadedFile strips directories when the name is set through its constructor)."""
    upload = SimpleUploadedFile("x", content)
    upload._name = name
    return upload


@pytest.mark.parametrize("raw", ["../../etc/passwd.pdf", "/etc/passwd.pdf", "..\\..\\win.ini.pdf"])
def test_a_raw_traversal_name_comes_back_as_its_base_name(raw):
    name, content_type = check_upload(_raw_named(raw, PDF))
    assert "/" not in name and "\\" not in name and ".." not in name
    assert name.endswith(".pdf") and content_type == "application/pdf"


# ------------------------------------------------------------------------------------------- content


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("报告.pdf", PDF, "application/pdf"),
        ("现场.png", image_bytes("PNG"), "image/png"),
        ("现场.JPG", image_bytes("JPEG"), "image/jpeg"),
        ("现场.jpeg", image_bytes("JPEG"), "image/jpeg"),
        (
            "方案.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("名单.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_real_files_are_accepted(name, content, content_type):
    upload = SimpleUploadedFile(name, content)
    assert check_upload(upload) == (name, content_type)
    assert upload.read() == content  # the check leaves the file at its start for storage


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.pdf", image_bytes("PNG")),  # a PNG named .pdf
        ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # an .exe renamed .jpg
        ("photo.jpg", image_bytes("PNG")),  # a PNG named .jpg
        ("photo.png", image_bytes("JPEG")),  # a JPEG named .png
        ("photo.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),  # magic, then HTML
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"<?php system($_GET['c']); ?>"),  # magic, then a script
        ("方案.docx", zip_bytes({"payload.exe": b"MZ"})),  # a zip that is not a docx
        ("方案.docx", xlsx_bytes()),  # an Office package, but a workbook
        ("名单.xlsx", docx_bytes()),  # a document named .xlsx
        ("方案.pptx", docx_bytes()),
        ("方案.docx", b"PK\x03\x04 truncated, no central directory"),
        ("报告.pdf", b"<html><body>not a pdf</body></html>"),
        ("旧表.xls", PDF),
    ],
)
def test_content_that_does_not_match_its_extension_is_refused(name, content):
    with pytest.raises(UploadError) as exc:
        check(name, content)
    assert exc.value.code == "file_content"
    assert "内容与扩展名不符" in exc.value.message


def test_an_image_claiming_a_huge_canvas_is_refused_without_decoding_it():
    side = int(MAX_IMAGE_PIXELS**0.5) + 100
    with pytest.raises(UploadError) as exc:
        check("巨图.png", png_claiming(side, side))
    assert exc.value.code == "file_size" and "像素过多" in exc.value.message
    # the same header with a modest canvas is no bomb: it gets past the size rule
    assert check("小图.png", png_claiming(100, 100))[1] == "image/png"


@pytest.mark.parametrize("name", ["run.exe", "page.html", "image.svg", "script.js", "noextension"])
def test_types_outside_the_list_are_refused(name):
    with pytest.raises(UploadError) as exc:
        check(name, PDF)
    assert exc.value.code == "file_type"
