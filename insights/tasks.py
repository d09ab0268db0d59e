from celery import shared_task

from config.celery import RETRY_TRANSIENT
from insights.reports import report_export_generate


@shared_task(name="analytics.generate_report_export", bind=True, **RETRY_TRANSIENT)
def report_export_generate_task(self, export_id: int) -> int | None:
    """Build one queued report export (问题库 / 项目库); another task for the same export does nothing,
    a redelivery of this one (its worker died mid-build) builds it again."""
    export = report_export_generate(export_id=export_id, claim=self.request.id or "")
    return export.rows_count if export else None
