"""Start-up checks of the matching settings (run by manage.py check, runserver, migrate and commands)."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from matching.embedding_store import configured_precision


@checks.register()
def embedding_precision(app_configs, **kwargs):
    try:
        configured_precision()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint="不设置时为 auto：按本机 CPU 选择 bfloat16、int8 或 float32。",
                id="matching.E001",
            )
        ]
    return []
