import logging
import os
import threading

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


def warm_start() -> None:
    """Load the model and fit the team index now, so the first need published or record approved
    does not wait ~20 s for them (with tasks inline, that wait is the user's)."""
    from django.db import connection

    from matching import services

    try:
        built = services.team_index()
        if built is not None:
            built[0].discipline_model.fit_keyword_models()
    except Exception:  # a warm-up must never take the server down; the first real use retries
        log.exception("matching warm start failed")
    finally:
        connection.close()


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("智能匹配")

    def ready(self):
        from matching import checks, receivers  # noqa: F401 - register checks, connect receivers

        # `dev.py serve` asks for it; RUN_MAIN marks the process runserver's reloader serves from.
        if os.environ.get("MATCHING_WARM_START") == "1" and os.environ.get("RUN_MAIN") == "true":
            threading.Thread(target=warm_start, name="matching-warm-start", daemon=True).start()
