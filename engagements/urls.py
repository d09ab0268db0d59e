"""Pages under /matching/ where enterprises and teams act on recommendations: the recommendations page
and the feed, invitations and 揭榜, engagements, assignments (指派) and saved searches (订阅)."""

from django.urls import path

from engagements import assignment_views, views

app_name = "engagements"

urlpatterns = [
    path("needs/<int:pk>/recommendations/", views.need_recommendations, name="need_recommendations"),
    path("needs/<int:pk>/invite/", views.invite, name="invite"),
    path("needs/<int:pk>/interest/", views.interest, name="interest"),
    path("needs/<int:pk>/assign/", assignment_views.assign, name="assign"),
    path("assignments/", assignment_views.assignment_list, name="assignments"),
    path("assignments/<int:pk>/", assignment_views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/<slug:action>/", assignment_views.assignment_action, name="assignment_action"),
    path("feed/", views.feed, name="feed"),
    path("teams/<int:team_pk>/searches/", views.saved_search_create, name="search_create"),
    path("searches/<int:pk>/toggle/", views.saved_search_toggle, name="search_toggle"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="search_delete"),
    path("engagements/", views.engagement_list, name="engagements"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement"),
    path("engagements/<int:pk>/record/", views.engagement_record, name="engagement_record"),
    path("engagements/<int:pk>/<slug:action>/", views.engagement_action, name="engagement_action"),
]
