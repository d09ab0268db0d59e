from django.urls import path

from teams import appendix_d_views, views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/", views.team_create, name="create"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("<int:pk>/edit/", views.team_edit, name="edit"),
    path("<int:pk>/members/add/", views.member_add_view, name="member_add"),
    path("members/<int:pk>/edit/", views.member_edit_view, name="member_edit"),
    path("members/<int:pk>/remove/", views.member_remove_view, name="member_remove"),
    path("<int:pk>/assignment-handler/", views.assignment_handler_view, name="assignment_handler"),
    path("members/<int:pk>/claim/", views.member_claim_issue_view, name="member_claim_issue"),
    path("members/<int:pk>/link/", views.member_link_view, name="member_link"),
    path("claim/", views.claim_start, name="claim_start"),
    path("claim/<str:token>/", views.claim_view, name="claim"),
    path("<int:pk>/captain-change/", views.captain_change_view, name="captain_change"),
    path("captain-changes/<int:pk>/decide/", views.captain_change_decide_view, name="captain_change_decide"),
    path(
        "captain-changes/<int:pk>/withdraw/",
        views.captain_change_withdraw_view,
        name="captain_change_withdraw",
    ),
    path("<int:pk>/actions/<slug:action>/", views.team_action, name="action"),
    path("<int:pk>/rectify/", views.rectify, name="rectify"),
    path("rectifications/<int:pk>/close/", views.rectification_close_view, name="rectification_close"),
    path("<int:pk>/portrait/", views.portrait, name="portrait"),
    path("<int:pk>/records/", views.record_list, name="record_list"),
    path("<int:pk>/records/new/", views.record_create_view, name="record_create"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("records/<int:pk>/actions/<slug:action>/", views.record_action, name="record_action"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("review/college/", views.review_college, name="review_college"),
    path("review/office/", views.review_office, name="review_office"),
    path("calls/new/", views.call_create_view, name="call_create"),
    path("import/", views.import_applications, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("appendix-d/", appendix_d_views.batches, name="appendix_d"),
    path(
        "appendix-d/<int:call_pk>/<int:college_pk>.<slug:kind>",
        appendix_d_views.download,
        name="appendix_d_file",
    ),
]
