from django.urls import path

from demand import views

app_name = "demand"

urlpatterns = [
    path("", views.hall, name="hall"),
    path("mine/", views.my_needs, name="mine"),
    path("new/", views.need_create, name="create"),
    path("moderation/", views.moderation, name="moderation"),
    path("<int:pk>/", views.need_detail, name="detail"),
    path("<int:pk>/edit/", views.need_edit, name="edit"),
    path("<int:pk>/submit/", views.need_submit, name="submit"),
    path("<int:pk>/close/", views.need_close, name="close"),
    path("<int:pk>/resolve/", views.need_resolve, name="resolve"),
    path("<int:pk>/delete/", views.need_delete, name="delete"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
