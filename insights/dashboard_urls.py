from django.urls import path

from insights import dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("", dashboard_views.dashboard_page, name="page"),
    path("cell/", dashboard_views.dashboard_cell, name="cell"),
    path("export/<slug:name>.<slug:fmt>", dashboard_views.dashboard_export, name="export"),
]
