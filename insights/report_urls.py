from django.urls import path

from insights import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.report_list, name="list"),
    path("<int:pk>/download/<str:fmt>/", report_views.report_download, name="download"),
]
