"""Load benchmarks (bench/exam_load.py): production-like, on this machine, against its own PostgreSQL and Redis.

DEBUG off, PostgreSQL (BENCH_DATABASE_URL, default the zfxt_bench database), Redis db 15 for cache and channel
layer, the default PBKDF2 password hashers and cached_db sessions (as production with Redis), and the bench URLconf, which adds the baseline
one-row write endpoint to config.urls. Never used by the running site.

Database connections: Django runs each ASGI request's sync code in a thread of its own, so persistent
connections (CONN_MAX_AGE > 0) are not reused across requests; Django's docs advise a connection pool under
ASGI instead. BENCH_DB_POOL=1 (the default) uses psycopg's pool (Django 5.1+, needs psycopg-pool) with
BENCH_POOL_MAX connections per worker process; BENCH_DB_POOL=0 gives the production settings' behaviour
(CONN_MAX_AGE from the environment, default 60) for comparison.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("BENCH_SECRET_KEY", default="bench-only-not-secret-zhifa-xuetang-load")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"

DATABASES = {
    "default": env.db("BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/zfxt_bench"),
}
if env.bool("BENCH_DB_POOL", default=True):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("BENCH_POOL_CHECK", default=True)  # as production
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 2,
            "max_size": env.int("BENCH_POOL_MAX", default=16),
            "timeout": env.float("BENCH_POOL_TIMEOUT", default=30.0),
        }
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = env("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "bench",
    }
}
CHANNEL_LAYERS = redis_channel_layers(REDIS_URL)  # noqa: F405
# As production with Redis (base.py): sessions read from Redis, written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# As production: overload answered at the door (config/door.py); BENCH_MAX_INFLIGHT=0 turns the door off.
ASGI_MAX_INFLIGHT = env.int("BENCH_MAX_INFLIGHT", default=32)
ASGI_PAGES_INFLIGHT = env.int("BENCH_PAGES_INFLIGHT", default=ASGI_PAGES_INFLIGHT)  # noqa: F405
ASGI_DOOR_WAIT_SECONDS = env.float("BENCH_DOOR_WAIT_SECONDS", default=ASGI_DOOR_WAIT_SECONDS)  # noqa: F405
# The baseline one-row write is compared with the save: it goes through the same lane.
ASGI_ANSWER_PATHS = ASGI_ANSWER_PATHS + r"|^/bench/baseline/$"  # noqa: F405

# Plain HTTP on the loopback: no TLS proxy in front, so no SSL redirect and no secure-only cookies.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Static files are not part of the load; no collectstatic needed (the manifest storage would require it).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
