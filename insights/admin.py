from django.contrib import admin

from insights.models import ReportExport


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "period_from",
        "period_to",
        "region",
        "university",
        "status",
        "rows_count",
        "created_at",
    ]
    list_filter = ["kind", "status"]
