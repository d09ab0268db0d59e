"""One machine, nothing installed: SQLite, tasks inline. The demo is the product: debug off (the
project's Chinese error pages, JSON errors under /api/), static files served by WhiteNoise straight from
the project's folders (no collectstatic step). DEBUG=1 turns Django's debug pages on for development."""

from config.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)
# WhiteNoise finds files where runserver would (STATICFILES_DIRS, the apps' static/), so nothing has to
# be collected first; production collects them once into STATIC_ROOT with hashed names.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing is collected here: WhiteNoise would warn about the empty folder
SECRET_KEY = env_str("SECRET_KEY", "local-development-only-not-secret")
