from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("平台基础")

    def ready(self):
        from core import task_failures  # noqa: F401 - connect the failure recorder to Celery's signal
