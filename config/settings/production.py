"""Production: everything secret or host-specific comes from the environment."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail preview sets SAMEORIGIN on its own views.

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Under ASGI every request runs its database work in a thread of its own, so persistent connections
# (CONN_MAX_AGE) are not reused between requests: PostgreSQL gets psycopg's connection pool instead (one per
# worker process; DB_POOL_MAX connections each). DB_POOL=false returns to CONN_MAX_AGE.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool("DB_POOL", default=True):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    # With the pool, Django's health checks become the pool's check of a connection as it is lent out (one empty
    # round trip): after a database restart or fail-over a dead pooled connection is replaced, not handed to a
    # request that then fails with a 500 (exam_load --pg-restart: 32 such 500s without it; PERFORMANCE.md).
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DB_POOL_CHECK", default=True)  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": 2,
        "max_size": env.int("DB_POOL_MAX", default=16),
        "timeout": env.float("DB_POOL_TIMEOUT", default=30.0),
    }

# Exam day: at most this many requests inside Django per worker (twice the pool: the admitted work queues on
# connections, not on threads), ASGI_PAGES_INFLIGHT of them for starts and pages; the rest waits in line for up
# to ASGI_DOOR_WAIT_SECONDS, then gets 503 + Retry-After, which the exam page and the entry page honour.
ASGI_MAX_INFLIGHT = env.int("ASGI_MAX_INFLIGHT", default=32)
EXAM_START_SPREAD_SECONDS = env.int("EXAM_START_SPREAD_SECONDS", default=20)
EXAM_STARTS_PER_SECOND = env.int("EXAM_STARTS_PER_SECOND", default=15)
