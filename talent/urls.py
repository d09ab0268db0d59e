"""人岗匹配's pages, under /matching/talent/ (their address since before the app was split out)."""

from django.urls import path

from talent import views

app_name = "talent"

urlpatterns = [
    path("talent/", views.talent_home, name="talent"),
    path("talent/profile/", views.profile, name="talent_profile"),
    path("talent/applications/", views.my_applications, name="talent_applications"),
    path("talent/openings/new/", views.opening_create, name="opening_create"),
    path("talent/openings/<int:pk>/", views.opening_detail, name="opening"),
    path("talent/openings/<int:pk>/apply/", views.apply, name="opening_apply"),
    path("talent/openings/<int:pk>/close/", views.opening_close, name="opening_close"),
    path("talent/applications/<int:pk>/<slug:action>/", views.application_action, name="application_action"),
]
