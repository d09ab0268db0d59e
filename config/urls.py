from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from accounts.forms import RateLimitedAdminAuthenticationForm
from core.url_converters import YearConverter

# Before the apps' URLs are included: they use <year:…>.
register_converter(YearConverter, "year")

admin.site.site_header = _("科技小分队平台管理")
admin.site.site_title = _("科技小分队平台")
admin.site.index_title = _("数据管理")
# The admin's sign-in counts failures with the same counters as the pages' (accounts.login_limits).
admin.site.login_form = RateLimitedAdminAuthenticationForm

urlpatterns = [
    path("", account_views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the icon the pages link.
    path("favicon.ico", lambda request: redirect(static("img/favicon.svg"), permanent=True)),
    path("accounts/", include("accounts.urls")),
    path("teams/", include("teams.urls")),
    path("needs/", include("demand.urls")),
    path("reference/", include("reference.urls")),
    # /matching/ keeps its addresses: the pages acting on recommendations, and 人岗匹配's.
    path("matching/", include("engagements.urls")),
    path("matching/", include("talent.urls")),
    path("notifications/", include("accounts.notification_urls")),
    path("assessment/", include("scoring.urls")),
    path("assessment/", include("insights.urls")),
    path("industry-map/", include("insights.industry_map_urls")),
    path("dashboard/", include("insights.dashboard_urls")),
    path("reports/", include("insights.report_urls")),
    path("api/v1/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ an unknown address or a crash answers in the API's one error shape (core.api_errors).
handler404 = "core.api_errors.json_not_found"
handler500 = "core.api_errors.json_server_error"
