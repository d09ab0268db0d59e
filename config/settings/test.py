"""The test suite: fast hashing, in-memory mail, tasks inline unless a test starts a real worker.

DATABASE_URL points the same suite at PostgreSQL in CI; the default is SQLite.
"""

from config.env import env_str

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A real broker for the tests marked `broker`; they are skipped, with a message, when it is unset.
TEST_BROKER_URL = env_str("TEST_BROKER_URL", "")
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405

# Static files are found where the demo finds them (WhiteNoise from the project's folders): no
# collectstatic before a test run, and no warning about an empty STATIC_ROOT.
WHITENOISE_USE_FINDERS = True

STATIC_ROOT = None  # nothing is collected: WhiteNoise would warn about the empty folder
