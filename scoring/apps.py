from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("评价与考核")

    def ready(self):
        from scoring import closed_years
        from teams import hooks

        hooks.register_approval_check(closed_years.refuse_late_approval)
