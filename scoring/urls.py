from django.urls import path

from scoring import views

app_name = "scoring"

urlpatterns = [
    path("", views.assessment_list, name="assessments"),
    path("<int:pk>/", views.assessment_detail, name="assessment"),
    path("<int:pk>/spot-draw/", views.spot_draw, name="spot_draw"),
    path("spot/<int:pk>/decide/", views.spot_decide, name="spot_decide"),
    path("<int:pk>/spot-decide/", views.spot_decide_batch, name="spot_decide_batch"),
    path("<int:pk>/notice-begin/", views.notice_begin, name="notice_begin"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/shared-items/", views.shared_choose, name="shared_choose"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("<int:pk>/notice/", views.public_notice, name="notice"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/appendix-c.<slug:kind>", views.result_sheet, name="result_sheet"),
    path("<int:pk>/appendix-c.<slug:kind>", views.sheets, name="sheets"),
    path("<int:pk>/<slug:name>.<slug:kind>", views.public_paperwork, name="paperwork"),
    path("rules/<year:year>/", views.rules, name="rules"),
    path("archive/<int:team_pk>/<year:year>/", views.archive, name="archive"),
    path("archive/college/<int:college_pk>/<year:year>/", views.college_archive_zip, name="college_zip"),
    path("cases/", views.cases, name="cases"),
    path("cases/add/<int:team_pk>/", views.case_add, name="case_add"),
]
