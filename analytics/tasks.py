from celery import shared_task

from analytics.reports import report_export_generate
from config.celery import RETRY_TRANSIENT


@shared_task(name="analytics.generate_report_export", **RETRY_TRANSIENT)
def report_export_generate_task(export_id: int) -> int | None:
    """Build one queued report export (问题库 / 项目库); a second run of the same id does nothing."""
    export = report_export_generate(export_id=export_id)
    return export.rows_count if export else None
