from django.urls import path

from accounts import notification_views as views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_read, name="mark_read"),
    path("unread.json", views.unread_json, name="unread"),
]
