from django.urls import path

from insights import industry_map_views

app_name = "industry_map"

urlpatterns = [
    path("", industry_map_views.industry_map_page, name="page"),
]
