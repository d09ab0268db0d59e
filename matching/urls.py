from django.urls import path

from matching import assignment_views, talent_views, views

app_name = "matching"

urlpatterns = [
    path("needs/<int:pk>/recommendations/", views.need_recommendations, name="need_recommendations"),
    path("needs/<int:pk>/invite/", views.invite, name="invite"),
    path("needs/<int:pk>/interest/", views.interest, name="interest"),
    path("needs/<int:pk>/assign/", assignment_views.assign, name="assign"),
    path("assignments/", assignment_views.assignment_list, name="assignments"),
    path("assignments/<int:pk>/", assignment_views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/<slug:action>/", assignment_views.assignment_action, name="assignment_action"),
    path("talent/", talent_views.talent_home, name="talent"),
    path("talent/profile/", talent_views.profile, name="talent_profile"),
    path("talent/applications/", talent_views.my_applications, name="talent_applications"),
    path("talent/openings/new/", talent_views.opening_create, name="opening_create"),
    path("talent/openings/<int:pk>/", talent_views.opening_detail, name="opening"),
    path("talent/openings/<int:pk>/apply/", talent_views.apply, name="opening_apply"),
    path("talent/openings/<int:pk>/close/", talent_views.opening_close, name="opening_close"),
    path(
        "talent/applications/<int:pk>/<slug:action>/",
        talent_views.application_action,
        name="application_action",
    ),
    path("feed/", views.feed, name="feed"),
    path("teams/<int:team_pk>/searches/", views.saved_search_create, name="search_create"),
    path("searches/<int:pk>/toggle/", views.saved_search_toggle, name="search_toggle"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="search_delete"),
    path("engagements/", views.engagement_list, name="engagements"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement"),
    path("engagements/<int:pk>/record/", views.engagement_record, name="engagement_record"),
    path("engagements/<int:pk>/<slug:action>/", views.engagement_action, name="engagement_action"),
]
