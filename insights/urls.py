"""insights's pages under /assessment/ (their address since before the app was split out)."""

from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("assignments/", views.assignment_stats, name="assignment_stats"),
]
