"""insights's routes under /api/v1/ (see config/api_urls.py): the dashboard's figures, the industry
map and the report exports."""

from django.urls import path

from insights import dashboard_api, industry_map_apis, report_apis

urlpatterns = [
    path("regions-map/", dashboard_api.RegionsMapView.as_view(), name="dashboard-regions-map"),
    path("heatmap/", dashboard_api.HeatmapView.as_view(), name="dashboard-heatmap"),
    path("heatmap/cell/", dashboard_api.HeatmapCellView.as_view(), name="dashboard-heatmap-cell"),
    path("gap/", dashboard_api.GapView.as_view(), name="dashboard-gap"),
    path("trend/", dashboard_api.TrendView.as_view(), name="dashboard-trend"),
    path("funnel/", dashboard_api.FunnelView.as_view(), name="dashboard-funnel"),
    path("dashboard-summary/", dashboard_api.SummaryView.as_view(), name="dashboard-summary"),
    path("industry-map/", industry_map_apis.IndustryMapApi.as_view(), name="industry-map"),
    path("report-exports/", report_apis.ReportExportList.as_view(), name="report-export-list"),
    path("report-exports/<int:pk>/", report_apis.ReportExportDetail.as_view(), name="report-export-detail"),
    path(
        "report-exports/<int:pk>/download/<str:fmt>/",
        report_apis.ReportExportDownload.as_view(),
        name="report-export-download",
    ),
]
