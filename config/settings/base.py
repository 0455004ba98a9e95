"""Settings shared by every environment. Values that differ come from the environment."""

from pathlib import Path

import environ
from csp import constants as csp

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-zhifa-xuetang")
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "org.views.csrf_failure"  # our Chinese 403 page, not Django's English one

# Our apps first so that their templates override allauth's and Wagtail's.
INSTALLED_APPS = [
    "org",
    "content",
    "learning",
    "exams",
    "certification",
    "contest",
    "mentorship",
    "reports",
    "demo",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "org.middleware.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "org.middleware.WagtailAdminScriptsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "org.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it leaves a message explaining the redirect to TOTP enrolment.
    "org.middleware.RequireMfaForPrivilegedRolesMiddleware",
    "org.middleware.RequirePasswordChangeMiddleware",
    "org.middleware.CmsAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "org.context_processors.roles",
            ],
        },
    },
]

# --- Data stores -----------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the demo server and a task run side by side.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# HTTP requests inside Django at once per ASGI worker (config/door.py); the rest wait in line for up to
# ASGI_DOOR_WAIT_SECONDS, then get 503 + Retry-After. 0 = no door (development); production sets it.
ASGI_MAX_INFLIGHT = env.int("ASGI_MAX_INFLIGHT", default=0)
# Of those, at most this many for anything but the exam page's answers (starts, exam pages, study pages): 3 met
# the N = 1,000 targets at N = 2,000 where 8 did not (docs/PERFORMANCE.md). A long request (a big export) holds
# one place while it runs; the rest of the pages wait in line behind it.
ASGI_PAGES_INFLIGHT = env.int("ASGI_PAGES_INFLIGHT", default=3)
ASGI_DOOR_WAIT_SECONDS = env.float("ASGI_DOOR_WAIT_SECONDS", default=10.0)
# The answers lane: the exam page's save, state and submit.
ASGI_ANSWER_PATHS = r"^/exams/attempts/\d+/(answers|state|submit)/$"

# Every consumer of one ASGI process reads from ONE Redis key (channels_redis's process-local channels), and the
# layer's capacity bounds that key, not each phone: at the default 100, a contest's per-seat results to a few
# hundred phones on one worker were silently dropped. Room for every seat of a city-wide contest, several over.
CHANNEL_CAPACITY = env.int("CHANNEL_CAPACITY", default=20_000)


def redis_channel_layers(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url], "capacity": CHANNEL_CAPACITY},
        }
    }


REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = redis_channel_layers(REDIS_URL)
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Sessions are read from Redis and written through to the database: one query less on every request
    # (exam day is every officer saving at once), and a Redis restart logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Auth ------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "org.auth_backends.EmployeeNoOrPhoneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# allauth 65: 工号 is the username; email login works too; phone is resolved by our backend.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_ADAPTER = "org.adapters.NoPublicSignupAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_FORMS = {"login": "org.forms.OfficerLoginForm"}
# No "someone asked to reset a password for this unknown address" mails: they go to strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The client address for the per-IP limits is REMOTE_ADDR, as uvicorn sets it: X-Forwarded-For is believed only from
# the proxies given to uvicorn (Makefile TRUSTED_PROXIES / --forwarded-allow-ips), never by allauth itself.
ALLAUTH_TRUSTED_PROXY_COUNT = 0
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "执法学堂"

# --- i18n --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Hostile uploads (issue #11): form bodies stay small, uploaded files over 2.5 MB stream to disk, every import file is
# capped (size, uncompressed size of an .xlsx, rows) by org.tabular, and a request body above REQUEST_MAX_BYTES is
# refused before it is read (except in the Wagtail and Django admin, which have their own upload limits).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=64 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=12 * 1024 * 1024)
REQUEST_MAX_BYTES_EXEMPT_PREFIXES = ("/cms/", "/django-admin/")

# --- Content-Security-Policy (django-csp 4) ------------------------------------
# Scripts only from our own static files (no inline scripts or handlers on any page of ours; the Wagtail admin at
# /cms/ also allows inline scripts, which its InlinePanel forms and choosers need: org.middleware);
# inline styles stay allowed because the Wagtail admin and a few of our templates set style attributes. No third
# parties at all: the platform runs on a bureau's intranet (Wagtail's gravatar is switched off below).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:", "blob:"],
        "font-src": [csp.SELF, "data:"],
        "media-src": [csp.SELF, "blob:"],
        "connect-src": [csp.SELF],  # 'self' covers same-origin websockets (ws:/wss:) in CSP 3
        "frame-src": [csp.SELF],
        "frame-ancestors": [csp.SELF],
        "form-action": [csp.SELF],
        "base-uri": [csp.SELF],
        "object-src": [csp.NONE],
    }
}
WAGTAIL_GRAVATAR_PROVIDER_URL = None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "执法学堂"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"  # one login for everything: allauth's, with its MFA stage
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# content.search_backend: the database backend, with Chinese-aware page autocomplete for the admin and chooser.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "content.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip"]

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="执法学堂 <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- learning ------------------------------------------------------------------
# Study-time rules of the online study widget (the server decides what counts).
LEARNING_HEARTBEAT_SECONDS = env.int("LEARNING_HEARTBEAT_SECONDS", default=15)
LEARNING_MAX_GAP_SECONDS = env.int("LEARNING_MAX_GAP_SECONDS", default=40)  # a longer gap is not study
LEARNING_SECONDS_PER_MINUTE = env.int("LEARNING_SECONDS_PER_MINUTE", default=60)  # lower it only in tests/demos
LEARNING_CHECK_EVERY_SECONDS = (600, 1200)  # study seconds between check questions (scaled like minutes)
LEARNING_VIDEO_TOLERANCE_SECONDS = 5
LEARNING_QR_WINDOW_SECONDS = 30
LEARNING_HOURS_PER_TRAINING_DAY = 8

# --- content ------------------------------------------------------------------
# Lesson videos are uploaded as Wagtail documents and played with <video>.
# Documents (course files, lesson videos) only through Wagtail's serve view, which applies collection privacy;
# /media/documents/ is not served (config.urls).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [*WAGTAILDOCS_EXTENSIONS, "mp4", "webm"]
# Compilation PDFs embed a TrueType CJK font; set this to a .ttf/.ttc path to override the search.
CONTENT_PDF_FONT = env("CONTENT_PDF_FONT", default="")

# --- exams ------------------------------------------------------------------
EXAM_SAVE_GRACE_SECONDS = env.int("EXAM_SAVE_GRACE_SECONDS", default=30)  # saves accepted after the deadline
# The exam entry page waits a random 0–N seconds before its start request, so a city's officers pressing
# "开始考试" in the same minute do not arrive in the same second; the clock starts when the attempt does.
EXAM_START_SPREAD_SECONDS = env.int("EXAM_START_SPREAD_SECONDS", default=0)
# ... and longer for a large audience: at most EXAM_STARTS_PER_SECOND of it arriving per second on average, up to
# EXAM_START_SPREAD_MAX_SECONDS (0 = no scaling). Production: 15 starts/s, at most 120 s (2,000 officers: 0-120 s).
EXAM_STARTS_PER_SECOND = env.int("EXAM_STARTS_PER_SECOND", default=0)
EXAM_START_SPREAD_MAX_SECONDS = env.int("EXAM_START_SPREAD_MAX_SECONDS", default=120)
