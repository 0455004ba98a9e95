"""Tests: the embedded default, or PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests do not measure hashing
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "tmp" / "test-media"  # noqa: F405
STORAGES = {  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None  # tests do not collect static files; WhiteNoise serves from the finders
WHITENOISE_USE_FINDERS = True
# Tasks run inline in tests whatever the environment, so each test sees its effects.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if REDIS_URL:  # noqa: F405
    import os
    import re
    import uuid

    # pytest-xdist: each worker gets its own Redis database (the tests' cache.clear() is a FLUSHDB, and the channel
    # layer's groups live there too), numbered up from the one REDIS_URL names: gw0 → n, gw1 → n + 1, ...
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw"):
        match = re.match(r"^(.*/)(\d+)$", REDIS_URL)  # noqa: F405
        base, number = (match.group(1), int(match.group(2))) if match else (REDIS_URL.rstrip("/") + "/", 0)  # noqa: F405
        REDIS_URL = f"{base}{(number + int(worker[2:])) % 16}"
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
        CHANNEL_LAYERS = redis_channel_layers(REDIS_URL)  # noqa: F405

    # Keys of one run never meet another's (rate-limit counters live in the cache).
    CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:8]}"  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The append-only tables refuse TRUNCATE unless the connection sets this (learning 0004, exams 0005); Django's
    # test flush (TransactionTestCase, transactional_db, the e2e tests' flush) empties tables with TRUNCATE.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c zhifa.allow_truncate=on"  # noqa: F405
