from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """No code and no models. Its migrations are the history of the tables that moved to scoring and
    insights (analytics 0005 hands them over), so a database made before the move upgrades through
    them. It can go once every deployment has migrated past 0005 and the history is squashed."""

    name = "analytics"
    verbose_name = _("历史迁移（已迁至考核与数据洞察）")
