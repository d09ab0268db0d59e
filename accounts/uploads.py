"""Checks for uploaded files, shared by evidence (teams) and need attachments (demand): type by
extension and by content, size, and a display name with no directories in it."""

import os

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


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
    if not any(head.startswith(m) for m in magics):
        raise UploadError(
            _("文件“%(name)s”的内容与扩展名不符，请上传真实的 %(ext)s 文件。")
            % {"name": name, "ext": extension},
            code="file_content",
        )
    return name, content_type
