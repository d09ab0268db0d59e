from django.urls import path

from reference import views

app_name = "reference"

urlpatterns = [
    path("regions.json", views.regions_json, name="regions"),
    path("industries.json", views.industries_json, name="industries"),
]
