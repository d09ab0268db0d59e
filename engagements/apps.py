from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = _("对接与指派")

    def ready(self):
        from engagements import matching_facts, receivers  # noqa: F401 - connect the receivers
        from matching import hooks

        hooks.register_team_activity(matching_facts.team_activity)
        hooks.register_ranker_outcomes(matching_facts.ranker_outcomes)
