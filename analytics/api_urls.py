"""analytics's routes under /api/v1/ (see config/api_urls.py)."""

from django.urls import path

from analytics import industry_map_apis, report_apis

urlpatterns = [
    path("industry-map/", industry_map_apis.IndustryMapApi.as_view(), name="industry-map"),
    path("report-exports/", report_apis.ReportExportList.as_view(), name="report-export-list"),
    path("report-exports/<int:pk>/", report_apis.ReportExportDetail.as_view(), name="report-export-detail"),
    path(
        "report-exports/<int:pk>/download/<str:fmt>/",
        report_apis.ReportExportDownload.as_view(),
        name="report-export-download",
    ),
]
