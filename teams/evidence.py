"""佐证材料 uploads: type and size checked, names sanitised, stored under a generated name.

The file's first bytes must match its extension, so a script renamed to .pdf is refused. Files live in
MEDIA_ROOT, which is never served directly: `evidence_download` (a view) checks who asks first.
"""

import os
import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from teams import permissions
from teams.errors import TeamsError
from teams.models import Evidence, ServiceRecord
from teams.records import EDITABLE

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
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
        raise TeamsError(
            _("不支持的文件类型“%(ext)s”：请上传 PDF、图片（JPG/PNG）或 Office 文档。")
            % {"ext": extension or name},
            code="file_type",
        )
    if upload.size == 0:
        raise TeamsError(_("文件“%(name)s”为空。") % {"name": name}, code="file_empty")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise TeamsError(
            _("文件“%(name)s”超过 %(mb)d MB 上限。")
            % {"name": name, "mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
            code="file_size",
        )
    content_type, magics = SIGNATURES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise TeamsError(
            _("文件“%(name)s”的内容与扩展名不符，请上传真实的 %(ext)s 文件。")
            % {"name": name, "ext": extension},
            code="file_content",
        )
    return name, content_type


@transaction.atomic
def evidence_add(*, record: ServiceRecord, by, upload: UploadedFile) -> Evidence:
    if not permissions.team_member_of(by, record.team):
        raise TeamsError(_("只有本小分队成员可以上传佐证材料。"), code="forbidden")
    if record.status not in EDITABLE:
        raise TeamsError(_("服务记录已提交，不能再上传材料。"), code="wrong_state")
    name, content_type = check_upload(upload)
    # The stored name is generated: the user's name never reaches the file system.
    upload.name = f"{uuid.uuid4().hex}{os.path.splitext(name)[1].lower()}"
    return Evidence.objects.create(
        record=record,
        file=upload,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
