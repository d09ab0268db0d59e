from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.enterprise_register, name="register"),
    path("register/done/", views.register_done, name="register_done"),
    path("workspace/", views.workspace, name="workspace"),
    path("contact/", views.contact, name="contact"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
]
