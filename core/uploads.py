"""Uploaded files, shared by evidence (teams) and need attachments (demand): the checks (type by
extension and by content, size, and a display name with no directories in it) and the one service that
stores a checked file as a row of an app's core.models.StoredFile model (stored_file_create).

Content is checked beyond the first bytes where a renamed file would otherwise pass: an image must
decode as the format its extension names (and not be a decompression bomb), and a .docx/.xlsx/.pptx
must be an Office package of that kind, not any zip.
"""

import os
import uuid
import zipfile

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from core.errors import DomainError


class UploadError(ValueError):
    def __init__(self, message: str, *, code: str = "file"):
        super().__init__(message)
        self.message = message
        self.code = code


MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt
_ZIP = b"PK\x03\x04"  # .docx/.xlsx/.pptx are zip containers
SIGNATURES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".doc": ("application/msword", (_OLE,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".ppt": ("application/vnd.ms-powerpoint", (_OLE,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (_ZIP,)),
}


def safe_display_name(name: str) -> str:
    """The name to show: no directories (../../etc/passwd → passwd), no control characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return base[:200] or "file"


# Office Open XML packages: the folder each kind keeps its main part in.
OOXML_FOLDERS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
# Photos from phones are ~12-50 MP; beyond this an image is refused rather than decoded (the archive
# draws thumbnails of evidence photos, and a small file can claim billions of pixels).
MAX_IMAGE_PIXELS = 60_000_000


def _content_matches(upload: UploadedFile, extension: str) -> bool:
    """Whether the body really is what the extension says (the magic bytes are checked already)."""
    if extension in OOXML_FOLDERS:
        try:
            with zipfile.ZipFile(upload) as package:
                names = package.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        folder = OOXML_FOLDERS[extension]
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    if extension in IMAGE_FORMATS:
        from PIL import Image

        try:
            with Image.open(upload) as image:
                if image.format != IMAGE_FORMATS[extension]:
                    return False
                too_big = image.width * image.height > MAX_IMAGE_PIXELS
                if not too_big:
                    image.verify()
        except Exception:  # Pillow raises many types (and DecompressionBombError) for a non-image
            return False
        if too_big:
            raise UploadError(
                _("图片“%(name)s”像素过多（超过 %(mp)d 百万像素），请缩小后再上传。")
                % {"name": safe_display_name(upload.name), "mp": MAX_IMAGE_PIXELS // 1_000_000},
                code="file_size",
            )
    return True


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """Return (display name, content type) or refuse with a Chinese reason."""
    name = safe_display_name(upload.name)
    extension = os.path.splitext(name)[1].lower()
    if extension not in SIGNATURES:
        raise UploadError(
            _("不支持的文件类型“%(ext)s”：请上传 PDF、图片（JPG/PNG）或 Office 文档。")
            % {"ext": extension or name},
            code="file_type",
        )
    if upload.size == 0:
        raise UploadError(_("文件“%(name)s”为空。") % {"name": name}, code="file_empty")
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadError(
            _("文件“%(name)s”超过 %(mb)d MB 上限。")
            % {"name": name, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_size",
        )
    content_type, magics = SIGNATURES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    matches = any(head.startswith(m) for m in magics) and _content_matches(upload, extension)
    upload.seek(0)
    if not matches:
        raise UploadError(
            _("文件“%(name)s”的内容与扩展名不符，请上传真实的 %(ext)s 文件。")
            % {"name": name, "ext": extension},
            code="file_content",
        )
    return name, content_type


def stored_file_create(
    model,
    *,
    owner_field: str,
    owner,
    upload: UploadedFile,
    by,
    error: type[DomainError] = DomainError,
    field: str | None = None,
):
    """Check an upload and store it as a new row of `model` (a concrete core.models.StoredFile) that
    belongs to `owner` through the foreign key `owner_field`. The caller has checked who may upload and
    when, inside its own transaction (its service is atomic).

    A refused file raises `error` (the calling app's DomainError) with check_upload's message and code,
    on `field` when given. The stored name is generated: the user's name never reaches the file system.
    """
    try:
        name, content_type = check_upload(upload)
    except UploadError as exc:
        raise error(exc.message, code=exc.code, field=field) from exc
    upload.name = f"{uuid.uuid4().hex}{os.path.splitext(name)[1].lower()}"
    return model.objects.create(
        **{owner_field: owner},
        file=upload,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
