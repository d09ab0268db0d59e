"""Settings shared by every environment. Values come from the environment with typed defaults."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "reference",
    "core",
    "accounts",
    "demand",
    "teams",
    "matching",
    "engagements",
    "talent",
    "scoring",
    "insights",
    # No code: its migrations are the history of the tables that moved to scoring and insights, so an
    # existing database upgrades through them (see analytics/apps.py).
    "analytics",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the web process (WhiteNoise), in the demo and in production alike.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.permissions",
                "accounts.context_processors.notices",
            ],
        },
    },
]

# Default: a SQLite file inside the project, so the platform runs with nothing installed.
if not env_str("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:workspace"
LOGOUT_REDIRECT_URL = "home"
# Sign-in rate limiting (accounts.login_limits): failures per login name and per client address within
# the window; reaching either limit locks that name or address out for LOGIN_LOCKOUT_SECONDS.
# The longest response window an operator may give a team for an assignment (指派), in days. The
# guideline fixes no such window: this is the platform's own setting.
ASSIGNMENT_MAX_DAYS = env_int("ASSIGNMENT_MAX_DAYS", 30)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# How many reverse proxies in front of the web processes append to X-Forwarded-For (0: trust none and
# use REMOTE_ADDR). Set it to the real number, or clients can pick their own address.
LOGIN_TRUSTED_PROXIES = env_int("LOGIN_TRUSTED_PROXIES", 0)

# The platform speaks Chinese only, whatever the browser or API client asks for: its own texts have no
# English catalogue, so following Accept-Language turned Django's and DRF's messages ("This field is
# required.", the login form's labels) English among Chinese pages. Hence no LocaleMiddleware.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Our wording of a few of Django's own messages (locale/zh_Hans/LC_MESSAGES/django.po says which, and why).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date inputs need ISO dates (<input type="date"> accepts only yyyy-mm-dd); Django's zh-hans formats
# render 2026/12/01 first, which the browser drops, so edit forms showed empty dates and saved them so.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static_root"
MEDIA_URL = "/media/"
# Evidence and attachments are private: they are served through permission-checked views only.
MEDIA_ROOT = VAR_DIR / "media"

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery: with no broker configured, tasks run inline in the calling process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Inline (no broker): a failing task is logged, it does not break the request that queued it.
CELERY_TASK_EAGER_PROPAGATES = False
# Every task is idempotent, so a message is acknowledged only after its task ran: a worker killed
# mid-task (or whose process dies) leaves the message to be redelivered to another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task that raised is acknowledged (and recorded as a core.TaskFailure), never redelivered forever.
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task attempt handed to workers this many times without finishing (each run killed its worker) is
# recorded as a TaskFailure and dropped on the next delivery (core.task_deliveries).
CELERY_TASK_MAX_DELIVERIES = env_int("CELERY_TASK_MAX_DELIVERIES", 3)
# Redis gives an unacknowledged message back to the queue after this many seconds: it must exceed the
# longest task (a still-running task's message is redelivered too, harmlessly, since tasks are
# idempotent). The restore sweep runs every interval × throttle seconds and when a worker starts.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "demand-expire-needs": {"task": "demand.expire_needs", "schedule": crontab(hour=1, minute=0)},
    "teams-rectification-reminders": {
        "task": "teams.rectification_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "matching-nightly-refresh": {"task": "matching.nightly_refresh", "schedule": crontab(hour=2, minute=30)},
    "matching-train-ranker": {
        "task": "matching.train_ranker",
        "schedule": crontab(hour=3, minute=0, day_of_week=0),
    },
    # Assignments (指派) past their deadline go back to the operator within a quarter of an hour.
    "matching-escalate-assignments": {
        "task": "matching.escalate_assignments",
        "schedule": crontab(minute="*/15"),
    },
    "saved-search-daily": {
        "task": "matching.saved_search_digest",
        "schedule": crontab(hour=8, minute=0),
        "args": ["daily"],
    },
    "saved-search-weekly": {
        "task": "matching.saved_search_digest",
        "schedule": crontab(hour=8, minute=0, day_of_week=1),
        "args": ["weekly"],
    },
}

# Matching: a local directory or a sentence-transformers model name.
EMBEDDING_MODEL = env_str("EMBEDDING_MODEL", str(VAR_DIR / "models" / "multilingual-e5-small"))
# float32, bfloat16, int8, or auto: the fastest that keeps quality on this CPU (bfloat16 where native,
# int8 where VNNI is, float32 elsewhere; see matching.engine.embeddings.best_precision).
EMBEDDING_PRECISION = env_str("EMBEDDING_PRECISION", "auto")

# In-process cache for one machine; production shares a Redis cache between processes (login limits).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@kjxfd.local")

# The JSON API (/api/v1/): token or session sign-in, pages of results, filters, one error shape
# (core.api_errors documents it), and an OpenAPI 3 schema with its docs served from our own static files.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api_pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's parsers hardened against hostile bodies: size, nesting depth, encoding (core.api_parsers).
    "DEFAULT_PARSER_CLASSES": [
        "core.api_parsers.JSONParser",
        "core.api_parsers.FormParser",
        "core.api_parsers.MultiPartParser",
    ],
    # Scoped limits per client address (ScopedRateThrottle); the token endpoint also shares the sign-in
    # pages' failure counts and lockout (accounts.login_limits).
    # Objections to a public notice and enterprises' registrations need no sign-in, as on their pages.
    "DEFAULT_THROTTLE_RATES": {
        "auth_token": env_str("API_TOKEN_RATE", "30/min"),
        "objections": env_str("API_OBJECTION_RATE", "20/hour"),
        "registrations": env_str("API_REGISTRATION_RATE", "10/hour"),
    },
    # The client address for throttles: REMOTE_ADDR, or the one the trusted proxies saw (as for sign-in).
    "NUM_PROXIES": LOGIN_TRUSTED_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "科技小分队平台 API",
    "DESCRIPTION": (
        "科技小分队平台的 JSON 接口（第 1 版）。使用令牌（`Authorization: Token <令牌>`，"
        "由 `/api/v1/auth/token/` 获取）或已登录的会话访问。列表分页（`page`、`page_size`），"
        "可按各接口列出的查询参数筛选、多数可用 `ordering` 排序（参数有误时返回 400，fields 指明该参数），"
        '错误统一为 `{"error": {"code": …, "message": …, "fields": {…}}}`，'
        "`message` 为中文说明，`code` 为机器可读代码（见 Error 模型中 code 的说明）。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # core.url_converters.YearConverter: a year the platform keeps records for.
    "PATH_CONVERTER_OVERRIDES": {"year": {"type": "integer", "minimum": 2000, "maximum": 2100}},
    "ENUM_NAME_OVERRIDES": {
        "NeedStatusEnum": "demand.models.Need.Status",
        "ServiceTypeEnum": "reference.choices.ServiceType",
        "UserRoleEnum": "accounts.models.Role",
        "MemberRoleEnum": "teams.models.MemberRole",
        "MemberKindEnum": "teams.models.MemberKind",
        "ReportKindEnum": "insights.models.ReportExport.Kind",
        "RecordTypeEnum": "teams.models.RecordType",
        "ScoredRecordTypeEnum": "scoring.serializers.SCORED_CHOICES",
        "TeamStatusEnum": "teams.models.Team.Status",
        "RecordStatusEnum": "teams.models.ServiceRecord.Status",
        "OpeningStatusEnum": "talent.models.Opening.Status",
        "ApplicationStatusEnum": "talent.models.Application.Status",
        "AssignmentStatusEnum": "engagements.models.Assignment.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # jieba and fontTools (subsetting the PDFs' font) report every step at INFO.
    "loggers": {"jieba": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
