"""reference's routes under /api/v1/ (see config/api_urls.py): public lookups."""

from django.urls import path

from reference import apis

urlpatterns = [
    path("industries/", apis.IndustryList.as_view(), name="industry-list"),
    path("industries/<str:code>/", apis.IndustryDetail.as_view(), name="industry-detail"),
    path("regions/", apis.RegionList.as_view(), name="region-list"),
    path("regions/<str:code>/", apis.RegionDetail.as_view(), name="region-detail"),
    path("disciplines/", apis.DisciplineList.as_view(), name="discipline-list"),
    path("service-types/", apis.ServiceTypeList.as_view(), name="service-type-list"),
]
