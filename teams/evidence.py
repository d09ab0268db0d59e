"""佐证材料 uploads: type and size checked, names sanitised, stored under a generated name (all by
core.uploads.stored_file_create, as a need's attachments are).

The file's first bytes must match its extension, so a script renamed to .pdf is refused. Files live in
MEDIA_ROOT, which is never served directly: `evidence_download` (a view) checks who asks first.
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from core.uploads import safe_display_name, stored_file_create
from teams import permissions
from teams.errors import TeamsError
from teams.models import Evidence, ServiceRecord
from teams.records import EDITABLE


@transaction.atomic
def evidence_add(*, record: ServiceRecord, by, upload: UploadedFile) -> Evidence:
    if not permissions.team_member_of(by, record.team):
        raise TeamsError(_("只有本小分队成员可以上传佐证材料。"), code="forbidden")
    if record.status not in EDITABLE:
        raise TeamsError(_("服务记录已提交，不能再上传材料。"), code="wrong_state")
    return stored_file_create(
        Evidence, owner_field="record", owner=record, upload=upload, by=by, error=TeamsError
    )


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """The stored file as a private download under its cleaned original name (pages and API alike).
    Raises FileNotFoundError when the file is gone from storage; the caller answers 404."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=safe_display_name(evidence.original_name),
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
